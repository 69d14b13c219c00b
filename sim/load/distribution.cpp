// Random durations and arrivals from YAML (distribution.hpp), each mistake at its line:col.
#include "sim/load/distribution.hpp"

#include "sim/load/loader.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

namespace gilsim::detail {
namespace {

const std::vector<std::string> dist_keys = {"exp", "uniform", "lognormal", "normal"};

// {mean: 5ms, sd: 2ms}: a mean above zero and a standard deviation of zero or more.
std::pair<double, double> read_mean_sd(const field& f)
{
  const map_view m(f, "a map like {mean: 5ms, sd: 2ms}");
  m.allow_only({"mean", "sd"});
  return {read_duration(m.require("mean"), false), read_duration(m.require("sd"), true)};
}

// "300/s", "2/ms", "120/min" or a plain number: requests per second.
double read_rate(const field& f)
{
  if (!f.node.IsScalar())
    f.fail("expected a rate like 300/s, got " + f.shown());
  const std::string text = f.node.Scalar();
  const auto slash = text.find('/');
  double per = 1;
  std::string number = text;
  if (slash != std::string::npos) {
    const std::string unit = text.substr(slash + 1);
    if (unit == "s")
      per = 1;
    else if (unit == "ms")
      per = 1e-3;
    else if (unit == "us")
      per = 1e-6;
    else if (unit == "min")
      per = 60;
    else
      f.fail(fmt::format("expected a rate like 300/s (per s, ms, us or min), got '{}'", text));
    number = text.substr(0, slash);
  }
  char* end = nullptr;
  const double v = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(v) || v <= 0)
    f.fail(fmt::format("expected a rate above zero like 300/s, got '{}'", text));
  return v / per;
}

// One time per row (a duration, e.g. 0.5 or 12ms), in order; blank lines and # comments skipped;
// a first row that is not a time is taken for a header when it has no digit. `found` is set
// to the path it is read from (relative to the scenario's directory).
std::vector<double> read_times_file(const field& f, const std::string& scenario_file,
                                    std::string& found)
{
  const std::string name = read_string(f, "a file name");
  namespace fs = std::filesystem;
  fs::path p(name);
  if (p.is_relative())
    p = fs::path(scenario_file).parent_path() / p;
  found = p.string();
  std::ifstream in(p);
  if (!in)
    f.fail(fmt::format("cannot read the arrivals file '{}'", p.string()));
  std::vector<double> times;
  std::string line;
  int row = 0;
  while (std::getline(in, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#')
      continue;
    std::string cell = line.substr(first, line.find(',', first) - first);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t'))
      cell.pop_back();
    if (times.empty() && cell.find_first_of("0123456789") == std::string::npos)
      continue; // a header
    const source_pos at{p.string(), row, int(first) + 1};
    const double t = parse_duration(cell, at, "arrival time", true);
    if (!times.empty() && t < times.back())
      fail_input(
          at, "arrival time",
          fmt::format("arrival times must be in order: {} comes after {:g} s", cell, times.back()));
    times.push_back(t);
  }
  if (times.empty())
    f.fail(fmt::format("the arrivals file '{}' has no arrival times", p.string()));
  return times;
}

} // namespace

bool is_distribution(const field& f)
{
  if (!f.node.IsMap() || f.node.size() != 1)
    return false;
  const std::string key = f.node.begin()->first.Scalar();
  return std::find(dist_keys.begin(), dist_keys.end(), key) != dist_keys.end();
}

std::pair<double, duration_dist> read_timed(const field& f, bool allow_zero)
{
  if (!f.node.IsMap())
    return {read_duration(f, allow_zero), duration_dist{}};
  const map_view m(f, "a duration like 5ms or {exp: 5ms}");
  m.allow_only(dist_keys);
  if (m.entries().size() != 1)
    f.fail(fmt::format("a random duration takes exactly one of {}", fmt::join(dist_keys, ", ")));
  const auto& e = m.entries()[0];
  const std::string key = e.key.node.Scalar();
  duration_dist d;
  if (key == "exp") {
    d.kind = dist_kind::exp;
    d.a = read_duration(e.value, false);
  } else if (key == "uniform") {
    d.kind = dist_kind::uniform;
    auto bounds = list_items(e.value, "[low, high]", true);
    if (bounds.size() != 2)
      e.value.fail("expected [low, high], like [1ms, 3ms]");
    d.a = read_duration(bounds[0], true);
    d.b = read_duration(bounds[1], false);
    if (d.b < d.a)
      e.value.fail("the range is empty: high is below low");
  } else {
    d.kind = key == "lognormal" ? dist_kind::lognormal : dist_kind::normal;
    std::tie(d.a, d.b) = read_mean_sd(e.value);
  }
  return {d.mean(), d};
}

arrival_spec read_arrivals(const field& f, const std::string& scenario_file)
{
  const map_view m(f, "a map like {poisson: 300/s, count: 1000}");
  m.allow_only({"poisson", "every", "file", "count"});
  arrival_spec a;
  const int kinds =
      int(bool(m.find("poisson"))) + int(bool(m.find("every"))) + int(bool(m.find("file")));
  if (kinds != 1)
    f.fail("arrivals take exactly one of poisson (a rate), every (an interval) or file");
  if (auto v = m.get("file")) {
    if (auto c = m.get("count"))
      c->fail("a file's arrivals are counted by its rows; leave out count");
    a.kind = arrival_kind::file;
    a.times = read_times_file(*v, scenario_file, a.file);
    a.count = a.times.size();
    return a;
  }
  a.count = std::uint64_t(read_int(m.require("count"), 1, 100000000));
  if (auto v = m.get("poisson")) {
    a.kind = arrival_kind::poisson;
    a.rate = read_rate(*v);
  } else {
    a.kind = arrival_kind::every;
    a.interval = read_duration(m.require("every"), false);
  }
  return a;
}

} // namespace gilsim::detail
