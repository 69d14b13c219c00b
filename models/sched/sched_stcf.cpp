// stcf: shortest time to completion first (OSTEP chapter 7), preemptive SJF. A job's time to
// completion is its program's total CPU work less the CPU it has received (on a core of speed 1
// that is its remaining work). The ready thread with the least left runs; one that becomes ready
// with strictly less left than a running thread takes the core of the running thread with the
// most left. Ties by arrival (the instant it first became ready), then thread id; a program
// with a for_each has no known length and comes after every known one.
#include "models/sched/length_queue.hpp"

namespace gilsim {
namespace {
const bool registered = sched_registry::add({
    "stcf",
    "shortest time to completion first: preemptive, the least CPU work left runs",
    {},
    [](const param_values&, const sched_context&) {
      return std::make_unique<length_queue_policy>(true);
    },
});
}  // namespace
}  // namespace gilsim
