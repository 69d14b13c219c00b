// The execution models of the workload form, against schedules worked out by hand. Costs are
// zeroed or round so that the figures can be counted: each item sleeps 50 ms.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::thread_named;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {
std::string workload(const std::string& model, const std::string& extra = "",
                     const std::string& per_item = "[{cpu: {kernel: is_prime}}, {sleep: 50ms}]",
                     int last = 10)
{
  return "machine: {cores: 4, context_switch: 0, wakeup_latency: 0}\n"
         "cost: {python: {per_division: 0, per_item: 0}}\n"
         "workload:\n"
         "  items: {range: [1, " + std::to_string(last) + "]}\n"
         "  per_item: " + per_item + "\n"
         "  model: " + model + "\n" + extra;
}
double makespan(const nlohmann::json& r) { return r["makespan_s"].get<double>(); }
}  // namespace

TEST_CASE("workload sync: ten 50 ms items one after the other take 0.5 s")
{
  CHECK_THAT(makespan(run_json(workload("sync"))), WithinAbs(0.5, 1e-9));
}

TEST_CASE("workload threads: a shared queue spreads the items over the workers")
{
  // Two workers: 5 rounds of 50 ms. Three: ceil(10 / 3) = 4 rounds.
  std::string no_get = "  queue_get: 0\n";
  CHECK_THAT(makespan(run_json(workload("threads", "  workers: 2\n" + no_get))), WithinAbs(0.25, 1e-9));
  CHECK_THAT(makespan(run_json(workload("threads", "  workers: 3\n" + no_get))), WithinAbs(0.2, 1e-9));
}

TEST_CASE("workload threads: a get of chunksize items runs every item's steps")
{
  // 30 items of 50 ms sleep, taken 4 at a time by 3 workers: 7 tasks of 4 (200 ms each) and a
  // last one of 2 (100 ms). The workers take tasks 1-3 at 0 and 4-6 at 200 ms; at 400 ms
  // worker-0 takes task 7 (ends 600), worker-1 the last 2 (ends 500) and worker-2 finds nothing
  // (ends 400). Once, a task ran its items' sleep only once: 50 ms per task.
  auto r = run_json(workload("threads", "  workers: 3\n  chunksize: 4\n  queue_get: 0\n",
                             "[{cpu: {kernel: is_prime}}, {sleep: 50ms}]", 30));
  CHECK_THAT(makespan(r), WithinAbs(0.6, 1e-9));
  CHECK_THAT(thread_named(r, "worker-1")["end_s"].get<double>(), WithinAbs(0.5, 1e-9));
  CHECK_THAT(thread_named(r, "worker-2")["end_s"].get<double>(), WithinAbs(0.4, 1e-9));
}

TEST_CASE("workload threads: static chunks give the first slices one item more")
{
  // 10 items over 3 workers: 4, 3, 3 items, so 200, 150, 150 ms.
  auto r = run_json(workload("threads", "  workers: 3\n  distribution: chunks\n"));
  CHECK_THAT(thread_named(r, "worker-0")["end_s"].get<double>(), WithinAbs(0.2, 1e-9));
  CHECK_THAT(thread_named(r, "worker-2")["end_s"].get<double>(), WithinAbs(0.15, 1e-9));
}

TEST_CASE("workload processes: children start one after the other and pay their start method")
{
  // The parent pays 0.2 ms per child; child i starts at 0.2 (i + 1) ms, pays 1.5 ms to start
  // (fork), sleeps 5 x 50 ms and sends its result back (50 us): child 1 ends at
  // 0.4 + 1.5 + 250 + 0.05 = 251.95 ms. With spawn (40 ms) it ends at 290.45 ms.
  auto r = run_json(workload("processes", "  workers: 2\n"));
  CHECK_THAT(makespan(r), WithinAbs(0.25195, 1e-9));
  CHECK(r["processes"].size() == 3);
  r = run_json(workload("processes", "  workers: 2\n  start_method: spawn\n"));
  CHECK_THAT(makespan(r), WithinAbs(0.29045, 1e-9));
}

TEST_CASE("workload processes: a pool hands out chunksize items per task")
{
  // Two workers, tasks of 5 from a shared call queue: each child takes one, sleeps 5 x 50 ms
  // for its items and pays 50 us for the task, so child 1 ends at 0.4 + 1.5 + 250 + 0.05 =
  // 251.95 ms, as with static chunks.
  auto r = run_json(workload("processes", "  workers: 2\n  distribution: pool\n  chunksize: 5\n"));
  CHECK_THAT(makespan(r), WithinAbs(0.25195, 1e-9));
}

TEST_CASE("workload asyncio: CPU blocks the loop, sleeps overlap")
{
  // Two tasks, four items of 10 ms of CPU then a 50 ms sleep, no loop costs. task-0: item 1 CPU
  // 0-10, sleep 10-60; task-1: item 2 CPU 10-20 (the loop was busy), sleep 20-70; task-0: item 3
  // CPU 60-70, sleep 70-120; task-1 is back at 70 but the loop is busy until 70 ends: item 4 CPU
  // 70-80, sleep 80-130.
  auto r = run_json(workload("asyncio", "  workers: 2\n  task_step: 0\n",
                             "[{cpu: 10ms}, {sleep: 50ms}]", 4));
  CHECK_THAT(makespan(r), WithinAbs(0.130, 1e-9));
  CHECK_THAT(thread_named(r, "task-1")["lock_wait_s"].get<double>(), WithinAbs(0.010, 1e-9));
}

TEST_CASE("workload sync: pure computation is one CPU phase of the range's exact work")
{
  // 1..30 at 1 ms per division: 13 ms in one phase (a handful of events, not one per item).
  std::string y = "machine: {context_switch: 0}\n"
                  "cost: {python: {per_division: 1ms, per_item: 0}}\n"
                  "workload: {items: {range: [1, 30]}, per_item: [{cpu: {kernel: is_prime}}], "
                  "model: sync}\n";
  auto r = run_json(y);
  CHECK_THAT(makespan(r), WithinAbs(0.013, 1e-9));
  CHECK(r["events"].get<long>() < 10);
}

TEST_CASE("workload processes: scale with cores until the cores run out")
{
  // 400 items of 1 ms of Python over 4 forked processes: 100 ms each. Child i starts at
  // 0.2 (i + 1) ms (the parent's start cost) and pays 1.5 ms to start and 50 us to send its
  // result. With 4 cores the last child ends at 0.8 + 1.5 + 100 + 0.05 = 102.35 ms, plus 2 us:
  // it starts on the core the parent just left, a context switch; with 2 cores
  // the four share two (about 2 x 101.55 ms + the parent's 0.8 ms over 2 cores: ~203.5 ms);
  // with 1 core all of it: 4 x 101.55 + 0.8 = 407 ms. Context switches add a little.
  std::string y = "cost: {python: {per_division: 0, per_item: 0}}\n"
                  "workload:\n"
                  "  items: {range: [1, 400]}\n"
                  "  per_item: [{cpu: 1ms}]\n"
                  "  model: processes\n"
                  "  workers: 4\n";
  auto at = [&](int cores) {
    return makespan(run_json(y, {"--set", "machine.cores=" + std::to_string(cores)}));
  };
  CHECK_THAT(at(4), WithinAbs(0.102352, 1e-7));
  CHECK_THAT(at(2), WithinAbs(0.2035, 0.003));
  CHECK_THAT(at(1), WithinAbs(0.407, 0.004));
}

TEST_CASE("workload asyncio: a scenario lock named like the event loop's is refused, not merged")
{
  // The model's own mutex is `event-loop`; a user lock of that name used to become the same
  // lock, and a task taking it inside its item deadlocked at run time.
  std::string path = write_temp_scenario("locks: {event-loop: {}}\n"
                                         "workload:\n"
                                         "  items: {range: [1, 4]}\n"
                                         "  per_item: [{lock: event-loop}, {unlock: event-loop}]\n"
                                         "  model: asyncio\n");
  auto r = run_cli({"run", path});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(":3:3: workload: model asyncio names a lock 'event-loop' of its own"));
}
