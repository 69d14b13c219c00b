// The textbook's schedulers (OSTEP chapters 7 and 8) under the test driver, without SimGrid:
// every dispatch and end compared with the schedule worked out by hand from the rules atop
// models/sched/sched_sjf.cpp, sched_stcf.cpp and sched_mlfq.cpp. Times are simulated ms.
#include "tests/os/test_driver.hpp"

#include "models/core/error.hpp"
#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <string>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
const auto dispatches = gilsim::test::textbook_dispatches;
using list = std::vector<std::string>;

namespace {

// A at 0 for 100 ms, B and C arriving at 10 for 10 ms each (OSTEP figures 7.4 and 7.5).
const std::string late_short_jobs = R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 100ms}]}]}
  - {name: q, runtime: native, start: 10ms, threads: [{name: b, program: [{cpu: 10ms}]},
                                                      {name: c, program: [{cpu: 10ms}]}]}
)";

// Two 30 ms jobs at 0 (OSTEP homework mlfq.py -l 0,30,0:0,30,0 -n 3 -q 10).
const std::string two_30ms_jobs = R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 30ms}]},
                                         {name: b, program: [{cpu: 30ms}]}]}
)";

// A CPU-bound 100 ms job and one that does 9 ms of CPU then 1 ms of I/O, three times.
const std::string cpu_and_interactive = R"(
  - {name: p, runtime: native, threads: [
      {name: a, program: [{cpu: 100ms}]},
      {name: b, program: [{repeat: 3, do: [{cpu: 9ms}, {io: 1ms}]}]}]}
)";

}  // namespace

TEST_CASE("sjf: the shortest of 300/200/100 runs first, each to its end", "[os][textbook]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 1, context_switch: 0}
scheduler: {policy: sjf}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 300ms}]},
                                         {name: b, program: [{cpu: 200ms}]},
                                         {name: c, program: [{cpu: 100ms}]}]}
)", &log);
  CHECK(log.only({"running", "done"}) ==
        list{"0ms c running@0", "100ms c done", "100ms b running@0", "300ms b done",
             "300ms a running@0", "600ms a done"});
  CHECK(r.makespan_s == Approx(0.6).margin(1e-12));
}

TEST_CASE("sjf: no preemption: short jobs arriving at 10 wait for the long one", "[os][textbook]")
{
  // A runs 0-100, then B and C (equal lengths: by arrival, then thread order): turnarounds
  // 100, 100 and 110, mean 103.33 (OSTEP figure 7.4).
  CHECK(dispatches("{policy: sjf}", late_short_jobs) ==
        list{"0ms a running@0", "100ms a done", "100ms b running@0", "110ms b done",
             "110ms c running@0", "120ms c done"});
}

TEST_CASE("stcf: short arrivals preempt the job with the most left", "[os][textbook]")
{
  // At 10 B has 10 left against A's 90: it takes the core; C follows, A ends at 120.
  // Turnarounds 120, 10 and 20, mean 50 (OSTEP figure 7.5).
  CHECK(dispatches("{policy: stcf}", late_short_jobs) ==
        list{"0ms a running@0", "10ms b running@0", "20ms b done", "20ms c running@0",
             "30ms c done", "30ms a running@0", "120ms a done"});
}

TEST_CASE("stcf: an equal time to completion does not preempt", "[os][textbook]")
{
  // B arrives at 10 with 20 left, as A has: A keeps its core.
  CHECK(dispatches("{policy: stcf}", R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 30ms}]}]}
  - {name: q, runtime: native, start: 10ms, threads: [{name: b, program: [{cpu: 20ms}]}]}
)") == list{"0ms a running@0", "30ms a done", "30ms b running@0", "50ms b done"});
}

TEST_CASE("stcf: a job's length is its program's CPU work, repeats multiplied", "[os][textbook]")
{
  // a: 2 x 15 ms = 30 ms; b: 25 ms in one phase. b is shorter and runs first.
  CHECK(dispatches("{policy: stcf}", R"(
  - {name: p, runtime: native, threads: [
      {name: a, program: [{repeat: 2, do: [{cpu: 15ms}]}]},
      {name: b, program: [{cpu: 25ms}]}]}
)") == list{"0ms b running@0", "25ms b done", "25ms a running@0", "55ms a done"});
}

TEST_CASE("mlfq: two 30 ms jobs over 3 levels of 10 ms end at 50 and 60", "[os][textbook]")
{
  // Each uses its one turn per level and moves down: a 0-10, b 10-20 (both at level 1 now),
  // a 20-30, b 30-40 (level 2), a 40-50, b 50-60.
  CHECK(dispatches("{policy: mlfq, levels: 3, quantum: 10ms}", two_30ms_jobs) ==
        list{"0ms a running@0", "10ms b running@0", "20ms a running@0", "30ms b running@0",
             "40ms a running@0", "50ms a done", "50ms b running@0", "60ms b done"});
}

TEST_CASE("mlfq: a new job takes the core of a job that sank, and keeps the top", "[os][textbook]")
{
  // a sinks to level 2 by 20 and runs alone; b arrives at 100 on top, preempts it, runs its
  // 20 ms over levels 0 and 1: its turn ends at 110 while a waits, so it queues at level 1 and,
  // above a, is dispatched again; a, at the front of level 2, ends at 220.
  CHECK(dispatches("{policy: mlfq, levels: 3, quantum: 10ms}", R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 200ms}]}]}
  - {name: q, runtime: native, start: 100ms, threads: [{name: b, program: [{cpu: 20ms}]}]}
)") == list{"0ms a running@0", "100ms b running@0", "110ms b running@0", "120ms b done",
            "120ms a running@0", "220ms a done"});
}

TEST_CASE("mlfq: the rest of a turn is kept across I/O, and the turn's end moves it down",
          "[os][textbook]")
{
  // Levels 2, turns of 10 ms. a sinks at 10; b runs 10-19 at the top (1 ms of its turn left),
  // a runs during b's I/O; b back at 20 preempts a, uses its last 1 ms and sinks at 21 behind a
  // (a kept 9 ms of its turn: 21-30). Then both share level 1 in turns: b 30-38 (its phase
  // ends, I/O to 39), a 38-48, b 48-50 (its turn ends), a 50-60, b 60-67 (its last phase;
  // done when its I/O ends at 68), a 67 to the end of its 100 ms at 127.
  CHECK(dispatches("{policy: mlfq, levels: 2, quantum: 10ms}", cpu_and_interactive) ==
        list{"0ms a running@0", "10ms b running@0", "19ms a running@0", "20ms b running@0",
             "21ms a running@0", "30ms b running@0", "38ms a running@0", "48ms b running@0",
             "50ms a running@0", "60ms b running@0", "67ms a running@0", "68ms b done",
             "127ms a done"});
}

TEST_CASE("mlfq: io_keeps_level lets a job that blocks before its turn ends stay on top",
          "[os][textbook]")
{
  // b gets a fresh turn at the top after each I/O and preempts a (level 1) each time it is back.
  CHECK(dispatches("{policy: mlfq, levels: 2, quantum: 10ms, io_keeps_level: true}",
                   cpu_and_interactive) ==
        list{"0ms a running@0", "10ms b running@0", "19ms a running@0", "20ms b running@0",
             "29ms a running@0", "30ms b running@0", "39ms a running@0", "40ms b done",
             "127ms a done"});
}

TEST_CASE("mlfq: a boost puts the sunk job back beside the one gaming the top", "[os][textbook]")
{
  // As above until the boost at 25: a is lifted to the top and b's turn starts afresh (5 ms
  // into its phase). When b blocks at 29, a runs a whole 10 ms turn at the top (29-39): b, back
  // at 30, is level with it and waits. At 39 a sinks; b runs 39-48, and is done at 49 after its
  // I/O; a ends at 127 (the boost at 50 lifts it alone).
  CHECK(dispatches("{policy: mlfq, levels: 2, quantum: 10ms, io_keeps_level: true, boost: 25ms}",
                   cpu_and_interactive) ==
        list{"0ms a running@0", "10ms b running@0", "19ms a running@0", "20ms b running@0",
             "29ms a running@0", "39ms b running@0", "48ms a running@0", "49ms b done",
             "127ms a done"});
}

TEST_CASE("mlfq: io_to_front puts a job back from I/O ahead of its level", "[os][textbook]")
{
  // Three levels of 10 ms, one level. a and c are CPU-bound, b does 2 ms then 1 ms of I/O.
  // Without the rule b queues behind c when it is back at 3; with it, b runs again at once.
  const std::string procs = R"(
  - {name: p, runtime: native, threads: [
      {name: b, program: [{cpu: 2ms}, {io: 1ms}, {cpu: 2ms}]},
      {name: a, program: [{cpu: 20ms}]},
      {name: c, program: [{cpu: 20ms}]}]}
)";
  // b 0-2, a 2-12, c 12-22 (b, back at 3, waits behind c), b 22-24, a 24-34, c 34-44.
  CHECK(dispatches("{policy: mlfq, levels: 1, quantum: 10ms}", procs) ==
        list{"0ms b running@0", "2ms a running@0", "12ms c running@0", "22ms b running@0",
             "24ms b done", "24ms a running@0", "34ms a done", "34ms c running@0",
             "44ms c done"});
  // With io_to_front, b is back at the front at 3, ahead of a too: it takes a's core, ends at
  // 5, and a finishes its turn (9 ms left) 5-14. python3 mlfq.py -l 0,4,2:0,20,0:0,20,0 -n 1
  // -q 10 -i 1 -I -c runs job 0 at 3 and 4 and gives responses 0, 2, 14, turnarounds 5, 34, 44.
  CHECK(dispatches("{policy: mlfq, levels: 1, quantum: 10ms, io_to_front: true}", procs) ==
        list{"0ms b running@0", "2ms a running@0", "3ms b running@0", "5ms b done",
             "5ms a running@0", "14ms c running@0", "24ms a running@0", "34ms a done",
             "34ms c running@0", "44ms c done"});
}

TEST_CASE("mlfq: wrong parameters are line:col errors", "[os][textbook]")
{
  struct bad {
    std::string scheduler, value, key, message;
  };
  for (const auto& c : std::vector<bad>{
           {"{policy: mlfq, levels: 0}", "0", "scheduler.levels",
            "must be between 1 and 64, got '0'"},
           {"{policy: mlfq, quantum: 0ms}", "0ms", "scheduler.quantum", "must be > 0s, got '0ms'"},
           {"{policy: mlfq, allotment: 0}", "0", "scheduler.allotment",
            "must be between 1 and 1e+09, got '0'"}}) {
    INFO(c.scheduler);
    try {
      gilsim::load_scenario_text("machine: {cores: 1}\nscheduler: " + c.scheduler +
                                     "\nprocesses:\n" + two_30ms_jobs,
                                 "t.yaml", {});
      FAIL("loaded");
    } catch (const gilsim::input_error& e) {
      CHECK(e.pos().line == 2);  // the value's column: after "scheduler: " (11 characters)
      CHECK(e.pos().col == 12 + int(c.scheduler.rfind(c.value)));
      CHECK(e.key_path() == c.key);
      CHECK(e.message() == c.message);
    }
  }
}
