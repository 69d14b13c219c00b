// The numbers behind `gilsim plot`: reading a results CSV, grouping its rows into series,
// speedup and efficiency, and the least-squares fit of Amdahl's serial fraction.
#include "sim/batch/plot.hpp"

#include "models/core/error.hpp"
#include "sim/load/loader.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

namespace gilsim::plot {

int table::column(const std::string& name) const
{
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : int(it - header.begin());
}

table parse_csv(const std::string& text, const std::string& label)
{
  table t;
  t.label = label;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  int line = 1, row_line = 1;
  auto end_row = [&] {
    row.push_back(std::move(field));
    field.clear();
    if (t.header.empty()) {
      t.header = std::move(row);
    } else {
      t.rows.push_back(std::move(row));
      t.lines.push_back(row_line);
    }
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n')
      ++line;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += text[++i];
      else if (c == '"')
        quoted = false;
      else
        field += c;
      continue;
    }
    if (!any && c != '\n')
      row_line = line;
    if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      if (any || !field.empty())
        end_row(); // blank lines are no rows
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (quoted)
    fail_input({label, row_line}, "", "a quoted field is not closed");
  if (any || !field.empty())
    end_row();
  if (t.header.empty())
    fail_input({label}, "", "empty file: expected a header line of column names");
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r].size() != t.header.size())
      fail_input(
          {label, t.lines[r]}, "",
          fmt::format("{} fields where the header has {}", t.rows[r].size(), t.header.size()));
  return t;
}

table read_csv(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail_input({path}, "", "cannot read this file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str(), path);
}

kind parse_kind(const std::string& text)
{
  if (text == "makespan")
    return kind::makespan;
  if (text == "speedup")
    return kind::speedup;
  if (text == "efficiency")
    return kind::efficiency;
  fail_input({"--kind"}, "", fmt::format("'{}': expected makespan, speedup or efficiency", text));
}

const char* kind_name(kind k)
{
  switch (k) {
  case kind::makespan: return "makespan";
  case kind::speedup: return "speedup";
  case kind::efficiency: return "efficiency";
  }
  return "?";
}

namespace {

bool parse_number(const std::string& text, double& value)
{
  if (text.empty())
    return false;
  std::size_t used = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && std::isfinite(value);
}

// A number with an optional duration unit: the number and the unit ("" for a plain number).
bool split_unit(const std::string& text, double& value, std::string& unit)
{
  std::size_t cut = text.size();
  while (cut > 0 && std::isalpha(static_cast<unsigned char>(text[cut - 1])))
    --cut;
  unit = text.substr(cut);
  if (!unit.empty() && unit != "ns" && unit != "us" && unit != "ms" && unit != "s" && unit != "min")
    return false;
  std::string number = text.substr(0, cut);
  while (!number.empty() && number.back() == ' ')
    number.pop_back();
  return parse_number(number, value);
}

int need_column(const table& t, const std::string& name, const std::string& option)
{
  int c = t.column(name);
  if (c < 0) {
    std::string names;
    for (const auto& h : t.header)
      names += (names.empty() ? "" : ", ") + h;
    fail_input({option}, "",
               fmt::format("no column '{}' in {}; its columns: {}", name, t.label, names));
  }
  return c;
}

std::string last_segment(const std::string& key)
{
  auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

struct accumulator {
  double sum = 0;
  int runs = 0;
  std::vector<std::string> others; // the other swept columns' values of the first row
};

// The columns a selection names, by index, and the swept columns it leaves free.
struct columns {
  int x = -1, y = -1, status = -1;
  std::vector<int> series;
  std::vector<std::pair<int, std::string>> filters; // column, the value it must have
  std::vector<int> others; // swept, neither plotted nor filtered: must not vary in a sample
};

columns resolve(const table& t, const selection& s)
{
  columns c;
  c.x = need_column(t, s.x, "--x");
  c.y = need_column(t, s.y, "--y");
  for (const auto& name : s.series)
    c.series.push_back(need_column(t, name, "--series"));
  for (const auto& w : s.where) {
    auto eq = w.find('=');
    if (eq == std::string::npos)
      fail_input({"--where"}, "", fmt::format("'{}': expected column=value", w));
    c.filters.emplace_back(need_column(t, w.substr(0, eq), "--where"), w.substr(eq + 1));
  }
  // The swept columns of a results.csv sit between `point` and `seed`.
  const int seed = t.column("seed");
  if (!t.header.empty() && t.header[0] == "point" && seed > 0)
    for (int k = 1; k < seed; ++k) {
      bool used = k == c.x || std::find(c.series.begin(), c.series.end(), k) != c.series.end() ||
                  std::any_of(c.filters.begin(), c.filters.end(),
                              [k](const auto& f) { return f.first == k; });
      if (!used)
        c.others.push_back(k);
    }
  c.status = t.column("status");
  return c;
}

// The rows kept (matching the filters, ok, with a y) with their x in its own unit, and whether
// every x has the same unit; sets g.skipped and g.x_unit ("s" when the units differ).
struct kept_rows {
  std::vector<std::pair<std::size_t, double>> rows; // index, x
  bool one_unit = true;
};

kept_rows keep_rows(const table& t, const selection& s, const columns& c, grouped& g)
{
  kept_rows out;
  auto& kept = out.rows;
  bool& one_unit = out.one_unit;
  std::string unit;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    bool match = std::all_of(c.filters.begin(), c.filters.end(),
                             [&](const auto& f) { return row[std::size_t(f.first)] == f.second; });
    if (!match)
      continue;
    if ((c.status >= 0 && row[std::size_t(c.status)] != "ok") || row[std::size_t(c.y)].empty()) {
      ++g.skipped;
      continue;
    }
    double v = 0;
    std::string u;
    if (!split_unit(row[std::size_t(c.x)], v, u))
      fail_input({t.label, t.lines[r]}, s.x,
                 fmt::format("'{}' is neither a number nor a duration", row[std::size_t(c.x)]));
    if (kept.empty())
      unit = u;
    else if (u != unit)
      one_unit = false;
    kept.emplace_back(r, v);
  }
  g.x_unit = one_unit ? unit : "s";
  return out;
}

// Adds a row's y to its sample, after checking that the columns left free agree with the
// sample's first row.
void add_to_sample(accumulator& acc, double y, const std::vector<std::string>& vals,
                   const table& t, const selection& s, const columns& c, std::size_t r,
                   const std::string& name)
{
  const auto& row = t.rows[r];
  if (acc.runs == 0) {
    acc.others = vals;
  } else {
    for (std::size_t i = 0; i < vals.size(); ++i)
      if (vals[i] != acc.others[i]) {
        const std::string& col = t.header[std::size_t(c.others[i])];
        fail_input({t.label, t.lines[r]}, col,
                   fmt::format("rows of series '{}' at {} = {} differ in this column too "
                               "('{}', '{}'); add --series {} or --where {}=VALUE",
                               name, s.x, row[std::size_t(c.x)], acc.others[i], vals[i], col,
                               col));
      }
  }
  acc.sum += y;
  ++acc.runs;
}

} // namespace

grouped group(const table& t, const selection& s)
{
  const columns c = resolve(t, s);
  grouped g;
  const auto kept = keep_rows(t, s, c, g);
  std::vector<std::string> order;
  std::map<std::string, std::map<double, accumulator>> by_series;
  for (auto [r, x] : kept.rows) {
    const auto& row = t.rows[r];
    const source_pos pos{t.label, t.lines[r]};
    double y = 0;
    if (!kept.one_unit)
      x = parse_duration(row[std::size_t(c.x)], pos, s.x);
    if (!parse_number(row[std::size_t(c.y)], y))
      fail_input(pos, s.y, fmt::format("'{}' is not a number", row[std::size_t(c.y)]));
    std::string name;
    for (std::size_t i = 0; i < c.series.size(); ++i)
      name += fmt::format("{}{}={}", i ? ", " : "", last_segment(s.series[i]),
                          row[std::size_t(c.series[i])]);
    if (name.empty())
      name = s.y;
    if (!by_series.count(name))
      order.push_back(name);
    std::vector<std::string> vals;
    for (int k : c.others)
      vals.push_back(row[std::size_t(k)]);
    add_to_sample(by_series[name][x], y, vals, t, s, c, r, name);
  }
  for (const auto& name : order) {
    series out{name, {}};
    for (const auto& [x, acc] : by_series[name])
      out.samples.push_back({x, acc.sum / acc.runs, acc.runs});
    g.all.push_back(std::move(out));
  }
  return g;
}

std::vector<double> speedups(const series& s)
{
  std::vector<double> out;
  for (const auto& p : s.samples)
    out.push_back(s.samples.front().y / p.y);
  return out;
}

std::vector<double> efficiencies(const series& s)
{
  std::vector<double> out = speedups(s);
  const double x0 = s.samples.empty() ? 1 : s.samples.front().x;
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] /= s.samples[i].x / x0;
  return out;
}

std::vector<double> values(const series& s, kind k)
{
  if (k == kind::speedup)
    return speedups(s);
  if (k == kind::efficiency)
    return efficiencies(s);
  std::vector<double> out;
  for (const auto& p : s.samples)
    out.push_back(p.y);
  return out;
}

double amdahl(double f, double n)
{
  return 1.0 / (f + (1.0 - f) / n);
}

amdahl_fit fit_amdahl(const std::vector<double>& n, const std::vector<double>& speedup)
{
  amdahl_fit fit;
  if (n.size() < 2 || n.size() != speedup.size())
    return fit;
  auto sse = [&](double f) {
    double sum = 0;
    for (std::size_t i = 0; i < n.size(); ++i)
      sum += std::pow(speedup[i] - amdahl(f, n[i]), 2);
    return sum;
  };
  // The error need not be unimodal in f over all of [0, 1] with noisy data: a coarse scan finds
  // the best bracket, then a golden-section search narrows it to rounding.
  const int steps = 1000;
  int best = 0;
  double best_sse = sse(0);
  for (int i = 1; i <= steps; ++i)
    if (const double e = sse(double(i) / steps); e < best_sse)
      best = i, best_sse = e;
  double lo = std::max(0, best - 1) / double(steps), hi = std::min(steps, best + 1) / double(steps);
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
  double fa = sse(a), fb = sse(b);
  while (hi - lo > 1e-13) {
    if (fa < fb) {
      hi = b, b = a, fb = fa;
      a = hi - phi * (hi - lo), fa = sse(a);
    } else {
      lo = a, a = b, fa = fb;
      b = lo + phi * (hi - lo), fb = sse(b);
    }
  }
  fit.f = (lo + hi) / 2;
  for (double edge : {0.0, 1.0}) // the scan's ends, where the search cannot land exactly
    if (sse(edge) <= sse(fit.f))
      fit.f = edge;
  fit.ok = true;
  fit.rms = std::sqrt(sse(fit.f) / double(n.size()));
  return fit;
}

amdahl_fit fit_amdahl(const series& s)
{
  if (s.samples.size() < 2 || s.samples.front().x <= 0)
    return {};
  std::vector<double> n;
  for (const auto& p : s.samples)
    n.push_back(p.x / s.samples.front().x);
  return fit_amdahl(n, speedups(s));
}

} // namespace gilsim::plot
