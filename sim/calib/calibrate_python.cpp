// CPython's costs, per interpreter: the Python probe (sim/calib/probe.py) run under each
// interpreter calibrate is given, its figures fitted into one profile section per interpreter.
#include "sim/calib/calibrate.hpp"

#include "sim/calib/python_probe.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <sstream>
#include <unistd.h>

namespace gilsim::detail {

std::string find_on_path(const std::string& name)
{
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty())
      continue;
    const auto candidate = std::filesystem::path(dir) / name;
    if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return candidate.string();
  }
  return {};
}

std::string resolve_python(const std::string& python)
{
  if (python.find('/') == std::string::npos)
    return find_on_path(python);
  return access(python.c_str(), X_OK) == 0 && !std::filesystem::is_directory(python) ? python
                                                                                      : "";
}

std::vector<number_range> python_fit_ranges(calibration_size size)
{
  // Small ranges, where the per-item cost weighs most, and narrow windows at 2^k (numbers of
  // k + 1 bits: a knot of the per-division cost each), where divisions dominate. The knots are
  // closer below 2^18: there the cost steps up as the divisors pass 256, CPython's last cached
  // small int (at n = 2^16).
  if (size == calibration_size::tiny)
    return {{1, 1u << 8}, {1, 1u << 12}, {1u << 10, (1u << 10) + (1u << 8)},
            {1u << 20, (1u << 20) + (1u << 5)}};
  return {{1, 1u << 8},
          {1, 1u << 10},
          {1, 1u << 12},
          {1, 1u << 14},
          {1, 1u << 16},
          {1u << 10, (1u << 11) - 1},
          {1u << 12, (1u << 12) + (1u << 11)},
          {1u << 14, (1u << 14) + (1u << 11)},
          {1u << 16, (1u << 16) + (1u << 11)},
          {1u << 18, (1u << 18) + (1u << 10)},
          {1u << 20, (1u << 20) + (1u << 10)},
          {1u << 22, (1u << 22) + (1u << 9)},
          {1u << 24, (1u << 24) + (1u << 8)},
          {1u << 26, (1u << 26) + (1u << 7)},
          {1u << 28, (1u << 28) + (1u << 6)}};
}

std::vector<number_range> python_check_ranges(calibration_size size)
{
  // Held out of the fit, to see how it predicts what it was not fitted on: a long range, and
  // windows of 18, 22, 24 and 27 bits, mostly between the knots (odd bit lengths).
  if (size == calibration_size::tiny)
    return {};
  return {{1, 100000},
          {200000, 200000 + (1u << 11)},
          {4000000, 4000000 + (1u << 9)},
          {10000000, 10000000 + (1u << 9)},
          {100000000, 100000000 + (1u << 7)}};
}

probe_plan python_plan(calibration_size size, int runs)
{
  probe_plan plan;
  plan.prime = python_fit_ranges(size);
  plan.checks = python_check_ranges(size);
  switch (size) {
  case calibration_size::tiny: plan.runs = 2, plan.scale = 0.02, plan.prime_seconds = 0.002; break;
  case calibration_size::quick: plan.runs = runs, plan.scale = 0.25, plan.prime_seconds = 0.03;
    break;
  case calibration_size::full: plan.runs = runs, plan.scale = 1, plan.prime_seconds = 0.1; break;
  }
  return plan;
}

void measure_pythons(const std::vector<std::string>& pythons, calibration_size size, int runs,
                     host_profile& p, std::ostream& progress)
{
  for (const auto& python : pythons) {
    const std::string exe = resolve_python(python);
    if (exe.empty()) {
      p.python_note = fmt::format("no {} to run when calibrated", python);
      fmt::print(progress, "  {}: not found; skipped\n", python);
      continue;
    }
    const probe_plan plan = python_plan(size, runs);
    fmt::print(progress, "  {}: is_prime over {} ranges x {} runs, then the other figures\n",
               exe, plan.prime.size() + plan.checks.size(), plan.runs);
    try {
      const probe_output out = run_probe(exe, plan, progress);
      auto section = python_section_of(out, plan.checks);
      const auto same = [&](const auto& s) { return s.costs.interpreter == out.interpreter; };
      if (std::any_of(p.pythons.begin(), p.pythons.end(), same)) {
        fmt::print(progress, "  {} is Python {} again: kept the first\n", exe, out.interpreter);
        continue;
      }
      fmt::print(progress, "{}", python_summary(section));
      if (section.prime_fit.worst > 0.03)
        fmt::print(progress, "  warning: the is_prime fit misses a range by {:.1f}% (> 3%); "
                             "a busy machine?\n", section.prime_fit.worst * 100);
      p.pythons.push_back(std::move(section));
    } catch (const std::exception& e) {
      p.python_note = e.what();
      fmt::print(progress, "    skipped: {}\n", e.what());
    }
  }
}

}  // namespace gilsim::detail
