// Processes of threads and of event loops against makespans worked out by hand. Two cores, no
// switch or wake-up cost, no start-up (parent_start, fork_start and task_overhead 0), so that
// only the built-in Python costs remain: a queue.Queue get 5 us, an asyncio task step 5 us.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_json;
using Catch::Matchers::WithinAbs;

namespace {
std::string nested(const std::string& per_item, const std::string& extra)
{
  return "machine: {cores: 2, context_switch: 0, wakeup_latency: 0}\n"
         "workload:\n"
         "  items: {range: [1, 4]}\n"
         "  per_item: " + per_item + "\n"
         "  model: processes\n"
         "  workers: 2\n"
         "  parent_start: 0\n"
         "  fork_start: 0\n"
         "  task_overhead: 0\n" + extra;
}
double makespan(const nlohmann::json& r) { return r["makespan_s"].get<double>(); }
}  // namespace

TEST_CASE("processes of threads: each child's GIL serialises its threads, the children run at once")
{
  // Four items of 10 ms of Python, two children of two threads: each child's two items pass
  // one at a time through its GIL, 2 x (5 us get + 10 ms) = 20.01 ms, the two children side by
  // side on the two cores. Threads in one process: all four through one GIL, 40.02 ms.
  const std::string y = nested("[{cpu: 10ms}]", "  inner: threads\n  inner_workers: 2\n");
  CHECK_THAT(makespan(run_json(y)), WithinAbs(20.01e-3, 5e-6));
  const auto r = run_json(y, {"--set", "workload.inner_workers=1"});
  CHECK_THAT(makespan(r), WithinAbs(20.01e-3, 5e-6));
  CHECK(r["threads"].size() == 3);  // the parent and one thread a child
}

TEST_CASE("processes of event loops: each child's loop overlaps its own waits")
{
  // Four items of 1 ms of Python then 10 ms of I/O, two children of two tasks. In each child:
  // task-0 steps (5 us), computes item 1 (to 1.005 ms) and awaits until 11.005 ms; task-1
  // steps and computes item 2 (to 2.010 ms) and awaits until 12.010 ms; task-0 resumes (5 us,
  // to 11.010 ms), finds the queue empty and ends; task-1 resumes (5 us): 12.015 ms. The
  // children run side by side. With plain processes each child does its two items one after
  // the other: 2 x 11 ms = 22 ms.
  const std::string y =
      nested("[{cpu: 1ms}, {io: 10ms}]", "  inner: asyncio\n  inner_workers: 2\n");
  CHECK_THAT(makespan(run_json(y)), WithinAbs(12.015e-3, 2e-6));
  CHECK_THAT(makespan(run_json(y, {"--set", "workload.inner=main"})), WithinAbs(22e-3, 2e-6));
}
