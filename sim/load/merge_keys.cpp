// YAML merge keys (`<<: *base`, `<<: [*a, *b]`), which yaml-cpp reads as a plain key named "<<":
// expanded in the parsed tree by the YAML 1.1 rule (yaml.org/type/merge.html). A map's own keys
// win over merged ones, and of a list of maps the earlier wins; the merged entries take the place
// of the "<<" key. Merged values are the anchored nodes themselves, so a mistake inside a shared
// block is reported at the line and column where the block is written.
#include "sim/load/input_file.hpp"
#include "sim/load/yaml_check.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace gilsim::detail {
namespace {

using pair_list = std::vector<std::pair<YAML::Node, YAML::Node>>;

// A plain `<<` (or one tagged !!merge); a quoted '<<' is an ordinary key.
bool is_merge_key(const YAML::Node& k)
{
  return k.IsScalar() && k.Scalar() == "<<" &&
         (k.Tag() == "?" || k.Tag() == "tag:yaml.org,2002:merge");
}

pair_list pairs_of(const YAML::Node& map)
{
  pair_list out;
  for (const auto& kv : map)
    out.emplace_back(kv.first, kv.second);
  return out;
}

bool has_key(const pair_list& pairs, const std::string& key)
{
  return std::any_of(pairs.begin(), pairs.end(),
                     [&](const auto& p) { return p.first.IsScalar() && p.first.Scalar() == key; });
}

class merge_expander {
public:
  explicit merge_expander(const yaml_sources& src)
      : src_(src)
      , limits_(current_input_limits())
  {
  }

  // Expands every merge key under `n`, the values before the maps that merge them.
  void expand(const YAML::Node& n, const std::string& path)
  {
    if (!n.IsMap() && !n.IsSequence())
      return;
    for (const auto& open : open_)
      if (open.is(n))
        fail(n, path,
             "the map or list anchored here holds an alias of itself at this key path; a "
             "value cannot contain itself");
    if (open_.size() >= limits_.depth)
      fail(n, path,
           fmt::format("maps and lists nest deeper than {} levels here once aliases "
                       "are expanded; set GILSIM_MAX_YAML_DEPTH to raise the limit",
                       limits_.depth));
    open_.push_back(n);
    if (n.IsSequence()) {
      size_t i = 0;
      for (const auto& item : n)
        expand(item, fmt::format("{}[{}]", path, i++));
    } else {
      for (const auto& kv : n)
        expand(kv.second, join_path(path, kv.first.IsScalar() ? kv.first.Scalar() : "?"));
      merge(n, path);
    }
    open_.pop_back();
  }

private:
  [[noreturn]] void fail(const YAML::Node& at, const std::string& path,
                         const std::string& message) const
  {
    fail_input(src_.pos(at), path, message);
  }

  // The maps a merge key's value names: one map, or a list of maps.
  std::vector<YAML::Node> sources(const YAML::Node& key, const YAML::Node& value,
                                  const std::string& path) const
  {
    const YAML::Node& at = value.IsNull() ? key : value;
    if (value.IsMap())
      return {value};
    if (!value.IsSequence() || value.size() == 0)
      fail(at, path,
           "a merge key '<<' takes a map or a list of maps, like <<: *base or "
           "<<: [*a, *b]");
    std::vector<YAML::Node> maps;
    size_t i = 0;
    for (const auto& item : value) {
      if (!item.IsMap())
        fail(item, fmt::format("{}[{}]", path, i),
             "a merge key's list holds maps only (aliases of anchored maps, like *base)");
      maps.push_back(item);
      ++i;
    }
    return maps;
  }

  // The entries `<<` brings into a map whose own entries are `own`: those of its maps in order,
  // each key once (the first map that has it), none that the map writes itself.
  pair_list merged_entries(const YAML::Node& key, const YAML::Node& value, const pair_list& own,
                           const std::string& path) const
  {
    pair_list out;
    for (const auto& m : sources(key, value, path)) {
      pair_list seen;
      for (const auto& [k, v] : pairs_of(m)) {
        const std::string name = k.IsScalar() ? k.Scalar() : std::string("?");
        if (k.IsScalar() && has_key(seen, name)) {
          const auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& p) {
            return p.first.IsScalar() && p.first.Scalar() == name;
          });
          fail(k, join_path(path, name),
               fmt::format("the key '{}' is written twice (first at line {})", name,
                           src_.pos(first->first).line));
        }
        seen.emplace_back(k, v);
        if (!k.IsScalar() || (!has_key(own, name) && !has_key(out, name)))
          out.emplace_back(k, v);
      }
    }
    return out;
  }

  // Replaces the map's `<<` entry by the entries it merges, in place: the map keeps its
  // identity (and so its position, and every alias of it sees the expansion).
  void merge(YAML::Node map, const std::string& path) const
  {
    const pair_list all = pairs_of(map);
    pair_list own;
    const std::pair<YAML::Node, YAML::Node>* merge_entry = nullptr;
    for (const auto& p : all) {
      if (!is_merge_key(p.first)) {
        own.push_back(p);
      } else if (merge_entry) {
        fail(p.first, join_path(path, "<<"),
             fmt::format("the key '<<' is written twice (first at line {}); merge several maps "
                         "with one list: <<: [*a, *b]",
                         src_.pos(merge_entry->first).line));
      } else {
        merge_entry = &p;
      }
    }
    if (!merge_entry)
      return;
    const pair_list merged =
        merged_entries(merge_entry->first, merge_entry->second, own, join_path(path, "<<"));
    for (const auto& p : all)
      map.remove(p.first);
    for (const auto& p : all) {
      if (&p != merge_entry) {
        map.force_insert(p.first, p.second);
        continue;
      }
      for (const auto& [k, v] : merged)
        map.force_insert(k, v);
    }
  }

  const yaml_sources& src_;
  input_limits limits_;
  std::vector<YAML::Node> open_;
};

}  // namespace

void expand_merge_keys(const YAML::Node& root, const yaml_sources& src)
{
  merge_expander(src).expand(root, "");
}

}  // namespace gilsim::detail
