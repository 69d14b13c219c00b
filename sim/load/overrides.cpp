// --set overrides (overrides.hpp): the path is split into segments that remember their column,
// each segment walks a map key or a list element, and the value is parsed as YAML. An override
// copies the maps and lists on its path before it changes them: a value that several places
// share (an alias, an entry a merge key brought in) changes at the place the path names only.
// A map or list that an earlier override copied is its own already and is not copied again:
// copying the whole tree's top level for every override made many overrides cost their square
// in nodes, and their cube in yaml-cpp's merging of node memories.
// An override of a top-level `x-` block is the exception: it changes the block itself, before
// merge keys are expanded, so that every map that merges or repeats it sees the change.
#include "sim/load/overrides.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <optional>
#include <vector>

namespace gilsim::detail {
namespace {

struct segment {
  std::string name;
  int col;  // 1-based, in the override text
};

[[noreturn]] void fail_override(const std::string& label, int col, const std::string& path,
                                const std::string& message)
{
  fail_input({label, 1, col}, path, message);
}

YAML::Node find_key(const YAML::Node& map, const std::string& key)
{
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key)
      return kv.first;
  return YAML::Node(YAML::NodeType::Undefined);
}

// "a.b.c" with each segment's column; an empty segment fails.
std::vector<segment> split_path(const std::string& path, const std::string& label)
{
  std::vector<segment> segs;
  for (size_t b = 0; b <= path.size();) {
    size_t e = std::min(path.find('.', b), path.size());
    if (e == b)
      fail_override(label, int(b) + 1, path, "empty key in the path");
    segs.push_back({path.substr(b, e - b), int(b) + 1});
    b = e + 1;
  }
  return segs;
}

// The element of `list` that `s` selects: a number is an index, anything else a `name`.
size_t select_element(const YAML::Node& list, const segment& s, const std::string& parent,
                      const std::string& label, const std::string& path)
{
  auto digit = [](unsigned char c) { return std::isdigit(c) != 0; };
  if (std::all_of(s.name.begin(), s.name.end(), digit)) {
    const size_t at = s.name.size() > 9 ? list.size() : std::stoul(s.name);
    if (at >= list.size())
      fail_override(label, s.col, path,
                    fmt::format("index {} is out of range: {} has {} element{}", s.name, parent,
                                list.size(), list.size() == 1 ? "" : "s"));
    return at;
  }
  std::vector<std::string> names;
  // An element without a name (or a list of plain values) is skipped: a const node's missing
  // key is invalid, and asking it anything but IsDefined throws.
  const auto name_of = [](const YAML::Node& item) {
    const YAML::Node n = item.IsMap() ? item["name"] : YAML::Node();
    return n.IsDefined() && n.IsScalar() ? std::optional<std::string>(n.Scalar()) : std::nullopt;
  };
  for (const auto& item : list)
    if (auto n = name_of(item))
      names.push_back(*n);
  for (size_t k = 0; k < list.size(); ++k)
    if (name_of(list[k]) == s.name)
      return k;
  fail_override(label, s.col, path,
                fmt::format("{} has no element named '{}';", parent, s.name) +
                    hint(s.name, names, "its names"));
}

// A copy of the map or list `n` whose every entry is a handle of its own on the same value:
// assigning to one entry of the copy leaves `n`, and whatever else holds that value, as they are.
YAML::Node own_copy(const YAML::Node& n, yaml_sources& src)
{
  // Each entry is first a node of the copy's own, then assigned: `a = b` makes the node that a
  // handles share b's value (marks included), and a new slot is not b's node.
  YAML::Node copy(n.Type());
  for (const auto& item : n) {
    if (n.IsMap()) {
      copy.force_insert(item.first, YAML::Node(YAML::NodeType::Null));
      copy[item.first] = item.second;
    } else {
      copy.push_back(YAML::Node(YAML::NodeType::Null));
      copy[copy.size() - 1] = static_cast<const YAML::Node&>(item);
    }
  }
  src.add_copy(copy, n);
  return copy;
}

}  // namespace

bool overrides_anchor_block(const std::string& text)
{
  return text.starts_with("x-");
}

// Grafts one "key.path=VALUE" into the tree, creating the maps the path needs. yaml-cpp nodes
// are handles: `a = b` writes b into a's place in the tree, `a.reset(b)` only moves the handle.
void apply_override(YAML::Node& root, const std::string& text, yaml_sources& src)
{
  const std::string label = "--set " + text;
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    fail_override(label, 1, "", "expected key.path=VALUE");
  const std::string path = text.substr(0, eq);
  const std::vector<segment> segs = split_path(path, label);
  // Assigned, not initialised: an empty value parses to a node without storage, and assigning
  // it gives `value` storage of its own that the graft below shares (so its position is found).
  YAML::Node value;
  value = parse_yaml(text.substr(eq + 1), label, int(eq) + 1, path);
  src.add_override_tree(value, label, int(eq) + 1);

  const bool in_place = overrides_anchor_block(text);
  if (root.IsNull())
    root.reset(YAML::Node(YAML::NodeType::Map));
  else if (!in_place && (root.IsMap() || root.IsSequence()) && !src.is_copy(root))
    root.reset(own_copy(root, src));
  YAML::Node cur = root;
  for (size_t i = 0; i < segs.size(); ++i) {
    const segment& s = segs[i];
    const std::string parent = s.col == 1 ? std::string("the scenario")
                                          : fmt::format("'{}'", path.substr(0, size_t(s.col - 2)));
    YAML::Node slot;
    bool new_key = false;
    if (cur.IsMap()) {
      new_key = !find_key(cur, s.name).IsDefined();
      slot.reset(cur[s.name]);
    } else if (cur.IsSequence()) {
      slot.reset(cur[select_element(cur, s, parent, label, path)]);
    } else {
      fail_override(label, s.col, path,
                    fmt::format("{} is a single value, not a map or a list", parent));
    }
    if (i + 1 == segs.size()) {
      slot = value;
    } else if (!slot.IsDefined() || slot.IsNull()) {
      slot = YAML::Node(YAML::NodeType::Map);
      src.add_override_node(slot, label, s.col);
    } else if (!in_place && (slot.IsMap() || slot.IsSequence()) && !src.is_copy(slot)) {
      slot = own_copy(slot, src);
    }
    if (new_key)
      src.add_override_node(find_key(cur, s.name), label, s.col);
    cur.reset(slot);
  }
}

}  // namespace gilsim::detail
