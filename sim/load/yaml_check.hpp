// Strict reading of a YAML tree for the scenario loader: every value knows where it was written
// (the scenario file or a --set override) and its key path; maps are checked against tables of
// allowed keys, with "did you mean" hints; model parameters are checked against their declarations.
#pragma once

#include "models/core/params.hpp"
#include "models/core/error.hpp"
#include "models/core/scenario.hpp"

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace gilsim::detail {

// Maps a node to where its text was written. yaml-cpp marks are 0-based and relative to the text
// that was parsed; nodes grafted from a --set override are reported against the override itself.
class yaml_sources {
public:
  explicit yaml_sources(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  // Every node of `value` (keys included) came from the override `label`, whose value text
  // starts at 0-based column `value_col`. Nodes without a mark are placed at the value's start.
  void add_override_tree(const YAML::Node& value, const std::string& label, int value_col);
  // A node the override created (a key or an intermediate map): placed at 1-based column `col`.
  void add_override_node(const YAML::Node& node, const std::string& label, int col);
  // A copy of a map or list (made so that an override changes it alone): placed where the
  // original is.
  void add_copy(const YAML::Node& copy, const YAML::Node& original);
  // Is n such a copy (an earlier override's)? Its entries are its own already.
  bool is_copy(const YAML::Node& n) const
  {
    return std::any_of(copies_.begin(), copies_.end(), [&](const YAML::Node& c) { return c.is(n); });
  }
  std::size_t copies() const { return copies_.size(); }

  source_pos pos(const YAML::Node& n) const;

private:
  struct origin {
    YAML::Node node;
    std::string label;
    int value_col = 0;   // marked nodes: column offset of the value in the override
    int fixed_col = 0;   // > 0: nodes without a mark of their own, at fixed_line:fixed_col
    int fixed_line = 1;
  };
  std::string file_;
  std::vector<origin> origins_;
  std::vector<YAML::Node> copies_;
};

// A value in the tree with its key path ("processes[0].threads[1].count"). An absent key is a
// field whose node is undefined, located at its parent.
struct field {
  const yaml_sources* src = nullptr;
  YAML::Node node;
  std::string path;
  YAML::Node at;  // the node messages point at: the value, or its key when the value is empty

  bool present() const { return node.IsDefined(); }
  source_pos pos() const { return src->pos(at); }
  [[noreturn]] void fail(const std::string& message) const;
  // The value as a message shows it: 'abc', a map, a list, nothing.
  std::string shown() const;
};

std::string join_path(const std::string& path, const std::string& key);

// One YAML map's entries in file order. A null or absent value reads as an empty map.
class map_view {
public:
  struct entry {
    field key;
    field value;
  };
  // Fails unless f is a map (saying `expected`), and at a key written twice.
  explicit map_view(const field& f, const std::string& expected = "a map");
  // Fails at the first key not in `allowed` (nor starting with a non-empty `free_prefix`): "did
  // you mean" the nearest, or the allowed list.
  const map_view& allow_only(const std::vector<std::string>& allowed,
                             const std::string& free_prefix = {}) const;

  const field& self() const { return self_; }
  const std::vector<entry>& entries() const { return entries_; }
  const entry* find(const std::string& key) const;
  std::optional<field> get(const std::string& key) const;
  field value(const std::string& key) const;    // an absent field when the key is missing
  field require(const std::string& key) const;  // fails at the map when the key is missing

private:
  field self_;
  std::vector<entry> entries_;
};

// The names of declarations, locks or queues, in their order.
template <class Named>
std::vector<std::string> names_of(const std::vector<Named>& specs)
{
  std::vector<std::string> names;
  for (const auto& s : specs)
    names.push_back(s.name);
  return names;
}

// The elements of a list; fails unless f is a list, and when it is empty and must not be.
std::vector<field> list_items(const field& f, const std::string& of_what, bool non_empty);

// " did you mean 'X'?" for the known name nearest to `got` (edit distance <= 2, or equal
// ignoring case); otherwise " <intro>: a, b, c" (or "(none)").
std::string hint(const std::string& got, const std::vector<std::string>& known,
                 const std::string& intro);

// Scalar readers: each fails at the value with what it expected and what it got.
std::string read_string(const field& f, const std::string& what = "a name");
std::string read_choice(const field& f, const std::vector<std::string>& choices);
long long read_int(const field& f, long long lo, long long hi);
std::uint64_t read_uint64(const field& f);
double read_number(const field& f);
bool read_bool(const field& f);
// A span of simulated time: 0 (when allow_zero) or 1 ns .. max_duration.
double read_duration(const field& f, bool allow_zero);
// A cost per operation (per_division: 0.4ns): a duration that may be below 1 ns, at most
// max_duration.
double read_unit_cost(const field& f);
// Fails unless v is within [lo, hi] (lo excluded when lo_exclusive); `unit` decorates the bounds.
void check_range(const field& f, double v, double lo, double hi, bool lo_exclusive,
                 const std::string& unit = "");

// Fills a model's declared parameters from the entries of `m` other than `selector`; unknown
// names, wrong kinds and out-of-range values fail; undeclared ones keep their defaults.
param_values read_params(const map_view& m, const std::string& selector,
                         const std::vector<param_decl>& decls, const std::string& model,
                         const std::vector<std::string>& also = {});

// The entry of the model chosen by `selector` (default `default_name`) in Registry.
template <class Registry>
const typename Registry::entry& find_model(const map_view& m, const std::string& selector,
                                           const std::string& default_name,
                                           const std::string& what)
{
  const auto& reg = Registry::instance();
  auto chosen = m.get(selector);
  std::string name = chosen ? read_string(*chosen) : default_name;
  const auto* e = reg.find(name);
  if (!e && chosen)
    chosen->fail(fmt::format("unknown {} '{}';", what, name) +
                 hint(name, reg.names(), "available"));
  if (!e)
    m.self().fail(fmt::format("{} '{}' is not available", what, name));
  return *e;
}

// A model chosen by `selector` (default `default_name`) in Registry, with its parameters.
template <class Registry>
model_choice read_model(const map_view& m, const std::string& selector,
                        const std::string& default_name, const std::string& what,
                        const std::vector<std::string>& also = {})
{
  const auto& e = find_model<Registry>(m, selector, default_name, what);
  return {e.name, read_params(m, selector, e.params, fmt::format("{} '{}'", what, e.name), also)};
}

// The shared attributes of Registry's models (registry.hpp, `attributes`), one declaration per
// name: the chosen model's where it declares the name, else that of the first model by name that
// does. A key any model declares is so accepted whichever model is chosen (a scenario with
// `nice:` still loads under --set scheduler.policy=rr) and checked by one declaration.
template <class Registry>
std::vector<param_decl> attribute_decls(const std::string& chosen)
{
  const auto& reg = Registry::instance();
  std::vector<param_decl> out;
  auto add = [&](const std::vector<param_decl>& decls) {
    for (const auto& d : decls)
      if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.name == d.name; }))
        out.push_back(d);
  };
  if (const auto* e = reg.find(chosen))
    add(e->attributes);
  for (const auto& name : reg.names())
    add(reg.find(name)->attributes);
  return out;
}


// Parses YAML text; a syntax error is an input_error at yaml-cpp's position in `file_label`, as
// are invalid UTF-8, a second document, and text past the caps of input_file.hpp (nodes with
// aliases expanded, nesting depth). `col_offset` shifts the columns of the first line and
// `key_path` names the value in messages (a --set override's VALUE).
YAML::Node parse_yaml(const std::string& text, const std::string& file_label, int col_offset = 0,
                      const std::string& key_path = {});

// Expands the YAML merge keys under `root` in place (merge_keys.cpp): `<<: *base` or
// `<<: [*a, *b]` brings in the entries of those maps that the map does not write itself, the
// earlier map winning. A merge key's value that is not a map or a list of maps, a key written
// twice in a merged map, two `<<` in one map, or an alias inside the value it repeats fail at
// their line and column.
void expand_merge_keys(const YAML::Node& root, const yaml_sources& src);

}  // namespace gilsim::detail
