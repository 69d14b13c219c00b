// rr: round robin. One machine-wide FIFO ready queue; a running thread that has used `quantum`
// while others wait goes to the back of the queue. The quantum is counted from the thread's
// dispatch and re-armed every quantum while nobody waits (as Linux SCHED_RR refills its slice
// at each tick), so a competitor that appears mid-quantum waits for the current quantum's end.
#include "models/sched/ready_queue.hpp"

namespace gilsim {
namespace {
const bool registered = sched_registry::add({
    "rr",
    "round robin with a fixed quantum, one FIFO ready queue",
    {{"quantum", param_kind::duration, "s", 4e-3, 0, 3600, true, "the time slice", {}}},
    [](const param_values& p, const sched_context&) {
      return std::make_unique<queue_policy>(p.number("quantum"));
    },
});
}  // namespace
}  // namespace gilsim
