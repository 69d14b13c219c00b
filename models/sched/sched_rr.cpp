// rr: round robin. One machine-wide FIFO ready queue (or one per core, models/sched/
// core_queues.hpp); a running thread that has used `quantum` while others wait goes to the back
// of the queue. The quantum is counted from the thread's dispatch and re-armed every quantum
// while nobody waits (as Linux SCHED_RR refills its slice at each tick), so a competitor that
// appears mid-quantum waits for the current quantum's end. With `aligned`, quanta end at the
// multiples of the quantum on the machine's clock instead (the homework multi.py's timer).
#include "models/sched/core_queues.hpp"

namespace gilsim {
namespace {
std::vector<param_decl> rr_params()
{
  std::vector<param_decl> out = {
      {"quantum", param_kind::duration, "s", 4e-3, 0, 3600, true, "the time slice", {}}};
  for (auto& d : core_queue_params())
    out.push_back(d);
  out.push_back({"aligned", param_kind::boolean, "", 0, 0, 1, false,
                 "quanta end at multiples of the quantum on the machine's clock (a timer "
                 "tick), not since the thread's dispatch",
                 {}});
  return out;
}

const bool registered = sched_registry::add({
    "rr",
    "round robin with a fixed quantum, one FIFO ready queue or one per core",
    rr_params(),
    [](const param_values& p, const sched_context& ctx) {
      return std::make_unique<core_queue_policy>(p.number("quantum"), core_queue_options_of(p),
                                                 ctx);
    },
});
}  // namespace
}  // namespace gilsim
