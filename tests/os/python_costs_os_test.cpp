// The OS with an interpreter's measured costs (process_spec::python): time.sleep's measured
// duration in a Python process, and a GIL hand-off to a blocked waiter taking the measured
// gil_handoff instead of the machine's wake-up latency. Worked by hand from the rules in
// docs/semantics.md; times are simulated milliseconds.
#include "tests/os/test_driver.hpp"

#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

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
