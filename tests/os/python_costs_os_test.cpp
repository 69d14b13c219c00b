// The OS with an interpreter's measured costs (process_spec::python): time.sleep's measured
// duration in a Python process, and a GIL hand-off to a blocked waiter taking the measured
// gil_handoff instead of the machine's wake-up latency. Worked by hand from the rules in
// docs/semantics.md; times are simulated milliseconds.
#include "tests/os/test_driver.hpp"

#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using gilsim::test::change_log;
using gilsim::test::run_scenario;
using list = std::vector<std::string>;

TEST_CASE("os: time.sleep takes the interpreter's measured time, I/O its own", "[os]")
{
  gilsim::scenario sc = gilsim::load_scenario_text(R"(
machine: {cores: 4, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: fifo}
processes:
  - {name: py, threads: [{name: short, program: [{sleep: 200us}, {cpu: 1ms}]},
                         {name: long, program: [{sleep: 1ms}]},
                         {name: io, program: [{io: 200us}]}]}
  - {name: c, runtime: native, threads: [{name: native, program: [{sleep: 200us}]}]}
)", "t.yaml");
  // time.sleep(200e-6) measured 290 us: the table {(200 us, 290 us)}.
  sc.processes[0].python.sleep = {{200e-6, 290e-6}};
  const auto r = run_scenario(sc);
  REQUIRE(r.threads.size() == 4);
  // short: 290 us asleep, then 1 ms of CPU: done at 1.29 ms.
  CHECK(r.threads[0].sleep_s == Approx(290e-6).margin(1e-12));
  CHECK(r.threads[0].end_s == Approx(1.29e-3).margin(1e-12));
  // long: beyond the table the last overshoot (90 us) is added: 1.09 ms.
  CHECK(r.threads[1].sleep_s == Approx(1.09e-3).margin(1e-12));
  // io stays exact, and a native process's sleep is its own.
  CHECK(r.threads[2].io_s == Approx(200e-6).margin(1e-12));
  CHECK(r.threads[3].sleep_s == Approx(200e-6).margin(1e-12));
}

namespace {
// a (9 ms) and b (2 ms) under one GIL on 2 cores, no wake-up latency, no check latency.
gilsim::scenario two_threads()
{
  return gilsim::load_scenario_text(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 0}
python: {gil: new, switch_interval: 5ms, check_latency: 0, handoff: fifo}
processes:
  - {name: p, threads: [{name: a, program: [{cpu: 9ms}]}, {name: b, program: [{cpu: 2ms}]}]}
)", "t.yaml");
}

list gil_lines(const change_log& log)
{
  list out;
  for (const auto& l : log.lines)
    if (l.find(" GIL p ") != std::string::npos)
      out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("os: a GIL hand-off to a blocked waiter takes the measured hand-off", "[os]")
{
  // Without a measured hand-off: a takes the GIL at 0; b times out at 5 and a drops at once;
  // b (no latency) takes it at 5, runs 2 ms and ends at 7, handing it back to a, which does
  // its last 4 ms 7-11.
  {
    change_log log;
    run_scenario(two_threads(), &log);
    CHECK(gil_lines(log) == list{"0ms GIL p a", "5ms GIL p free", "5ms GIL p b", "7ms GIL p free",
                                 "7ms GIL p a", "11ms GIL p free"});
  }
  // gil_handoff 1 ms: each signalled waiter runs 1 ms after the drop. b takes the GIL at 6 and
  // ends at 8; a, signalled at 8, takes it at 9 and ends at 13. b waited 6 ms for the GIL.
  gilsim::scenario sc = two_threads();
  sc.processes[0].python.gil_handoff = 1e-3;
  change_log log;
  const auto r = run_scenario(sc, &log);
  CHECK(gil_lines(log) == list{"0ms GIL p a", "5ms GIL p free", "6ms GIL p b", "8ms GIL p free",
                               "9ms GIL p a", "13ms GIL p free"});
  CHECK(log.only({"done"}) == list{"8ms b done", "13ms a done"});
  CHECK(r.threads[1].gil_wait_s == Approx(6e-3).margin(1e-12));
}

namespace {
// A profile of 2 idle cores (no switch cost, no wake-up latency) and one interpreter, 3.12.
gilsim::host_profile profile_312()
{
  gilsim::host_profile p;
  p.cores = 2;
  gilsim::host_profile::python_section s;
  s.costs.interpreter = "3.12";
  s.costs.thread_start = 60e-6;
  s.costs.thread_join = 10e-6;
  s.costs.executor_submit = 10e-6;
  s.costs.executor_worker = 5e-6;
  s.costs.executor_pool = {{40e-6, 1e-6}, {10e-6, 2e-6}};
  s.costs.fork_start = 2e-3;
  s.costs.pool_shutdown = 100e-6;
  p.pythons.push_back(s);
  return p;
}
}  // namespace

TEST_CASE("os: a ThreadPoolExecutor's main thread delays the worker it shares a core with", "[os]")
{
  // 2 workers over 10 items of 1 ms, no GIL (free-threaded, no overhead), fifo on 2 cores.
  // main (started first) runs 2 x 60 + 10 x 10 + 2 x 10 = 240 us on core 0 while worker-0
  // starts on core 1; worker-1 gets core 0 at 240 us. A call is 1 ms + executor_worker 5 us =
  // 1005 us, and the queue hands items in the order asked: worker-0 asks at 0, 1005, ..., 4020
  // (items 1, 3, 5, 7, 9) and ends at 5025 us; worker-1 asks at 240, 1245, ..., 4260 (items
  // 2, 4, ..., 10) and ends at 240 + 5 x 1005 = 5265 us, the makespan.
  const gilsim::host_profile p = profile_312();
  const auto sc = gilsim::load_scenario_text(R"(
machine: {speed: host, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: fifo}
python: {gil: none, single_thread_overhead: 0}
workload:
  items: {range: [1, 10]}
  per_item: [{cpu: 1ms}]
  model: threads
  distribution: pool
  workers: 2
)", "t.yaml", {}, {}, &p);
  const auto r = run_scenario(sc);
  REQUIRE(r.threads.size() == 3);
  CHECK(r.threads[0].name == "main");
  CHECK(r.threads[0].end_s == Approx(240e-6).margin(1e-12));
  CHECK(r.threads[1].end_s == Approx(5025e-6).margin(1e-12));
  CHECK(r.threads[2].end_s == Approx(5265e-6).margin(1e-12));
  CHECK(r.makespan_s == Approx(5265e-6).margin(1e-12));
}

TEST_CASE("os: a ProcessPoolExecutor's parent pays per task, by its chunksize", "[os]")
{
  // 2 forked workers over 20 items of 1 ms. The parent's CPU is parent_start (200 us) per
  // worker and tasks x (40 us + 1 us x chunksize) of pool work, half in main and half in the
  // queue-management thread: chunksize 1: 20 x 41 = 820 us; chunksize 10: 2 x 50 = 100 us.
  // main joins the children and then waits pool_shutdown x 2 = 200 us: it ends 200 us after
  // the last child (no wake-up latency).
  const gilsim::host_profile p = profile_312();
  for (int chunk : {1, 10}) {
    const auto sc = gilsim::load_scenario_text(
        "machine: {speed: host, cores: 4, context_switch: 0, wakeup_latency: 0}\n"
        "workload: {items: {range: [1, 20]}, per_item: [{cpu: 1ms}], model: processes,\n"
        "           distribution: pool, start_method: fork, workers: 2, chunksize: " +
            std::to_string(chunk) + "}\n",
        "t.yaml", {}, {}, &p);
    const auto r = run_scenario(sc);
    REQUIRE(r.threads.size() == 4);  // main, queue-manager, worker-0's and worker-1's main
    const double pool = chunk == 1 ? 820e-6 : 100e-6;
    CHECK(r.threads[0].cpu_s == Approx(400e-6 + pool / 2).margin(1e-12));
    CHECK(r.threads[1].name == "queue-manager");
    CHECK(r.threads[1].cpu_s == Approx(pool / 2).margin(1e-12));
    CHECK(r.threads[0].cpu_s + r.threads[1].cpu_s == Approx(400e-6 + pool).margin(1e-12));
    CHECK(r.threads[0].end_s ==
          Approx(std::max(r.threads[2].end_s, r.threads[3].end_s) + 200e-6).margin(1e-12));
    CHECK(r.makespan_s == Approx(r.threads[0].end_s).margin(1e-12));
  }
}

TEST_CASE("os: the measured hand-off shows in an I/O thread's convoy wait", "[os]")
{
  // cpu holds the GIL from 0 for 50 ms; io's 1 ms of I/O ends at 1 ms and it waits: its timed
  // wait ends at 6 ms with a drop request, cpu drops at once (no check latency), and io runs
  // with the GIL after the wake-up: at 6 ms without a hand-off figure (no wake-up latency), at
  // 6 + 1 = 7 ms with gil_handoff 1 ms. The convoy latency (I/O end to GIL re-taken) is 5 ms,
  // then 6 ms.
  auto sc = gilsim::load_scenario_text(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 0}
python: {gil: new, switch_interval: 5ms, check_latency: 0, handoff: fifo}
processes:
  - {name: p, threads: [{name: cpu, program: [{cpu: 50ms}]},
                        {name: io, program: [{io: 1ms}, {cpu: 10us}]}]}
)", "t.yaml");
  const auto before = run_scenario(sc);
  REQUIRE(before.processes[0].gil.convoy.count == 1);
  CHECK(before.processes[0].gil.convoy.mean == Approx(5e-3).margin(1e-12));
  sc.processes[0].python.gil_handoff = 1e-3;
  const auto after = run_scenario(sc);
  REQUIRE(after.processes[0].gil.convoy.count == 1);
  CHECK(after.processes[0].gil.convoy.mean == Approx(6e-3).margin(1e-12));
}
