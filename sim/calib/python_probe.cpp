// Running the Python probe under one interpreter and fitting its costs from what it timed.
#include "sim/calib/python_probe.hpp"
#include "sim/calib/shell.hpp"

#include "models/cost/kernel_fit.hpp"
#include "models/core/scenario.hpp"
#include "sim/load/profile_python.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace gilsim::detail {
namespace {

// The probe's request: runs, scale, and each prime range with the passes that make one timing
// last about plan.prime_seconds at gilsim's default CPython cost.
std::string probe_spec(const probe_plan& plan)
{
  const kernel_cost guess = scenario{}.python_cost;
  nlohmann::json prime = nlohmann::json::array();
  std::vector<number_range> ranges = plan.prime;
  ranges.insert(ranges.end(), plan.checks.begin(), plan.checks.end());
  for (const auto& r : ranges) {
    const range_work w = prime_range_work(r);
    const double pass = double(w.divisions) * guess.per_division + double(w.items) * guess.per_item;
    prime.push_back({r.first, r.last, std::max(1L, std::lround(plan.prime_seconds / pass))});
  }
  return nlohmann::json{{"runs", plan.runs},
                        {"scale", plan.scale},
                        {"prime", prime},
                        {"reference", plan.reference_last}}
      .dump();
}

std::string tail_of(const std::filesystem::path& file)
{
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  return s.size() > 600 ? "..." + s.substr(s.size() - 600) : s;
}

void report(std::ostream& progress, const probe_figure& f)
{
  if (f.runs.empty())
    return;
  std::string what = f.figure;
  if (f.figure == "prime")
    what = fmt::format("is_prime [{}, {}]", f.first, f.last);
  else if (f.figure == "sleep" || f.figure == "asyncio_sleep")
    what = fmt::format("{}({:g} us)", f.figure == "sleep" ? "sleep" : "asyncio.sleep",
                       f.requested * 1e6);
  else if (f.chunksize > 0)
    what = fmt::format("{} chunk {}", f.figure, f.chunksize);
  const sample_stats s = stats_of(f.runs);
  fmt::print(progress, "    {:<32} {:10.2f} us  (spread {:.1f}%)\n", what, s.median * 1e6,
             s.spread * 100);
}

}  // namespace

// Adds one line of the probe's output to `out`; throws std::runtime_error naming line `n`.
static void read_probe_line(const std::string& line, int n, probe_output& out)
{
  if (line.empty())
    return;
  try {
    const auto j = nlohmann::json::parse(line);
    const std::string figure = j.at("figure").get<std::string>();
    if (figure == "provenance") {
      out.implementation = j.at("implementation").get<std::string>();
      out.version = j.at("version").get<std::string>();
      out.interpreter = j.at("interpreter").get<std::string>();
      out.executable = j.at("executable").get<std::string>();
      return;
    }
    probe_figure f;
    f.figure = figure;
    f.first = j.value("first", std::uint64_t{0});
    f.last = j.value("last", std::uint64_t{0});
    f.primes = j.value("primes", std::uint64_t{0});
    f.requested = j.value("requested", 0.0);
    f.chunksize = j.value("chunksize", 0);
    f.runs = j.at("runs").get<std::vector<double>>();
    if (f.runs.empty())
      throw std::runtime_error("no runs");
    if (j.contains("speeds")) {
      f.speeds = j.at("speeds").get<std::vector<double>>();
      if (f.speeds.size() != f.runs.size())
        throw std::runtime_error("speeds and runs differ in length");
      for (double v : f.speeds)
        if (!(v > 0))
          throw std::runtime_error("a speed mark is not a positive time");
    }
    out.figures.push_back(std::move(f));
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("the probe's line {} is not a figure ({}): {}", n,
                                         e.what(), line.substr(0, 200)));
  }
}

probe_output parse_probe_output(const std::string& text)
{
  probe_output out;
  std::istringstream lines(text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n)
    read_probe_line(line, n, out);
  if (out.interpreter.empty())
    throw std::runtime_error("the probe printed no provenance line");
  return out;
}

probe_output run_probe(const std::string& python, const probe_plan& plan, std::ostream& progress)
{
  const auto dir = std::filesystem::temp_directory_path();
  const auto script = dir / fmt::format("gilsim-probe-{}.py", getpid());
  const auto errors = dir / fmt::format("gilsim-probe-{}.err", getpid());
  std::ofstream(script) << python_probe_source;
  const std::string cmd = fmt::format("{} {} {} 2>{}", shell_quote(python),
                                      shell_quote(script.string()),
                                      shell_quote(probe_spec(plan)), shell_quote(errors.string()));
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    std::filesystem::remove(script);
    throw std::runtime_error("could not start " + python);
  }
  // Each figure is reported as it arrives; a line that does not parse ends the run.
  probe_output out;
  std::string line, failure;
  char buf[4096];
  int n = 0;
  while (std::fgets(buf, sizeof buf, pipe)) {
    line += buf;
    if (line.back() != '\n')
      continue;
    line.pop_back();
    const size_t before = out.figures.size();
    try {
      if (failure.empty())
        read_probe_line(line, ++n, out);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (out.figures.size() > before)
      report(progress, out.figures.back());
    line.clear();
  }
  const int status = pclose(pipe);
  const std::string err = tail_of(errors);
  std::filesystem::remove(script);
  std::filesystem::remove(errors);
  if (status != 0)
    throw std::runtime_error(fmt::format("{} failed (exit status {}): {}", python,
                                         WIFEXITED(status) ? WEXITSTATUS(status) : status, err));
  if (!failure.empty())
    throw std::runtime_error(failure);
  if (out.interpreter.empty())
    throw std::runtime_error(python + ": the probe printed no provenance line");
  return out;
}

}  // namespace gilsim::detail
