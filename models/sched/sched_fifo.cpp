// fifo: first come, first served. A thread runs until it blocks or ends; a thread that becomes
// ready joins the back of one machine-wide queue. No slices, no preemption (OSTEP's FIFO).
#include "models/sched/ready_queue.hpp"

namespace gilsim {
namespace {
const bool registered = sched_registry::add({
    "fifo",
    "first come, first served: run to completion or block, one FIFO ready queue",
    {},
    [](const param_values&, const sched_context&) {
      return std::make_unique<queue_policy>(unlimited);
    },
});
}  // namespace
}  // namespace gilsim
