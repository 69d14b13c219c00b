// The homework multi.py's clock and peek in gilsim: machine.tick (whole ticks), the one-tick
// warm-up of a pushed-out working set with no warm-up, and `steal_from: multi_py` (a random
// other core from CPython's generator, and multi.py's `cpu in job` test). Every schedule is
// worked out by hand from multi.py's rules (cpu-sched-multi/multi.py: each tick the
// interrupt, then the peek, then the idle CPUs take a job, then each runs one tick at its
// cache's rate) and agrees with multi.py's own trace (-t) on the same input, given in each
// case. Times are simulated ms (multi.py's ticks); switches cost nothing.
#include "tests/os/test_driver.hpp"

#include "models/sched/python_random.hpp"

#include <catch2/catch.hpp>

#include <string>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
using list = std::vector<std::string>;

namespace {

list schedule(const std::string& machine, const std::string& scheduler,
              const std::string& threads, gilsim::run_report* report = nullptr,
              const std::string& seed = "1")
{
  change_log log;
  auto r = run_without_simgrid("seed: " + seed + "\nmachine: " + machine + "\nscheduler: " +
                                   scheduler + "\nprocesses:\n  - {name: p, runtime: native, "
                                               "threads: [" + threads + "]}\n",
                               &log);
  if (report)
    *report = r;
  return log.only({"running", "done"});
}

const std::string warm_core =
    "{cores: 1, context_switch: 0, tick: 1ms, cache: {size: 100, warmup: 10ms, warm_speedup: 2}}";

}  // namespace

TEST_CASE("python_random: CPython's draws from the same seed", "[os][ticks]")
{
  // CPython 3: random.seed(0); [random.getrandbits(32) for _ in range(3)].
  gilsim::python_random r(0);
  CHECK(r.getrandbits(32) == 3626764237u);
  CHECK(r.getrandbits(32) == 1654615998u);
  CHECK(r.getrandbits(32) == 3255389356u);
  // random.seed(2**40 + 5): a seed of two 32-bit words; then getrandbits(32).
  gilsim::python_random big((std::uint64_t(1) << 40) + 5);
  CHECK(big.getrandbits(32) == 2166296868u);
  // random.seed(0); random.choice([0, 1, 2]): getrandbits(2) is 3 (3626764237 >> 30), too
  // large, then 1 (1654615998 >> 30).
  gilsim::python_random c(0);
  CHECK(c.randbelow(3) == 1);
}

TEST_CASE("tick: a phase that ends within a tick keeps its core to the tick's end",
          "[os][ticks]")
{
  // multi.py -n 1 -L a:31:50,b:5:50,c:0:50 -q 100 -w 10 -r 2 -M 100: a runs 10 ticks cold (21
  // left), 10 warm (1 left), and its 21st tick warm ends it at 21, half used; b, new on the
  // core, runs 5 cold, to 26; c, of no work (1 ns here: a phase takes some), takes the tick
  // 26-27. Finished 27; warm 11 of 27 ticks (40.74%).
  gilsim::run_report r;
  CHECK(schedule(warm_core, "{policy: fifo}",
                 "{name: a, working_set: 50, program: [{cpu: 31ms}]},"
                 "{name: b, working_set: 50, program: [{cpu: 5ms}]},"
                 "{name: c, working_set: 50, program: [{cpu: 1ns}]}",
                 &r) == list{"0ms a running@0", "21ms a done", "21ms b running@0", "26ms b done",
                             "26ms c running@0", "27ms c done"});
  REQUIRE(r.cores.size() == 1);
  CHECK(r.cores[0].busy_s == Approx(0.027).margin(1e-12));
  REQUIRE(r.cores[0].warm_s);
  CHECK(*r.cores[0].warm_s == Approx(0.011).margin(1e-12));
  // In continuous time (no tick) a ends at 20.5 and the others follow at once.
  CHECK(schedule("{cores: 1, context_switch: 0, cache: {size: 100, warmup: 10ms, "
                 "warm_speedup: 2}}",
                 "{policy: fifo}",
                 "{name: a, working_set: 50, program: [{cpu: 31ms}]},"
                 "{name: b, working_set: 50, program: [{cpu: 5ms}]}") ==
        list{"0ms a running@0", "20.5ms a done", "20.5ms b running@0", "25.5ms b done"});
}

TEST_CASE("tick: with no warm-up a pushed-out working set warms again for one tick",
          "[os][ticks]")
{
  // multi.py -n 1 -L a:20:60,b:20:60 -q 5 -w 0 -r 2 -M 100: a is warm at once (0-5, 10 of
  // work); b warm at once at 5 pushes a out (5-10, 10 of work); a back at 10 runs the tick
  // 10-11 cold (1) and is warm again, pushing b out (11-15: 8, 1 left); b 15-16 cold (1), then
  // warm, pushing a out (16-20: 8, 1 left); a 20-21 cold ends it and warms, pushing b out; b
  // 21-22 cold ends it. Finished 22, warm 18 of 22 ticks (81.82%).
  gilsim::run_report r;
  CHECK(schedule("{cores: 1, context_switch: 0, tick: 1ms, cache: {size: 100, warmup: 0ms, "
                 "warm_speedup: 2}}",
                 "{policy: rr, quantum: 5ms, aligned: true}",
                 "{name: a, working_set: 60, program: [{cpu: 20ms}]},"
                 "{name: b, working_set: 60, program: [{cpu: 20ms}]}",
                 &r) == list{"0ms a running@0", "5ms b running@0", "10ms a running@0",
                             "15ms b running@0", "20ms a running@0", "21ms a done",
                             "21ms b running@0", "22ms b done"});
  REQUIRE(r.cores[0].warm_s);
  CHECK(*r.cores[0].warm_s == Approx(0.018).margin(1e-12));
}

TEST_CASE("steal_from: multi_py peeks at a random other core, as multi.py's -s draws it",
          "[os][ticks]")
{
  // Per-core queues: a, d on core 0, b, e on core 1, c on core 2; quanta of 100 ms, peeks
  // every 10 ms. At 10 c is done and core 2's queue is empty. multi.py -n 3 -L
  // a:20:0,b:20:0,c:10:0,d:10:0,e:10:0 -p -P 10 -q 100 -w 100 (seed 0): random.choice([0, 1])
  // is 1 (getrandbits(2): 3, too large, then 1), so core 2 takes e from core 1. At 20 a and b
  // are done: core 0 keeps d, core 1's empty queue draws choice([0, 2]) (getrandbits(2): 3 and
  // 3, too large, then 1: core 2, with nothing queued), and core 2's draws choice([0, 1]):
  // 0 (getrandbits(2) 0), so it takes d from core 0 and runs it 20-30.
  const std::string machine = "{cores: 3, context_switch: 0, tick: 1ms}";
  const std::string threads =
      "{name: a, program: [{cpu: 20ms}]}, {name: b, program: [{cpu: 20ms}]},"
      "{name: c, program: [{cpu: 10ms}]}, {name: d, program: [{cpu: 10ms}]},"
      "{name: e, program: [{cpu: 10ms}]}";
  auto peeking = [&](const std::string& from) {
    return schedule(machine,
                    "{policy: rr, quantum: 100ms, aligned: true, queues: per_core, "
                    "steal_every: 10ms, steal_from: " + from + "}",
                    threads, nullptr, "0");
  };
  CHECK(peeking("multi_py") ==
        list{"0ms a running@0", "0ms b running@1", "0ms c running@2", "10ms c done",
             "10ms e running@2", "20ms a done", "20ms b done", "20ms e done",
             "20ms d running@2", "30ms d done"});
  // The longest queue instead: at 10 a tie, core 0's d goes to core 2. At 20 every queue but
  // core 1's (e) is empty, and the cores steal in id order: core 0 takes e from core 1, then
  // core 1 takes it back from core 0, the longest, and core 2 takes it from core 1.
  CHECK(peeking("longest") ==
        list{"0ms a running@0", "0ms b running@1", "0ms c running@2", "10ms c done",
             "10ms d running@2", "20ms a done", "20ms b done", "20ms d done",
             "20ms e running@2", "30ms e done"});
}

TEST_CASE("steal_from: multi_py takes a thread with affinity only as `cpu in job` does",
          "[os][ticks]")
{
  // As above, but e may run on cores 1 and 2 (-A e:1.2). multi.py's peek tests `cpu in job`,
  // the job's fields: with working set 0 core 2 never takes e, stays idle after c, and d and e
  // run on their own cores 20-30; with working set 2, core 2 takes e at 10 as above.
  const std::string machine = "{cores: 3, context_switch: 0, tick: 1ms}";
  const std::string sched = "{policy: rr, quantum: 100ms, aligned: true, queues: per_core, "
                            "steal_every: 10ms, steal_from: multi_py}";
  auto threads = [](int ws) {
    return "{name: a, program: [{cpu: 20ms}]}, {name: b, program: [{cpu: 20ms}]},"
           "{name: c, program: [{cpu: 10ms}]}, {name: d, program: [{cpu: 10ms}]},"
           "{name: e, affinity: [1, 2], working_set: " +
           std::to_string(ws) + ", program: [{cpu: 10ms}]}";
  };
  CHECK(schedule(machine, sched, threads(0), nullptr, "0") ==
        list{"0ms a running@0", "0ms b running@1", "0ms c running@2", "10ms c done",
             "20ms a done", "20ms b done", "20ms d running@0", "20ms e running@1",
             "30ms d done", "30ms e done"});
  CHECK(schedule(machine, sched, threads(2), nullptr, "0") ==
        list{"0ms a running@0", "0ms b running@1", "0ms c running@2", "10ms c done",
             "10ms e running@2", "20ms a done", "20ms b done", "20ms e done",
             "20ms d running@2", "30ms d done"});
}
