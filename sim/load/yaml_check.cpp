// Strict YAML reading for the scenario loader: positions, key tables, typed scalars, parameters.
// parse_duration (declared in loader.hpp) lives here beside the other scalar readers.
#include "sim/load/yaml_check.hpp"

#include "sim/load/loader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>

namespace gilsim {
namespace {

std::string trim(std::string_view s)
{
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return std::string(s.substr(b, e - b));
}

// A finite real number written in full ("1.5", "-2", "3e-3"); nullopt for anything else.
std::optional<double> parse_real(std::string_view s)
{
  if (!s.empty() && s.front() == '+')
    s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

}  // namespace

double parse_duration(const std::string& text, const source_pos& pos, const std::string& key_path,
                      bool allow_zero)
{
  static const std::pair<const char*, double> units[] = {
      {"min", 60}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"s", 1}};
  std::string t = trim(text);
  double scale = 1;
  std::string_view number = t;
  for (const auto& [unit, factor] : units) {
    if (number.ends_with(unit)) {
      number.remove_suffix(std::string_view(unit).size());
      scale = factor;
      break;
    }
  }
  auto v = parse_real(trim(number));
  if (!v || !std::isfinite(*v * scale))
    fail_input(pos, key_path, fmt::format("expected a duration like 5ms, got '{}'", text));
  if (*v < 0)
    fail_input(pos, key_path, fmt::format("a duration cannot be negative, got '{}'", text));
  if (*v == 0 && !allow_zero)
    fail_input(pos, key_path, fmt::format("must be greater than zero, got '{}'", text));
  if (*v * scale > max_duration)
    fail_input(pos, key_path,
               fmt::format("a duration must be at most 1e9 s (about 31 years), got '{}'", text));
  return *v * scale;
}

namespace detail {

// ---- where nodes were written

void yaml_sources::add_override_tree(const YAML::Node& value, const std::string& label,
                                     int value_col)
{
  origins_.push_back({value, label, value_col, value.Mark().is_null() ? value_col + 1 : 0});
  if (value.IsMap()) {
    for (const auto& kv : value) {
      add_override_tree(kv.first, label, value_col);
      add_override_tree(kv.second, label, value_col);
    }
  } else if (value.IsSequence()) {
    for (const auto& item : value)
      add_override_tree(item, label, value_col);
  }
}

void yaml_sources::add_override_node(const YAML::Node& node, const std::string& label, int col)
{
  origins_.push_back({node, label, 0, col});
}

void yaml_sources::add_copy(const YAML::Node& copy, const YAML::Node& original)
{
  // An original placed nowhere (0:0) leaves fixed_col 0: the copy's null mark gives 0:0 too.
  const source_pos p = pos(original);
  origins_.push_back({copy, p.file, 0, p.col, p.line});
  copies_.push_back(copy);
}

source_pos yaml_sources::pos(const YAML::Node& n) const
{
  // Later overrides replace earlier ones, so the last claim on a node is the true one.
  for (auto o = origins_.rbegin(); o != origins_.rend(); ++o) {
    if (!o->node.is(n))
      continue;
    if (o->fixed_col > 0)
      return {o->label, o->fixed_line, o->fixed_col};
    const auto m = n.Mark();
    return {o->label, m.line + 1, m.column + 1 + (m.line == 0 ? o->value_col : 0)};
  }
  const auto m = n.Mark();
  if (m.is_null())
    return {file_, 0, 0};
  return {file_, m.line + 1, m.column + 1};
}

// ---- fields, maps, lists

void field::fail(const std::string& message) const
{
  fail_input(pos(), path, message);
}

std::string field::shown() const
{
  if (!present() || node.IsNull())
    return "nothing";
  if (node.IsMap())
    return "a map";
  if (node.IsSequence())
    return "a list";
  return "'" + node.Scalar() + "'";
}

std::string join_path(const std::string& path, const std::string& key)
{
  return path.empty() ? key : path + "." + key;
}

map_view::map_view(const field& f, const std::string& expected) : self_(f)
{
  if (!f.present() || f.node.IsNull())
    return;
  if (!f.node.IsMap())
    f.fail(fmt::format("expected {}, got {}", expected, f.shown()));
  for (const auto& kv : f.node) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    field k{f.src, kv.first, join_path(f.path, key), kv.first};
    // An empty value's mark is where the next token starts: point at its key instead.
    bool empty = kv.second.IsNull() && !kv.second.Mark().is_null() &&
                 kv.second.Mark().line != kv.first.Mark().line;
    field v{f.src, kv.second, k.path, empty ? kv.first : kv.second};
    if (!kv.first.IsScalar())
      k.fail("a key must be a plain name, not " + k.shown());
    if (const entry* first = find(key))
      k.fail(fmt::format("the key '{}' is written twice (first at line {})", key,
                         first->key.pos().line));
    entries_.push_back({std::move(k), std::move(v)});
  }
}

const map_view& map_view::allow_only(const std::vector<std::string>& allowed,
                                     const std::string& free_prefix) const
{
  for (const auto& e : entries_) {
    const std::string& key = e.key.node.Scalar();
    if (!free_prefix.empty() && key.starts_with(free_prefix))
      continue;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      e.key.fail(fmt::format("unknown key '{}';", key) + hint(key, allowed, "allowed keys"));
  }
  return *this;
}

const map_view::entry* map_view::find(const std::string& key) const
{
  for (const auto& e : entries_)
    if (e.key.node.Scalar() == key)
      return &e;
  return nullptr;
}

std::optional<field> map_view::get(const std::string& key) const
{
  const entry* e = find(key);
  return e ? std::optional<field>(e->value) : std::nullopt;
}

field map_view::value(const std::string& key) const
{
  if (const entry* e = find(key))
    return e->value;
  return {self_.src, YAML::Node(YAML::NodeType::Undefined), join_path(self_.path, key), self_.at};
}

field map_view::require(const std::string& key) const
{
  if (const entry* e = find(key))
    return e->value;
  self_.fail(fmt::format("missing required key '{}'", key));
}

std::vector<field> list_items(const field& f, const std::string& of_what, bool non_empty)
{
  std::vector<field> out;
  if (f.present() && f.node.IsSequence()) {
    size_t i = 0;
    for (const auto& item : f.node)
      out.push_back({f.src, item, fmt::format("{}[{}]", f.path, i++), item});
  } else if (f.present() && !f.node.IsNull()) {
    f.fail(fmt::format("expected a list of {}, got {}", of_what, f.shown()));
  }
  if (out.empty() && non_empty)
    f.fail(fmt::format("expected a non-empty list of {}", of_what));
  return out;
}

// ---- did you mean

namespace {
std::string lower(std::string s)
{
  for (auto& c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Edit distance counting a swap of two neighbours as one edit (optimal string alignment).
size_t edit_distance(const std::string& a, const std::string& b)
{
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}
}  // namespace

std::string hint(const std::string& got, const std::vector<std::string>& known,
                 const std::string& intro)
{
  const std::string* best = nullptr;
  size_t best_d = 3;
  for (const auto& k : known) {
    // A guess must share something with what was typed: "xy" is 2 edits from any 2-letter key.
    size_t d = edit_distance(lower(got), lower(k));
    if (d < best_d && d < got.size()) {
      best = &k;
      best_d = d;
    }
  }
  if (best)
    return fmt::format(" did you mean '{}'?", *best);
  if (known.empty())
    return fmt::format(" {}: (none)", intro);
  return fmt::format(" {}: {}", intro, fmt::join(known, ", "));
}

// ---- scalars

std::string read_string(const field& f, const std::string& what)
{
  if (!f.node.IsScalar() || f.node.Scalar().empty())
    f.fail(fmt::format("expected {}, got {}", what, f.shown()));
  return f.node.Scalar();
}

std::string read_choice(const field& f, const std::vector<std::string>& choices)
{
  std::string v = read_string(f, fmt::format("one of {}", fmt::join(choices, ", ")));
  if (std::find(choices.begin(), choices.end(), v) == choices.end())
    f.fail(fmt::format("'{}' is not a choice here;", v) + hint(v, choices, "expected one of"));
  return v;
}

long long read_int(const field& f, long long lo, long long hi)
{
  std::optional<double> v;
  if (f.node.IsScalar())
    v = parse_real(f.node.Scalar());
  if (!v || *v != std::floor(*v) || std::fabs(*v) > 9e15)
    f.fail("expected an integer, got " + f.shown());
  check_range(f, *v, double(lo), double(hi), false);
  return static_cast<long long>(*v);
}

std::uint64_t read_uint64(const field& f)
{
  std::uint64_t v = 0;
  const std::string s = f.node.IsScalar() ? f.node.Scalar() : std::string();
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    f.fail("expected a non-negative integer, got " + f.shown());
  return v;
}

double read_number(const field& f)
{
  std::optional<double> v;
  if (f.node.IsScalar())
    v = parse_real(f.node.Scalar());
  if (!v)
    f.fail("expected a number, got " + f.shown());
  return *v;
}

bool read_bool(const field& f)
{
  const std::string s = f.node.IsScalar() ? f.node.Scalar() : std::string();
  if (s == "true" || s == "True" || s == "TRUE")
    return true;
  if (s == "false" || s == "False" || s == "FALSE")
    return false;
  f.fail("expected true or false, got " + f.shown());
}

double read_unit_cost(const field& f)
{
  if (!f.node.IsScalar())
    f.fail("expected a duration like 5ms, got " + f.shown());
  return parse_duration(f.node.Scalar(), f.pos(), f.path, true);
}

double read_duration(const field& f, bool allow_zero)
{
  const double v = read_unit_cost(f);
  if (v == 0 && !allow_zero)
    f.fail("must be greater than zero, got " + f.shown());
  // The OS keeps time in whole nanoseconds: a shorter span would be rounded to 0 or 1 ns.
  if (v > 0 && v < min_duration)
    f.fail(fmt::format("a duration must be 0 or at least 1ns, got {}", f.shown()));
  return v;
}

void check_range(const field& f, double v, double lo, double hi, bool lo_exclusive,
                 const std::string& unit)
{
  bool low_ok = lo_exclusive ? v > lo : v >= lo;
  if (low_ok && v <= hi)
    return;
  std::string range;
  if (std::isfinite(lo) && std::isfinite(hi) && !lo_exclusive)
    range = fmt::format("between {:g}{} and {:g}{}", lo, unit, hi, unit);
  else if (!low_ok)
    range = fmt::format("{} {:g}{}", lo_exclusive ? ">" : ">=", lo, unit);
  else
    range = fmt::format("<= {:g}{}", hi, unit);
  f.fail(fmt::format("must be {}, got {}", range, f.shown()));
}

// ---- model parameters

param_values read_params(const map_view& m, const std::string& selector,
                         const std::vector<param_decl>& decls, const std::string& model,
                         const std::vector<std::string>& also)
{
  const std::vector<std::string> names = names_of(decls);
  std::vector<std::string> guesses = names;
  guesses.push_back(selector);
  guesses.insert(guesses.end(), also.begin(), also.end());

  param_values values = default_values(decls);
  for (const auto& e : m.entries()) {
    const std::string& key = e.key.node.Scalar();
    if (key == selector || std::find(also.begin(), also.end(), key) != also.end())
      continue;  // the selector, and keys the caller reads itself
    auto d = std::find_if(decls.begin(), decls.end(), [&](const auto& p) { return p.name == key; });
    if (d == decls.end()) {
      std::string msg = fmt::format("'{}' is not a parameter of {};", key, model);
      std::string h = hint(key, guesses, "it takes");
      if (h.starts_with(" it takes"))
        h = hint(key, names, "it takes");
      e.key.fail(msg + h);
    }
    const field& f = e.value;
    const std::string unit = d->kind == param_kind::duration ? "s" : "";
    switch (d->kind) {
    case param_kind::duration:
    case param_kind::number: {
      double v = d->kind == param_kind::duration ? read_duration(f, true) : read_number(f);
      check_range(f, v, d->min, d->max, d->min_exclusive, unit);
      values.set_number(key, v);
      break;
    }
    case param_kind::integer: {
      double v = double(read_int(f, -(1LL << 53), 1LL << 53));
      check_range(f, v, d->min, d->max, d->min_exclusive);
      values.set_number(key, v);
      break;
    }
    case param_kind::boolean:
      values.set_number(key, read_bool(f) ? 1 : 0);
      break;
    case param_kind::choice:
      values.set_choice(key, read_choice(f, d->choices));
      break;
    }
  }
  return values;
}

}  // namespace detail
}  // namespace gilsim
