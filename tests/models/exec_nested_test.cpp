// Processes of threads and processes of event loops (processes with `inner`, models/exec/
// exec_nested.cpp), expanded without an engine. As for plain processes, the parent pays
// parent_start (200 us) per child and child i starts at 200 us x (i + 1); child i's slice is
// then the inner model's fragment for those items alone, its names under worker-i/: its first
// thread pays the start-up (fork 1.5 ms) before anything and task_overhead (50 us) at the end,
// its other threads start 1.5 ms after the process. Built-in costs: a queue.Queue get 5 us, a
// task step 5 us.
#include "tests/models/exec_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

TEST_CASE("exec nested: processes of threads run their slice on a queue of their own", "[exec]")
{
  auto w = workload("processes", 1, 10, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("inner", "threads");
  w.model.params.set_number("inner_workers", 2);
  const auto f = expand_workload(w, machine(4));
  REQUIRE(lines(show(f)) ==
          lines("queue worker-0/items 1..5 by 1\n"
                "queue worker-1/items 6..10 by 1\n"
                "process main at 0us (gil new)\n"
                "  main: cpu 400us\n"
                "process worker-0 at 200us (gil new)\n"
                "  worker-0: cpu 1500us, for_each worker-0/items [cpu 5us, cpu 1000us], cpu 50us\n"
                "  worker-1: for_each worker-0/items [cpu 5us, cpu 1000us]\n"
                "process worker-1 at 400us (gil new)\n"
                "  worker-0: cpu 1500us, for_each worker-1/items [cpu 5us, cpu 1000us], cpu 50us\n"
                "  worker-1: for_each worker-1/items [cpu 5us, cpu 1000us]\n"));
  // The second thread of each child starts once the child has started.
  CHECK(f.processes[1].threads[0].start == 0);
  CHECK(f.processes[1].threads[1].start == Approx(1.5e-3));
}

TEST_CASE("exec nested: processes of event loops have a loop each", "[exec]")
{
  auto w = workload("processes", 1, 4, {exec::io(10e-3)}, 2);
  w.model.params.set_choice("inner", "asyncio");
  w.model.params.set_number("inner_workers", 2);
  const std::string task0 =
      "cpu 1500us, lock worker-0/event-loop, cpu 5us, for_each worker-0/items [unlock "
      "worker-0/event-loop, io 10000us, lock worker-0/event-loop, cpu 5us], unlock "
      "worker-0/event-loop, cpu 50us";
  const auto f = expand_workload(w, machine(4));
  const auto l = lines(show(f));
  REQUIRE(l.size() == 12);
  CHECK(l[0] == "lock worker-0/event-loop (mutex)");
  CHECK(l[1] == "lock worker-1/event-loop (mutex)");
  CHECK(l[2] == "queue worker-0/items 1..2 by 1");
  CHECK(l[3] == "queue worker-1/items 3..4 by 1");
  CHECK(l[7] == "  task-0: " + task0);
}

TEST_CASE("exec nested: inner needs static chunks", "[exec]")
{
  auto w = workload("processes", 1, 10, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("inner", "threads");
  w.model.params.set_choice("distribution", "pool");
  CHECK_THROWS_WITH(expand_workload(w, machine(4)),
                    Catch::Matchers::Contains("inner: threads works with distribution: chunks"));
}
