// The v1 scenario loader: parses YAML, expands merge keys (merge_keys.cpp), grafts --set
// overrides into the tree (overrides.cpp), then reads each section through tables of allowed
// keys, resolving models in their registries: the small sections here, the machine and scheduler
// (machine.cpp), processes (processes.cpp), programs (steps.cpp) and the workload (workload.cpp).
#include "sim/load/loader.hpp"

#include "models/lock/lock_model.hpp"
#include "sim/load/distribution.hpp"
#include "sim/load/input_file.hpp"
#include "sim/load/overrides.hpp"
#include "sim/load/sections.hpp"
#include "sim/load/steps.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <tuple>

namespace gilsim {
namespace {

using namespace detail;

void read_name(const map_view& top, load_state& st)
{
  if (auto v = top.get("name"))
    st.sc.name = read_string(*v);
  else
    st.sc.name = std::filesystem::path(st.label).stem().string();
}

void read_seed(const map_view& top, load_state& st)
{
  if (auto v = top.get("seed"))
    st.sc.seed = read_uint64(*v);
}

void read_python(const map_view& top, load_state& st)
{
  if (auto v = top.get("python")) {
    st.python_default = read_gil(*v);
    st.interpreter = map_view(*v).get("interpreter");
  }
}

void read_locks(const map_view& top, load_state& st)
{
  const map_view locks(top.value("locks"), "a map of lock names");
  for (const auto& e : locks.entries()) {
    const std::string name = read_string(e.key, "a lock name");
    map_view spec(e.value, "a map like {kind: mutex}");
    if (const auto* a = spec.find("arrivals"))  // a likely slip, answered with what to write
      a->key.fail("a lock takes no arrivals: a queue fed by open arrivals is a work queue, "
                  "`queues: {" + name + ": {arrivals: {poisson: 300/s, count: 1000}}}`, whose "
                  "requests threads take with `for_each: " + name + "`");
    st.sc.locks.push_back({name, read_model<lock_registry>(spec, "kind", "mutex", "lock kind")});
  }
}

// queues: {jobs: {items: {range: [1, 1000]}, chunk: 1}}, or a queue of requests that arrive
// over time, taken by for_each as they come: {requests: {arrivals: {poisson: 300/s, count: N}}}
void read_queues(const map_view& top, load_state& st)
{
  const map_view queues(top.value("queues"), "a map of queue names");
  for (const auto& e : queues.entries()) {
    queue_spec q;
    q.name = read_string(e.key, "a queue name");
    map_view spec(e.value, "a map like {items: {range: [1, 1000]}}");
    spec.allow_only({"items", "arrivals", "chunk"});
    if (auto a = spec.get("arrivals")) {
      if (auto items = spec.get("items"))
        items->fail("give either items or arrivals, not both");
      q.arrivals = read_arrivals(*a, st.sc.file);
      q.last = q.arrivals->count;
      q.requests = true;
    } else {
      if (!spec.find("items"))
        spec.self().fail("missing required key 'items' (like {range: [1, 1000]}), or "
                         "'arrivals' (like {poisson: 300/s, count: 1000})");
      std::tie(q.first, q.last) = read_items(spec.require("items"));
    }
    if (auto c = spec.get("chunk"))
      q.chunk = std::uint64_t(read_int(*c, 1, max_number));
    st.sc.queues.push_back(q);
  }
}

// The top-level keys, read in this order whatever the file's order: processes need the locks
// and the python defaults.
struct section {
  const char* key;
  void (*read)(const map_view& top, load_state& st);
};
const section sections[] = {
    {"name", read_name},           {"seed", read_seed},     {"machine", read_machine},
    {"scheduler", read_scheduler}, {"python", read_python}, {"locks", read_locks},
    {"queues", read_queues},       {"cost", read_cost},     {"processes", read_processes},
    {"workload", read_workload},
};

}  // namespace

namespace {

// keep_parsed_scenario's tree: taken by the first load of that text, so used once per process.
struct kept_tree {
  std::string label;
  std::string text;
  YAML::Node root;
  bool valid = false;
};
kept_tree& kept()
{
  static kept_tree k;
  return k;
}

YAML::Node parsed(const std::string& yaml, const std::string& file_label)
{
  kept_tree& k = kept();
  if (k.valid && k.label == file_label && k.text == yaml) {
    k.valid = false;
    return k.root;
  }
  return parse_yaml(yaml, file_label);
}

scenario load_tree(const std::string& yaml, const std::string& file_label,
                   const std::vector<std::string>& overrides, const std::string& profile,
                   const host_profile* host)
{
  yaml_sources src(file_label);
  YAML::Node root = parsed(yaml, file_label);
  // An x- block's overrides change the block before the maps that merge it are expanded; the
  // others change the expanded tree at the place they name (overrides.hpp).
  for (const auto& o : overrides)
    if (overrides_anchor_block(o))
      apply_override(root, o, src);
  expand_merge_keys(root, src);
  for (const auto& o : overrides)
    if (!overrides_anchor_block(o))
      apply_override(root, o, src);

  field top_field{&src, root, "", root};
  if (root.IsNull())
    fail_input({file_label, 1, 1}, "", "the scenario is empty");
  std::vector<std::string> keys;
  for (const auto& s : sections)
    keys.push_back(s.key);
  map_view top(top_field, "a map of scenario keys");
  // Top-level x- blocks hold settings for anchors and merge keys; the loader ignores them.
  top.allow_only(keys, "x-");

  load_state st;
  st.label = file_label;
  st.profile = profile;
  st.given_profile = host;
  st.sc.file = file_label;
  for (const auto& s : sections)
    s.read(top, st);
  add_workload(st);
  check_thread_limit(top, st);
  check_lock_use(st.sc);
  return st.sc;
}

}  // namespace

scenario load_scenario_text(const std::string& yaml, const std::string& file_label,
                            const std::vector<std::string>& overrides, const std::string& profile,
                            const host_profile* host)
{
  // The readers check each node's kind before they ask for it; an exception of yaml-cpp's that
  // still gets out (a rule broken in the loader) is reported against the scenario, not unlocated.
  try {
    return load_tree(yaml, file_label, overrides, profile, host);
  } catch (const YAML::Exception& e) {
    fail_input({file_label, e.mark.line + 1, e.mark.column + 1}, "",
               fmt::format("the scenario could not be read as expected: {}", e.msg));
  }
}

void keep_parsed_scenario(const std::string& path)
{
  kept_tree& k = kept();
  k.valid = false;
  k.text = read_input_file(path, "the scenario");
  k.root = parse_yaml(k.text, path);
  k.label = path;
  k.valid = true;
}

scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::string& profile)
{
  return load_scenario_text(read_input_file(path, "the scenario"), path, overrides, profile);
}

}  // namespace gilsim
