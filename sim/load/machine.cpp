// The machine, the scheduling policy and the prime kernel's costs: the sections that say what
// the programs run on.
#include "models/sched/sched_policy.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/sections.hpp"

#include <limits>

namespace gilsim::detail {

void read_machine(const map_view& top, load_state& st)
{
  map_view m(top.value("machine"), "a map like {cores: 2}");
  m.allow_only({"cores", "speed", "context_switch", "wakeup_latency"});
  machine_spec& mc = st.sc.machine;
  // speed: host fills the machine and the costs from the profile first, so that the keys the
  // scenario gives itself, read next and in read_cost, win.
  if (auto v = m.get("speed")) {
    if (v->node.IsScalar() && v->node.Scalar() == "host") {
      use_host_profile(st.sc, v->pos(), v->path, st.profile);
    } else {
      mc.speed = read_number(*v);
      check_range(*v, mc.speed, 0, std::numeric_limits<double>::infinity(), true);
    }
  }
  if (auto v = m.get("cores"))
    mc.cores = int(read_int(*v, 1, 4096));
  if (auto v = m.get("context_switch"))
    mc.context_switch = read_duration(*v, true);
  if (auto v = m.get("wakeup_latency"))
    mc.wakeup_latency = read_duration(*v, true);
}

void read_scheduler(const map_view& top, load_state& st)
{
  const map_view m(top.value("scheduler"), "a map like {policy: rr}");
  st.sc.scheduler = read_model<sched_registry>(m, "policy", "cfs", "policy");
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
      c.per_division = read_duration(*v, true);
    if (auto v = m.get("per_item"))
      c.per_item = read_duration(*v, true);
  };
  if (auto v = cost.get("python"))
    read_one(*v, st.sc.python_cost);
  if (auto v = cost.get("native"))
    read_one(*v, st.sc.native_cost);
}

}  // namespace gilsim::detail
