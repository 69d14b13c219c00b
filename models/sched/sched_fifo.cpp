// fifo: first come, first served. A thread runs until it blocks or ends; a thread that becomes
// ready joins the back of one machine-wide queue, or of a core's (models/sched/core_queues.hpp).
// No slices, no preemption (OSTEP's FIFO).
#include "models/sched/core_queues.hpp"

namespace gilsim {
namespace {
const bool registered = sched_registry::add({
    "fifo",
    "first come, first served: run to completion or block, one FIFO ready queue or one per core",
    core_queue_params(),
    [](const param_values& p, const sched_context& ctx) {
      return std::make_unique<core_queue_policy>(unlimited, core_queue_options_of(p), ctx);
    },
});
}  // namespace
}  // namespace gilsim
