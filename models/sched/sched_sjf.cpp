// sjf: shortest job first (OSTEP chapter 7), non-preemptive. A job's length is the total CPU
// work of its thread's program, repeats multiplied (the oracle the textbook assumes); the ready
// thread with the shortest runs to its end or until it blocks, ties by arrival, then thread id.
// A program that takes work from a queue (for_each) has no known length and runs after every
// known one. Nobody is preempted, so a long job that arrives first still delays short ones
// behind it (the convoy the chapter opens with).
#include "models/sched/length_queue.hpp"

namespace gilsim {
namespace {
const bool registered = sched_registry::add({
    "sjf",
    "shortest job first: the shortest program (total CPU work) runs to its end, no preemption",
    {},
    [](const param_values&, const sched_context&) {
      return std::make_unique<length_queue_policy>(false);
    },
});
}  // namespace
}  // namespace gilsim
