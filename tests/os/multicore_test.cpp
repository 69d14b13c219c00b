// Queues per core, affinity, work stealing, aligned quanta and cache warmth under the test
// driver, without SimGrid: every dispatch and end compared with the schedule worked out by hand
// from the rules atop models/sched/core_queues.hpp and sim/os/core_cache.hpp. Times are
// simulated ms; switches cost nothing.
#include "tests/os/test_driver.hpp"

#include "models/core/error.hpp"
#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <string>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
using list = std::vector<std::string>;

namespace {

// `machine` and `scheduler` maps, and the threads of one native process.
list schedule(const std::string& machine, const std::string& scheduler,
              const std::string& threads, gilsim::run_report* report = nullptr)
{
  change_log log;
  auto r = run_without_simgrid("machine: " + machine + "\nscheduler: " + scheduler +
                                   "\nprocesses:\n  - {name: p, runtime: native, threads: [" +
                                   threads + "]}\n",
                               &log);
  if (report)
    *report = r;
  return log.only({"running", "done"});
}

const std::string two_cores = "{cores: 2, context_switch: 0}";

}  // namespace

TEST_CASE("per_core: a new thread joins the least loaded core and runs only there",
          "[os][multicore]")
{
  // a -> core 0, b -> core 1 (0 has a), c -> core 0 (a tie: the lower id). Core 0 alternates a
  // and c every 10 ms; b waits for nobody on core 1 and runs its 20 ms through.
  CHECK(schedule(two_cores, "{policy: rr, quantum: 10ms, queues: per_core, steal_every: 0}",
                 "{name: a, program: [{cpu: 30ms}]}, {name: b, program: [{cpu: 20ms}]},"
                 "{name: c, program: [{cpu: 10ms}]}") ==
        list{"0ms a running@0", "0ms b running@1", "10ms c running@0", "20ms b done",
             "20ms c done", "20ms a running@0", "40ms a done"});
}

TEST_CASE("shared queue: a free core takes the first thread its affinity allows",
          "[os][multicore]")
{
  // The queue is a, b, c; core 0 may not run a, so it takes b, and core 1 takes a.
  CHECK(schedule(two_cores, "{policy: fifo}",
                 "{name: a, affinity: [1], program: [{cpu: 30ms}]},"
                 "{name: b, program: [{cpu: 10ms}]}, {name: c, program: [{cpu: 10ms}]}") ==
        list{"0ms b running@0", "0ms a running@1", "10ms b done", "10ms c running@0",
             "20ms c done", "30ms a done"});
}

TEST_CASE("per_core: affinity decides the placement before the load does", "[os][multicore]")
{
  // a and b may run on core 0 only; c goes to core 1 (loads 2 and 0), d too (2 and 1).
  CHECK(schedule(two_cores, "{policy: fifo, queues: per_core, steal_every: 0}",
                 "{name: a, affinity: [0], program: [{cpu: 30ms}]},"
                 "{name: b, affinity: [0], program: [{cpu: 10ms}]},"
                 "{name: c, program: [{cpu: 10ms}]}, {name: d, program: [{cpu: 10ms}]}") ==
        list{"0ms a running@0", "0ms c running@1", "10ms c done", "10ms d running@1",
             "20ms d done", "30ms a done", "30ms b running@0", "40ms b done"});
}

TEST_CASE("per_core: an idle core steals at the next multiple of steal_every", "[os][multicore]")
{
  // Queues: core 0 a, c; core 1 b, d. Core 1 is done at 50 ms. At 30 ms both queues are empty or
  // its own is not (d just started): nothing moves; at 60 ms core 1 takes c from core 0.
  const std::string threads =
      "{name: a, program: [{cpu: 100ms}]}, {name: b, program: [{cpu: 30ms}]},"
      "{name: c, program: [{cpu: 20ms}]}, {name: d, program: [{cpu: 20ms}]}";
  CHECK(schedule(two_cores, "{policy: fifo, queues: per_core, steal_every: 30ms}", threads) ==
        list{"0ms a running@0", "0ms b running@1", "30ms b done", "30ms d running@1",
             "50ms d done", "60ms c running@1", "80ms c done", "100ms a done"});
  // Without stealing c waits for a on core 0.
  CHECK(schedule(two_cores, "{policy: fifo, queues: per_core, steal_every: 0}", threads) ==
        list{"0ms a running@0", "0ms b running@1", "30ms b done", "30ms d running@1",
             "50ms d done", "100ms a done", "100ms c running@0", "120ms c done"});
}

TEST_CASE("per_core: a thread is stolen only onto a core its affinity allows", "[os][multicore]")
{
  // c may run on core 0 only: core 1 finds nothing it may take at 60 ms.
  CHECK(schedule(two_cores, "{policy: fifo, queues: per_core, steal_every: 30ms}",
                 "{name: a, program: [{cpu: 100ms}]}, {name: b, program: [{cpu: 30ms}]},"
                 "{name: c, affinity: [0], program: [{cpu: 20ms}]},"
                 "{name: d, program: [{cpu: 20ms}]}") ==
        list{"0ms a running@0", "0ms b running@1", "30ms b done", "30ms d running@1",
             "50ms d done", "100ms a done", "100ms c running@0", "120ms c done"});
}

TEST_CASE("rr aligned: quanta end on the clock's multiples and requeue in core order",
          "[os][multicore]")
{
  // multi.py's rule. At 20 ms c (core 0) and a (core 1) queue behind b in core order, so core 0
  // takes b and core 1 takes c; by thread order a would have come first.
  CHECK(schedule(two_cores, "{policy: rr, quantum: 10ms, aligned: true}",
                 "{name: a, program: [{cpu: 30ms}]}, {name: b, program: [{cpu: 30ms}]},"
                 "{name: c, program: [{cpu: 30ms}]}") ==
        list{"0ms a running@0", "0ms b running@1", "10ms c running@0", "10ms a running@1",
             "20ms b running@0", "20ms c running@1", "30ms a running@0", "30ms b running@1",
             "40ms a done", "40ms b done", "40ms c running@0", "50ms c done"});
  // One core: b starts at 5 ms and its first quantum ends at 10, not at 15.
  CHECK(schedule("{cores: 1, context_switch: 0}", "{policy: rr, quantum: 10ms, aligned: true}",
                 "{name: a, program: [{cpu: 5ms}]}, {name: b, program: [{cpu: 20ms}]},"
                 "{name: c, program: [{cpu: 20ms}]}") ==
        list{"0ms a running@0", "5ms a done", "5ms b running@0", "10ms c running@0",
             "20ms b running@0", "30ms c running@0", "40ms c done", "40ms b running@0",
             "45ms b done"});
}

TEST_CASE("cache: a thread runs warm_speedup faster once it has run warmup on its core",
          "[os][multicore]")
{
  // 10 ms cold does 10 ms of work; the other 20 ms take 10 ms at twice the speed.
  gilsim::run_report r;
  CHECK(schedule("{cores: 1, context_switch: 0, cache: {size: 100, warmup: 10ms, "
                 "warm_speedup: 2}}",
                 "{policy: fifo}", "{name: a, working_set: 50, program: [{cpu: 30ms}]}", &r) ==
        list{"0ms a running@0", "20ms a done"});
  REQUIRE(r.cores.size() == 1);
  REQUIRE(r.cores[0].warm_s);
  CHECK(*r.cores[0].warm_s == Approx(0.010).margin(1e-12));
  CHECK(r.cores[0].busy_s == Approx(0.020).margin(1e-12));
}

TEST_CASE("cache: a working set that warms pushes out the older one", "[os][multicore]")
{
  const std::string machine =
      "{cores: 1, context_switch: 0, cache: {size: 100, warmup: 10ms, warm_speedup: 2}}";
  const std::string rr = "{policy: rr, quantum: 20ms}";
  // Both fit (50 + 50): a 0-10 cold, 10-20 warm (30 left); b the same 20-40; a ends its 30 at
  // 55, b at 70.
  CHECK(schedule(machine, rr,
                 "{name: a, working_set: 50, program: [{cpu: 60ms}]},"
                 "{name: b, working_set: 50, program: [{cpu: 60ms}]}") ==
        list{"0ms a running@0", "20ms b running@0", "40ms a running@0", "55ms a done",
             "55ms b running@0", "70ms b done"});
  // 60 + 60 do not: b warm at 30 pushes a out, a warm again at 50 pushes b out. a: 10 + 20 by
  // 20, 10 cold and 20 warm by 60; b: 10 + 20 by 40, 10 cold and 20 warm by 80.
  CHECK(schedule(machine, rr,
                 "{name: a, working_set: 60, program: [{cpu: 60ms}]},"
                 "{name: b, working_set: 60, program: [{cpu: 60ms}]}") ==
        list{"0ms a running@0", "20ms b running@0", "40ms a running@0", "60ms a done",
             "60ms b running@0", "80ms b done"});
  // A working set larger than the cache never stays warm: 60 ms cold.
  CHECK(schedule(machine, "{policy: fifo}",
                 "{name: a, working_set: 150, program: [{cpu: 60ms}]}") ==
        list{"0ms a running@0", "60ms a done"});
}

TEST_CASE("cache: warmth stays with the core; affinity keeps a thread where it is warm",
          "[os][multicore]")
{
  // Queues per core, rr 10 ms aligned, warmup 10 ms. a alone on core 0: 10 cold, then 40 of
  // work in 20 ms, done at 30. b and c alternate on core 1: each 10 cold (b 0-10, c 10-20), then
  // 20 of work per quantum, both warm together (40 + 40 fit): b ends at 50, c at 60. At every
  // tick a queues again and its core takes it again (aligned quanta end whoever waits).
  const std::string machine =
      "{cores: 2, context_switch: 0, cache: {size: 100, warmup: 10ms, warm_speedup: 2}}";
  CHECK(schedule(machine, "{policy: rr, quantum: 10ms, aligned: true, queues: per_core, "
                          "steal_every: 0}",
                 "{name: a, affinity: [0], working_set: 40, program: [{cpu: 50ms}]},"
                 "{name: b, affinity: [1], working_set: 40, program: [{cpu: 50ms}]},"
                 "{name: c, affinity: [1], working_set: 40, program: [{cpu: 50ms}]}") ==
        list{"0ms a running@0", "0ms b running@1", "10ms a running@0", "10ms c running@1",
             "20ms a running@0", "20ms b running@1", "30ms a done", "30ms c running@1",
             "40ms b running@1", "50ms b done", "50ms c running@1", "60ms c done"});
}

TEST_CASE("affinity and cache: wrong values are line:col errors", "[os][multicore]")
{
  struct bad {
    std::string yaml;
    int line, col;
    std::string message;
  };
  const std::string threads = "\nprocesses:\n  - {name: p, threads: [{name: a, affinity: ";
  for (const auto& c : std::vector<bad>{
           // col 49: the 2 of "[0, 2]" after the 44 characters of "  - {name: p, ... affinity: "
           {"machine: {cores: 2}\nscheduler: {policy: rr}" + threads +
                "[0, 2], program: [{cpu: 1ms}]}]}\n",
            4, 49, "core 2 does not exist: the machine has cores 0 to 1"},
           {"machine: {cores: 2}\nscheduler: {policy: rr}" + threads +
                "[1, 1], program: [{cpu: 1ms}]}]}\n",
            4, 49, "core 1 is named twice"},
           {"machine: {cores: 2}\nscheduler: {policy: cfs}" + threads +
                "[0], program: [{cpu: 1ms}]}]}\n",
            4, 45, "policy 'cfs' does not place threads on cores; affinity needs fifo or rr"},
           // col 54: the 0 after the 53 characters of "machine: {cores: 2, ... warm_speedup: "
           {"machine: {cores: 2, cache: {size: 100, warm_speedup: 0}}\nprocesses: []\n", 1, 54,
            ""},
           {"scheduler: {policy: rr, queues: per_cpu}\nprocesses: []\n", 1, 33, ""}}) {
    INFO(c.yaml);
    try {
      gilsim::load_scenario_text(c.yaml, "t.yaml", {});
      FAIL("loaded");
    } catch (const gilsim::input_error& e) {
      CHECK(e.pos().line == c.line);
      CHECK(e.pos().col == c.col);
      if (!c.message.empty())
        CHECK(e.message() == c.message);
    }
  }
}
