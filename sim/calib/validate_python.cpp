// gilsim validate --python: the suite's programs timed for real in rounds (each round runs every
// program once, so that the host's drift and a burst of load touch them all alike), then each
// twin simulated in its own gilsim process from the profile's section for the interpreter.
#include "sim/calib/validate_python.hpp"

#include "models/core/error.hpp"
#include "sim/calib/host_measure.hpp"
#include "sim/calib/shell.hpp"
#include "sim/calib/validate.hpp"
#include "models/cost/kernel_cost.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/profile_python.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <unistd.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace gilsim {
namespace fs = std::filesystem;
namespace {

using detail::shell_quote;

int rounds_for(calibration_size size)
{
  switch (size) {
  case calibration_size::tiny: return 1;
  case calibration_size::quick: return 3;
  case calibration_size::full: break;
  }
  return 5;
}

// Runs `command` through the shell and returns its stdout; throws when it exits with non-zero.
std::string shell_output(const std::string& command)
{
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("validate: could not run " + command);
  std::string text;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    text.append(buf.data(), n);
  const int status = pclose(pipe);
  if (status != 0)
    throw std::runtime_error(
        fmt::format("validate: `{}` failed (status {}): {}", command, status, text.substr(0, 400)));
  return text;
}

// The interpreter's major.minor ("3.12") and full version ("3.12.8").
std::pair<std::string, std::string> interpreter_version(const std::string& python)
{
  std::istringstream in(shell_output(
      shell_quote(python) +
      " -c \"import sys; print('%d.%d' % sys.version_info[:2]); print(sys.version.split()[0])\""
      " 2>&1"));
  std::string key, full;
  in >> key >> full;
  return {key, full};
}

const host_profile::python_section* section_for(const host_profile& p, const std::string& key)
{
  for (const auto& s : p.pythons)
    if (s.costs.interpreter == key)
      return &s;
  return nullptr;
}

std::string keys_of(const host_profile& p)
{
  std::vector<std::string> keys;
  for (const auto& s : p.pythons)
    keys.push_back(s.costs.interpreter);
  return keys.empty() ? "none" : fmt::format("{}", fmt::join(keys, ", "));
}

// The drift reference: the seed's is_prime over [1, python_reference_last] in CPU time, under the
// interpreter, from the suite's common.py: the speed marks calibrate normalised the profile's CPU
// figures by (python_costs::reference).
std::string reference_snippet()
{
  return fmt::format("import json, time; from common import count_primes; t = time.thread_time(); "
                     "count_primes(1, {}); print(json.dumps({{'seconds': time.thread_time() - t}}))",
                     python_reference_last);
}

// The profile with every CPU cost of the interpreter and of the native kernel multiplied by
// `drift` (the host's speed at validation against calibration); wall figures (starts, sleeps,
// hand-off latencies, round trips) are kept.
host_profile scaled(host_profile p, double drift)
{
  const auto scale = [&](kernel_cost& c) {
    c.per_division *= drift;
    c.per_item *= drift;
    for (auto& k : c.by_bits)
      k.second *= drift;
  };
  scale(p.native.cost);
  if (p.python)
    scale(p.python->cost);
  for (auto& sec : p.pythons) {
    python_costs& c = sec.costs;
    if (c.prime)
      scale(*c.prime);
    for (const auto& f : python_scalar_figures())
      if (f.cpu)
        c.*f.member *= drift;
    for (pool_task_costs* pool : {&c.executor_pool, &c.mp_pool})
      for (linear_cost* l : {&pool->parent, &pool->child})
        *l = {l->fixed * drift, l->per_item * drift};
  }
  return p;
}

}  // namespace

namespace detail {

double program_seconds(const std::string& output)
{
  std::istringstream lines(output);
  std::string line;
  std::optional<double> seconds;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() != '{')
      continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("seconds") && j["seconds"].is_number())
      seconds = j["seconds"].get<double>();
  }
  if (!seconds || !(*seconds > 0))
    throw std::runtime_error("validate: the program printed no {\"seconds\": ...} line: " +
                             output.substr(0, 400));
  return *seconds;
}

fs::path find_suite(const std::string& flag)
{
  if (!flag.empty())
    return flag;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const std::vector<fs::path> candidates = {
      exe.parent_path().parent_path() / "share/gilsim/scenarios/validation",
      fs::path(GILSIM_SOURCE_DIR) / "scenarios/validation"};
  for (const auto& c : candidates)
    if (fs::exists(c / "suite.yaml"))
      return c;
  return {};
}

std::vector<suite_program> read_suite(const fs::path& dir)
{
  const std::string file = (dir / "suite.yaml").string();
  YAML::Node top;
  try {
    top = YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    fail_input({file, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
  const auto at = [&](const YAML::Node& n) {
    return source_pos{file, n.Mark().line + 1, n.Mark().column + 1};
  };
  const YAML::Node list = top["programs"];
  if (!list || !list.IsSequence() || list.size() == 0)
    fail_input(at(top), "programs", "expected a list of {name, run, twin}");
  std::vector<suite_program> out;
  for (size_t k = 0; k < list.size(); ++k) {
    const YAML::Node e = list[k];
    const std::string path = fmt::format("programs.{}", k);
    if (!e.IsMap())
      fail_input(at(e), path, "expected a map like {name: x, run: [x.py], twin: x.yaml}");
    for (const auto& kv : e)
      if (const auto key = kv.first.Scalar(); key != "name" && key != "run" && key != "twin" &&
                                              key != "tiny")
        fail_input(at(kv.first), path + "." + key, "unknown key: expected name, run, twin, tiny");
    suite_program p;
    for (const char* key : {"name", "run", "twin"})
      if (!e[key])
        fail_input(at(e), path, fmt::format("'{}' is missing", key));
    p.name = e["name"].as<std::string>();
    if (!e["run"].IsSequence() || e["run"].size() == 0)
      fail_input(at(e["run"]), path + ".run", "expected [program.py, arguments...]");
    for (const auto& a : e["run"])
      p.run.push_back(a.as<std::string>());
    p.twin = e["twin"].as<std::string>();
    p.tiny = e["tiny"] && e["tiny"].as<bool>();
    for (const auto& f : {p.run.front(), p.twin})
      if (!fs::exists(dir / f))
        fail_input(at(e), path, fmt::format("{} is not in {}", f, dir.string()));
    out.push_back(p);
  }
  return out;
}

}  // namespace detail

namespace {

struct measured_program {
  detail::suite_program program;
  std::vector<double> seconds;
  std::vector<double> speeds;  // the reference's CPU time around each run (mean of both sides)
};

std::vector<measured_program> pick(const std::vector<detail::suite_program>& suite,
                                   const python_validate_options& opt)
{
  std::vector<measured_program> out;
  for (const auto& p : suite) {
    const bool named = std::find(opt.only.begin(), opt.only.end(), p.name) != opt.only.end();
    if (opt.only.empty() ? (opt.size != calibration_size::tiny || p.tiny) : named)
      out.push_back({p, {}, {}});
  }
  for (const auto& name : opt.only)
    if (std::none_of(suite.begin(), suite.end(), [&](const auto& p) { return p.name == name; }))
      fail_input({"gilsim validate", 0, 0}, "--only", "no program " + name + " in the suite");
  return out;
}

constexpr const char* untrusted_timings = "the real timings are not to be trusted";

}  // namespace

namespace {

// Runs `args` (a program and its arguments) under the interpreter in the suite's folder and
// returns the seconds it printed.
double run_program(const python_validate_options& opt, const fs::path& dir,
                   const std::vector<std::string>& args)
{
  std::string cmd = "cd " + shell_quote(dir.string()) + " && " + shell_quote(opt.python);
  for (const auto& a : args)
    cmd += " " + shell_quote(a);
  return detail::program_seconds(shell_output(cmd + " 2>&1"));
}

// Every round runs each program once with the drift reference before and after it (the mark
// after one program is the mark before the next), and gives each run the mean of its two marks.
void measure_rounds(const python_validate_options& opt, const fs::path& dir,
                    std::vector<measured_program>& programs, int rounds, std::ostream& progress)
{
  const std::string reference = reference_snippet();
  for (int r = 0; r < rounds; ++r) {
    double before = run_program(opt, dir, {"-c", reference});
    for (size_t k = 0; k < programs.size(); ++k) {
      auto& m = programs[k];
      fmt::print(progress, "  round {}/{}: {} ({}/{})\n", r + 1, rounds, m.program.name, k + 1,
                 programs.size());
      m.seconds.push_back(run_program(opt, dir, m.program.run));
      const double after = run_program(opt, dir, {"-c", reference});
      m.speeds.push_back((before + after) / 2);
      before = after;
    }
  }
}

double simulate(const fs::path& twin, const std::string& profile, const std::string& key,
                const python_validate_options& opt, std::ostream& progress)
{
  const auto report = nlohmann::json::parse(detail::run_self(
      {"run", twin.string(), "--json", "--profile", profile, "--set", "python.interpreter=" + key},
      progress, opt.run_point));
  return report.at("makespan_s").get<double>();
}

struct error_summary {
  std::vector<double> abs;
  size_t worst = 0;
  void add(double e)
  {
    abs.push_back(std::abs(e));
    if (abs.back() > abs[worst])
      worst = abs.size() - 1;
  }
  double median() const { return stats_of(abs).median; }
};

// The reference's time at calibration: the speed marks' median, or for an older profile
// without them what its fitted cost says the range takes.
double reference_at_calibration(const python_costs& c)
{
  if (c.reference > 0)
    return c.reference;
  return kernel_range_seconds(*c.prime, 1, python_reference_last,
                              [](std::uint64_t a, std::uint64_t b) {
                                return prime_range_work(a, b);
                              });
}

void print_header(std::ostream& out)
{
  fmt::print(out, "| {:<20} | {:>9} | {:>7} | {:>5} | {:>9} | {:>6} | {:>9} | {:>6} |\n",
             "program", "measured", "spread%", "drift", "predicted", "error%", "anchored",
             "error%");
  fmt::print(out, "| {:-<20} | {:->9} | {:->7} | {:->5} | {:->9} | {:->6} | {:->9} | {:->6} |\n",
             "", ":", ":", ":", ":", ":", ":", ":");
}

}  // namespace

int validate_python_command(const python_validate_options& opt, std::ostream& out,
                            std::ostream& progress)
{
  const std::string python = detail::resolve_python(opt.python);
  if (python.empty())
    fail_input({"gilsim validate", 0, 0}, "--python",
               "no interpreter " + opt.python + " (not an executable file, nor on the PATH)");
  const auto found = find_host_profile(opt.profile);
  if (!found)
    fail_input({"gilsim validate", 0, 0}, "--profile",
               "validate needs a host profile, and there is none in the default places: run "
               "gilsim calibrate --python PATH, or give --profile FILE");
  const std::string profile_path = fs::absolute(*found).string();
  const host_profile prof = read_host_profile(profile_path);
  const auto [key, full] = interpreter_version(python);
  const auto* section = section_for(prof, key);
  if (!section || !section->costs.prime)
    fail_input({profile_path, 0, 0}, "pythons",
               fmt::format("the profile has no section for Python {} (it has: {}): run gilsim "
                           "calibrate --python {}",
                           key, keys_of(prof), opt.python));
  const fs::path dir = detail::find_suite(opt.suite);
  if (dir.empty())
    fail_input({"gilsim validate", 0, 0}, "--suite",
               "the validation suite (scenarios/validation/suite.yaml) is not installed: give "
               "--suite DIR");
  auto programs = pick(detail::read_suite(dir), opt);
  const int rounds = rounds_for(opt.size), cores = measure::online_cores();
  const double load_before = measure::load_average();
  fmt::print(progress, "gilsim validate --python {} (Python {}): {} programs x {} rounds on {} "
                       "cores (profile {}, load {:.2f})\n",
             opt.python, full, programs.size(), rounds, cores, profile_path, load_before);
  progress << measure::busy_warning(load_before, cores, "before", untrusted_timings);
  measure_rounds(opt, dir, programs, rounds, progress);
  const double load_after = measure::load_average();
  progress << measure::busy_warning(load_after, cores, "after", untrusted_timings);

  // The drift: the reference beside each program against its time at calibration (an older
  // profile without speed marks: what its fitted cost says the reference takes).
  const bool marked = section->costs.reference > 0;
  const double expected = reference_at_calibration(section->costs);
  std::vector<double> all_marks, drifts;
  error_summary raw, re;
  std::string rows;
  const fs::path anchored =
      fs::temp_directory_path() / fmt::format("gilsim-validate-anchored-{}.yaml", getpid());
  for (size_t k = 0; k < programs.size(); ++k) {
    const auto& m = programs[k];
    all_marks.insert(all_marks.end(), m.speeds.begin(), m.speeds.end());
    const double drift = stats_of(m.speeds).median / expected;
    drifts.push_back(drift);
    fmt::print(progress, "  simulating {}/{}: {}\n", k + 1, programs.size(), m.program.twin);
    const double predicted = simulate(dir / m.program.twin, profile_path, key, opt, progress);
    std::ofstream(anchored) << profile_yaml(scaled(prof, drift));
    const double again = simulate(dir / m.program.twin, anchored.string(), key, opt, progress);
    const sample_stats s = stats_of(m.seconds);
    raw.add((predicted - s.median) / s.median);
    re.add((again - s.median) / s.median);
    rows += fmt::format(
        "| {:<20} | {:9.1f} | {:7.1f} | {:5.3f} | {:9.1f} | {:+6.1f} | {:9.1f} | {:+6.1f} |\n",
        m.program.name, s.median * 1e3, s.spread * 100, drift, predicted * 1e3,
        (predicted - s.median) / s.median * 100, again * 1e3, (again - s.median) / s.median * 100);
  }
  fs::remove(anchored);
  print_header(out);
  fmt::print(out, "{}", rows);
  fmt::print(out, "\nPython {} ({}): median |error| {:.1f}%, worst {:.1f}% ({}); re-anchored to "
                  "the drift: median {:.1f}%, worst {:.1f}% ({})\n",
             full, opt.python, raw.median() * 100, raw.abs[raw.worst] * 100,
             programs[raw.worst].program.name, re.median() * 100, re.abs[re.worst] * 100,
             programs[re.worst].program.name);
  const sample_stats ref = stats_of(all_marks);
  const auto [lo, hi] = std::minmax_element(drifts.begin(), drifts.end());
  fmt::print(out, "drift: the reference (is_prime over [1, {}]) took {:.1f} ms (spread {:.1f}%) "
                  "beside the programs against {:.1f} ms {}, x{:.3f} to x{:.3f} by program; {} "
                  "programs, median of {} run{} each, times in ms; load {:.2f} before, {:.2f} "
                  "after\n",
             python_reference_last, ref.median * 1e3, ref.spread * 100, expected * 1e3,
             marked ? "at calibration" : "by the profile's fit", *lo, *hi, programs.size(),
             rounds, rounds == 1 ? "" : "s", load_before, load_after);
  return 0;
}

}  // namespace gilsim
