// The machine, the scheduling policy and the prime kernel's costs: the sections that say what
// the programs run on.
#include "models/sched/sched_policy.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/sections.hpp"

#include <limits>

namespace gilsim::detail {

namespace {

// cores: 4, or groups of like cores: [{name: P, count: 2, speed: 1.0}, {name: E, count: 4}].
void read_cores(const field& f, machine_spec& mc)
{
  if (!f.node.IsSequence()) {
    mc.cores = int(read_int(f, 1, 4096));
    mc.groups.clear();
    return;
  }
  mc.groups.clear();
  long long total = 0;
  for (const field& item : list_items(f, "core groups", true)) {
    map_view g(item, "a group like {name: P, count: 2, speed: 1.0}");
    g.allow_only({"name", "count", "speed"});
    core_group cg;
    cg.name = read_string(g.require("name"), "a group name");
    for (const auto& other : mc.groups)
      if (other.name == cg.name)
        g.require("name").fail("group '" + cg.name + "' is named twice");
    if (auto v = g.get("count"))
      cg.count = int(read_int(*v, 1, 4096));
    if (auto v = g.get("speed")) {
      cg.speed = read_number(*v);
      check_range(*v, cg.speed, 0, std::numeric_limits<double>::infinity(), true);
    }
    total += cg.count;
    if (total > 4096)
      item.fail("the groups add up to more than 4096 cores");
    mc.groups.push_back(cg);
  }
  mc.cores = int(total);
}

// cache: {size: 100, warmup: 10ms, warm_speedup: 2}, each core's (multi.py's -M, -w, -r).
void read_cache(const field& f, cache_spec& c)
{
  map_view m(f, "a map like {size: 100, warmup: 10ms, warm_speedup: 2}");
  m.allow_only({"size", "warmup", "warm_speedup"});
  c.on = true;
  if (auto v = m.get("size")) {
    c.size = read_number(*v);
    check_range(*v, c.size, 0, 1e15, false);
  }
  if (auto v = m.get("warmup"))
    c.warmup = read_duration(*v, true);
  if (auto v = m.get("warm_speedup")) {
    c.warm_speedup = read_number(*v);
    check_range(*v, c.warm_speedup, 0, 1e6, true);
  }
}

}  // namespace

void read_machine(const map_view& top, load_state& st)
{
  map_view m(top.value("machine"), "a map like {cores: 2}");
  m.allow_only({"cores", "speed", "context_switch", "wakeup_latency", "jitter", "cache",
                "tick"});
  machine_spec& mc = st.sc.machine;
  // speed: host fills the machine and the costs from the profile first, so that the keys the
  // scenario gives itself, read next and in read_cost, win.
  if (auto v = m.get("speed")) {
    if (v->node.IsScalar() && v->node.Scalar() == "host") {
      if (st.given_profile) {
        apply_host_profile(st.sc, *st.given_profile);
        st.host = *st.given_profile;
      } else {
        st.host = use_host_profile(st.sc, v->pos(), v->path, st.profile);
      }
    } else {
      mc.speed = read_number(*v);
      check_range(*v, mc.speed, 0, std::numeric_limits<double>::infinity(), true);
    }
  }
  if (auto v = m.get("cores"))
    read_cores(*v, mc);
  if (auto v = m.get("context_switch"))
    mc.context_switch = read_duration(*v, true);
  if (auto v = m.get("wakeup_latency"))
    mc.wakeup_latency = read_duration(*v, true);
  if (auto v = m.get("jitter")) {
    mc.jitter = read_number(*v);
    check_range(*v, mc.jitter, 0, 1, false);
  }
  if (auto v = m.get("cache"))
    read_cache(*v, mc.cache);
  if (auto v = m.get("tick"))
    mc.tick = read_duration(*v, true);
}

void read_scheduler(const map_view& top, load_state& st)
{
  const map_view m(top.value("scheduler"), "a map like {policy: rr}");
  st.sc.scheduler = read_model<sched_registry>(m, "policy", "cfs", "policy");
  if (!st.sc.machine.groups.empty()) {
    // Processor sharing runs every thread on one host of one speed: no groups there.
    const auto* e = sched_registry::instance().find(st.sc.scheduler.name);
    sched_context ctx{st.sc.machine.cores, st.sc.machine.core_speeds()};
    if (e && e->make(st.sc.scheduler.params, ctx)->fluid()) {
      auto at = m.get("policy");
      (at ? *at : m.self())
          .fail("policy '" + st.sc.scheduler.name +
                "' shares one host of one speed; a machine of core groups needs a dispatched "
                "policy (cfs, rr, fifo, priority, ...)");
    }
  }
  st.thread_attributes = attribute_decls<sched_registry>(st.sc.scheduler.name);
}

// cost: {python: {per_division: 37.2ns, per_item: 71.2ns}, native: {...}}
void read_cost(const map_view& top, load_state& st)
{
  const map_view cost(top.value("cost"), "a map like {python: {per_division: 37ns}}");
  cost.allow_only({"python", "native"});
  auto read_one = [](const field& f, kernel_cost& c) {
    map_view m(f, "a map like {per_division: 37ns, per_item: 70ns}");
    m.allow_only({"per_division", "per_item"});
    if (auto v = m.get("per_division"))
      c.per_division = read_unit_cost(*v);
    if (auto v = m.get("per_item"))
      c.per_item = read_unit_cost(*v);
  };
  if (auto v = cost.get("python")) {
    read_one(*v, st.sc.python_cost);
    st.cost_python = true;
  }
  if (auto v = cost.get("native"))
    read_one(*v, st.sc.native_cost);
}

}  // namespace gilsim::detail
