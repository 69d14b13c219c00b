// The host profile's YAML form (written with comments, read strictly through the loader's
// checked readers so a mistake points at its line and column), its search path, and its use.
#include "sim/load/host_profile.hpp"

#include "sim/load/input_file.hpp"
#include "sim/load/profile_python.hpp"
#include "sim/load/yaml_check.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace gilsim {
namespace {

using namespace detail;

constexpr int profile_version = 1;

std::string quoted(const std::string& s)
{
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

// A duration in the unit that keeps it readable, to 7 significant digits.
std::string duration(double s)
{
  const double a = std::abs(s);
  if (a == 0)
    return "0s";
  if (a < 1e-6)
    return fmt::format("{:.7g}ns", s * 1e9);
  if (a < 1e-3)
    return fmt::format("{:.7g}us", s * 1e6);
  if (a < 1)
    return fmt::format("{:.7g}ms", s * 1e3);
  return fmt::format("{:.7g}s", s);
}

// The keys stats_from reads back: a machine figure's map, or part of a scaling point's.
std::string stats_fields(const sample_stats& s)
{
  return fmt::format("median: {}, spread: {:.4g}, min: {}, max: {}, runs: {}", duration(s.median),
                     s.spread, duration(s.min), duration(s.max), s.runs);
}

std::string stats_map(const sample_stats& s) { return fmt::format("{{{}}}", stats_fields(s)); }

std::string cost_section(const std::string& key, const fitted_cost& c, const std::string& what)
{
  return fmt::format("{}:  # {}\n"
                     "  runtime: {}\n"
                     "  per_division: {}\n"
                     "  per_item: {}\n"
                     "  fit: {{ranges: {}, residual: {:.4g}, worst: {:.4g}, clamped: {}, "
                     "spread: {:.4g}}}\n",
                     key, what, quoted(c.runtime), duration(c.cost.per_division),
                     duration(c.cost.per_item), c.ranges, c.fit.residual, c.fit.worst,
                     c.fit.clamped, c.spread);
}

// ---- reading

// median (required), spread, min, max, runs from a map already checked for its keys.
sample_stats stats_from(const map_view& m)
{
  sample_stats s;
  s.median = read_duration(m.require("median"), true);
  s.min = s.max = s.median;
  if (auto v = m.get("min"))
    s.min = read_duration(*v, true);
  if (auto v = m.get("max"))
    s.max = read_duration(*v, true);
  if (auto v = m.get("spread")) {
    s.spread = read_number(*v);
    check_range(*v, s.spread, 0, 1e6, false);
  }
  s.runs = 1;
  if (auto v = m.get("runs"))
    s.runs = int(read_int(*v, 1, 1000000000));
  return s;
}

sample_stats read_stats(const field& f)
{
  if (f.node.IsScalar()) {  // a hand-written figure: `context_switch: 2us`
    sample_stats s;
    s.median = s.min = s.max = read_duration(f, true);
    s.runs = 1;
    return s;
  }
  map_view m(f, "a duration like 2us or a map like {median: 2us, runs: 5}");
  m.allow_only({"median", "spread", "min", "max", "runs"});
  return stats_from(m);
}

fitted_cost read_cost(const field& f)
{
  map_view m(f, "a map like {per_division: 2.3ns, per_item: 1ns}");
  m.allow_only({"runtime", "per_division", "per_item", "fit"});
  fitted_cost c;
  if (auto v = m.get("runtime"))
    c.runtime = read_string(*v, "a description");
  c.cost.per_division = read_unit_cost(m.require("per_division"));
  c.cost.per_item = read_unit_cost(m.require("per_item"));
  if (auto v = m.get("fit")) {
    map_view fit(*v, "a map like {ranges: 8, residual: 0.02}");
    fit.allow_only({"ranges", "residual", "worst", "clamped", "spread"});
    if (auto r = fit.get("ranges"))
      c.ranges = int(read_int(*r, 0, 1000000));
    auto fraction = [&](const char* key, double& out) {
      if (auto r = fit.get(key)) {
        out = read_number(*r);
        check_range(*r, out, 0, 1e6, false);
      }
    };
    fraction("residual", c.fit.residual);
    fraction("worst", c.fit.worst);
    fraction("spread", c.spread);
    if (auto r = fit.get("clamped"))
      c.fit.clamped = read_bool(*r);
  }
  return c;
}

void read_provenance(const field& f, host_profile& p)
{
  map_view m(f, "a map like {cpu: ..., cores: 2}");
  m.allow_only({"cpu", "cores", "kernel", "compiler", "gilsim", "date", "mode", "repetitions",
                "load_average"});
  p.cores = int(read_int(m.require("cores"), 1, 4096));
  auto text = [&](const char* key, std::string& out) {
    if (auto v = m.get(key))
      out = v->node.IsScalar() ? v->node.Scalar() : read_string(*v, "a text");
  };
  text("cpu", p.cpu);
  text("kernel", p.kernel);
  text("compiler", p.compiler);
  text("gilsim", p.gilsim);
  text("date", p.date);
  text("mode", p.mode);
  if (auto v = m.get("repetitions"))
    p.repetitions = int(read_int(*v, 0, 1000000));
  if (auto v = m.get("load_average"))
    p.load_average = read_number(*v);
}

void read_machine_figures(const field& f, host_profile& p)
{
  map_view m(f, "a map like {context_switch: 2us, wakeup_latency: 30us}");
  m.allow_only(
      {"context_switch", "wakeup_latency", "thread_start", "process_start", "process_exit"});
  p.context_switch = read_stats(m.require("context_switch"));
  p.wakeup_latency = read_stats(m.require("wakeup_latency"));
  if (auto v = m.get("thread_start"))
    p.thread_start = read_stats(*v);
  if (auto v = m.get("process_start"))
    p.process_start = read_stats(*v);
  if (auto v = m.get("process_exit"))
    p.process_exit = read_stats(*v);
}

void read_python(const field& f, host_profile& p)
{
  map_view m(f, "a map like {per_division: 35ns, per_item: 70ns} or {measured: false}");
  if (const auto* measured = m.find("measured")) {
    m.allow_only({"measured", "note"});
    if (read_bool(measured->value))
      measured->value.fail("a measured python cost gives per_division and per_item instead");
    if (auto v = m.get("note"))
      p.python_note = read_string(*v, "a note");
    return;
  }
  p.python = read_cost(f);
}

void read_scaling(const field& f, host_profile& p)
{
  for (const auto& item : list_items(f, "{threads: N, median: ...}", false)) {
    map_view m(item, "a map like {threads: 2, median: 40ms, speedup: 1.9}");
    m.allow_only({"threads", "median", "spread", "min", "max", "runs", "speedup"});
    scaling_point s;
    s.threads = int(read_int(m.require("threads"), 1, 1000000));
    s.seconds = stats_from(m);
    if (auto v = m.get("speedup"))
      s.speedup = read_number(*v);
    p.scaling.push_back(s);
  }
}

std::optional<std::filesystem::path> env_path(const char* name)
{
  const char* v = std::getenv(name);
  if (!v || !*v)
    return std::nullopt;
  return std::filesystem::path(v);
}

// The first interpreter's is_prime cost is what a profile's single `python:` section meant.
std::optional<fitted_cost> first_python_prime(const host_profile& p)
{
  if (p.pythons.empty() || !p.pythons.front().costs.prime)
    return std::nullopt;
  const auto& s = p.pythons.front();
  fitted_cost c;
  c.cost = *s.costs.prime;
  c.fit = s.prime_fit;
  std::vector<double> spreads;  // the median spread of the ranges' runs, as native's
  for (const auto& [key, st] : s.stats)
    if (key.starts_with("prime:"))
      spreads.push_back(st.spread);
  c.ranges = int(spreads.size());
  if (!spreads.empty())
    c.spread = stats_of(spreads).median;
  c.runtime = fmt::format("{} {} ({})", s.implementation, s.costs.version, s.executable);
  return c;
}

}  // namespace

namespace detail {

std::string profile_duration(double seconds) { return duration(seconds); }
std::string profile_quoted(const std::string& s) { return quoted(s); }
std::string profile_stats_map(const sample_stats& s) { return stats_map(s); }
std::string profile_stats_fields(const sample_stats& s) { return stats_fields(s); }
sample_stats profile_read_stats(const field& f) { return read_stats(f); }
sample_stats profile_stats_from(const map_view& m) { return stats_from(m); }

}  // namespace detail

std::string profile_yaml(const host_profile& p)
{
  std::string y = "# A gilsim host profile, written by `gilsim calibrate` (docs/calibration.md).\n"
                  "# Scenarios with `machine: {speed: host}` take their costs from it.\n";
  y += fmt::format("gilsim_profile: {}\n", profile_version);
  y += fmt::format("provenance:\n  cpu: {}\n  cores: {}\n  kernel: {}\n  compiler: {}\n"
                   "  gilsim: {}\n  date: {}\n  mode: {}\n  repetitions: {}\n"
                   "  load_average: {:.3g}  # 1-minute load when calibration started\n",
                   quoted(p.cpu), p.cores, quoted(p.kernel), quoted(p.compiler), quoted(p.gilsim),
                   quoted(p.date), quoted(p.mode), p.repetitions, p.load_average);
  y += cost_section("native", p.native, "the prime kernel in C++ on one core (thread CPU time)");
  // A profile with python sections keeps its CPython costs there (the first one's is_prime is
  // what `python:` said); an old-style profile read back is written as it was.
  if (!p.pythons.empty())
    y += pythons_yaml(p.pythons);
  else if (p.python)
    y += cost_section("python", *p.python, "the seed's is_prime under CPython, one core");
  else
    y += fmt::format("python: {{measured: false, note: {}}}\n", quoted(p.python_note));
  y += "machine:  # median of repeated runs; spread = median absolute deviation / median\n";
  y += "  context_switch: " + stats_map(p.context_switch) + "\n";
  y += "  wakeup_latency: " + stats_map(p.wakeup_latency) + "\n";
  y += "  thread_start: " + stats_map(p.thread_start) + "\n";
  y += "  process_start: " + stats_map(p.process_start) + "\n";
  y += "  process_exit: " + stats_map(p.process_exit) + "\n";
  y += "scaling:  # one range on 1 .. 2 x cores threads taking chunks from a shared counter\n";
  for (const auto& s : p.scaling)
    y += fmt::format("  - {{threads: {}, {}, speedup: {:.4g}}}\n", s.threads,
                     stats_fields(s.seconds), s.speedup);
  return y;
}

host_profile parse_host_profile(const std::string& yaml, const std::string& file_label)
{
  yaml_sources src(file_label);
  YAML::Node root = parse_yaml(yaml, file_label);
  if (root.IsNull())
    fail_input({file_label, 1, 1}, "", "the profile is empty; run gilsim calibrate");
  field top_field{&src, root, "", root};
  map_view top(top_field, "a host profile (a map; run gilsim calibrate)");
  top.allow_only(
      {"gilsim_profile", "provenance", "native", "python", "pythons", "machine", "scaling"});
  const field version = top.require("gilsim_profile");
  if (read_int(version, 0, 1000000) != profile_version)
    version.fail(fmt::format("this gilsim reads profile version {}; run gilsim calibrate again",
                             profile_version));
  host_profile p;
  p.file = file_label;
  read_provenance(top.require("provenance"), p);
  p.native = read_cost(top.require("native"));
  if (auto v = top.get("python"))
    read_python(*v, p);
  if (auto v = top.get("pythons")) {
    if (top.get("python"))
      v->fail("a profile gives either python (one interpreter's is_prime) or pythons, not both");
    read_pythons(*v, p);
    p.python = first_python_prime(p);
  }
  read_machine_figures(top.require("machine"), p);
  if (auto v = top.get("scaling"))
    read_scaling(*v, p);
  return p;
}

host_profile read_host_profile(const std::filesystem::path& path)
{
  return parse_host_profile(read_input_file(path.string(), "the host profile"), path.string());
}

std::filesystem::path default_profile_path()
{
  if (auto xdg = env_path("XDG_CONFIG_HOME"))
    return *xdg / "gilsim" / "host-profile.yaml";
  if (auto home = env_path("HOME"))
    return *home / ".config" / "gilsim" / "host-profile.yaml";
  return "host-profile.yaml";
}

std::vector<std::filesystem::path> profile_candidates(const std::string& flag)
{
  if (!flag.empty())
    return {flag};
  if (auto env = env_path("GILSIM_PROFILE"))
    return {*env};
  return {"host-profile.yaml", default_profile_path()};
}

std::optional<std::filesystem::path> find_host_profile(const std::string& flag)
{
  const auto candidates = profile_candidates(flag);
  if (candidates.size() == 1)  // named by --profile or $GILSIM_PROFILE: no fallback
    return candidates[0];
  for (const auto& c : candidates)
    if (std::filesystem::exists(c))
      return c;
  return std::nullopt;
}

host_profile use_host_profile(scenario& sc, const source_pos& at, const std::string& key_path,
                              const std::string& flag)
{
  const auto path = find_host_profile(flag);
  if (!path) {
    std::vector<std::string> places;
    for (const auto& c : profile_candidates(flag))
      places.push_back(c.string());
    fail_input(at, key_path,
               fmt::format("host needs a calibration profile, and there is none ({} do not "
                           "exist): run gilsim calibrate, or give --profile FILE",
                           fmt::join(places, ", ")));
  }
  host_profile p = read_host_profile(*path);
  apply_host_profile(sc, p);
  return p;
}

void apply_host_profile(scenario& sc, const host_profile& p)
{
  sc.machine.speed = 1.0;
  sc.machine.host = true;
  sc.machine.cores = p.cores;
  sc.machine.context_switch = p.context_switch.median;
  sc.machine.wakeup_latency = p.wakeup_latency.median;
  sc.native_cost = p.native.cost;
  if (p.python)
    sc.python_cost = p.python->cost;
}

}  // namespace gilsim
