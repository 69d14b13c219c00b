// User locks: mutual exclusion with FIFO hand-off and wake-up latency, semaphores, and
// deadlock detection, against hand-worked schedules.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::thread_named;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

TEST_CASE("mutex: critical sections run one at a time, each hand-off costs the wake-up latency")
{
  // Three threads on three cores: lock m, 10 ms of CPU, unlock. w-0 holds m 0-10 ms; w-1 is
  // handed m at 10 ms and runs after the 30 us wake-up: 10.03-20.03; w-2 runs 20.06-30.06.
  std::string y = R"(
machine: {cores: 3, context_switch: 0, wakeup_latency: 30us}
scheduler: {policy: fifo}
locks:
  m: {kind: mutex}
processes:
  - name: p
    runtime: native
    threads:
      - name: w
        count: 3
        program: [{lock: m}, {cpu: 10ms}, {unlock: m}]
)";
  auto r = run_json(y);
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.03006, 2e-9));
  CHECK_THAT(thread_named(r, "w-0")["lock_wait_s"].get<double>(), WithinAbs(0, 2e-9));
  CHECK_THAT(thread_named(r, "w-1")["lock_wait_s"].get<double>(), WithinAbs(0.01003, 2e-9));
  CHECK_THAT(thread_named(r, "w-2")["lock_wait_s"].get<double>(), WithinAbs(0.02006, 2e-9));
  CHECK_THAT(thread_named(r, "w-2")["end_s"].get<double>(), WithinAbs(0.03006, 2e-9));
}

TEST_CASE("semaphore: capacity 2 lets two of four 10 ms sections overlap")
{
  // Four threads, four cores, capacity 2, no wake-up latency: two sections 0-10 ms, two 10-20.
  std::string y = R"(
machine: {cores: 4, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: fifo}
locks:
  pool: {kind: semaphore, capacity: 2}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 4, program: [{lock: pool}, {cpu: 10ms}, {unlock: pool}]}
)";
  auto r = run_json(y);
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.020, 2e-9));
  CHECK_THAT(thread_named(r, "w-1")["end_s"].get<double>(), WithinAbs(0.010, 2e-9));
  CHECK_THAT(thread_named(r, "w-3")["lock_wait_s"].get<double>(), WithinAbs(0.010, 2e-9));
}

TEST_CASE("deadlock: two threads taking two locks in opposite orders stop the run with exit 1")
{
  std::string y = R"(
machine: {cores: 2}
scheduler: {policy: fifo}
locks:
  a: {kind: mutex}
  b: {kind: mutex}
processes:
  - name: p
    runtime: native
    threads:
      - {name: left, program: [{lock: a}, {sleep: 1ms}, {lock: b}, {unlock: b}, {unlock: a}]}
      - {name: right, program: [{lock: b}, {sleep: 1ms}, {lock: a}, {unlock: a}, {unlock: b}]}
)";
  auto r = run_cli({"run", write_temp_scenario(y), "--json"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("deadlock at 0.001 s"));
  CHECK_THAT(r.err, Contains("left holds [a] and waits for b held by [right]"));
  CHECK_THAT(r.err, Contains("right holds [b] and waits for a held by [left]"));
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["status"] == "deadlock");
}

TEST_CASE("event loop timers: a task resumed by a timer waits for the loop's whole-millisecond wake")
{
  // The loop (a mutex with timer_resolution 1ms) goes idle at 0.8 ms, when b unlocks with
  // nobody waiting. b's timer is due at 2.3 ms (0.8 + 1.5), a's at 2.5 ms (0.3 + 2.2). The
  // selector waits for the first, rounded up: ceil(1.5 ms) = 2 ms, so the loop wakes at 2.8 ms
  // and runs b (2.8-2.9), then a (2.9-3.0), as asyncio runs the timers due by then in turn.
  // Without by_timer each runs at its own timer: b 2.3-2.4, a 2.5-2.6.
  const std::string program = R"(
machine: {cores: 2, context_switch: 0}
scheduler: {policy: fifo}
locks:
  loop: {kind: mutex, wakeup: 0, timer_resolution: 1ms}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{lock: loop}, {cpu: 0.3ms}, {unlock: loop}, {io: 2.2ms}, {lock: TAKE}, {cpu: 0.1ms}, {unlock: loop}]}
      - {name: b, program: [{lock: loop}, {cpu: 0.5ms}, {unlock: loop}, {io: 1.5ms}, {lock: TAKE}, {cpu: 0.1ms}, {unlock: loop}]}
)";
  auto with = [&](const std::string& take) {
    std::string y = program;
    for (size_t at; (at = y.find("TAKE")) != std::string::npos;)
      y.replace(at, 4, take);
    return run_json(y);
  };
  auto r = with("{name: loop, by_timer: true}");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.0030, 2e-9));
  CHECK_THAT(thread_named(r, "b")["end_s"].get<double>(), WithinAbs(0.0029, 2e-9));
  // a goes first (0-0.3 ms), b waits for it, then runs (0.3-0.8 ms). a waits for the loop from
  // its timer (2.5 ms) to b's unlock (2.9 ms); b from 2.3 to 2.8 ms, its loop's wake.
  CHECK_THAT(thread_named(r, "a")["lock_wait_s"].get<double>(), WithinAbs(0.0004, 2e-9));
  CHECK_THAT(thread_named(r, "b")["lock_wait_s"].get<double>(), WithinAbs(0.0003 + 0.0005, 2e-9));
  auto plain = with("loop");
  CHECK_THAT(plain["makespan_s"].get<double>(), WithinAbs(0.0026, 2e-9));
  CHECK_THAT(thread_named(plain, "b")["end_s"].get<double>(), WithinAbs(0.0024, 2e-9));
}

TEST_CASE("event loop timers: a loop busy when the timer is due, or a wait of whole milliseconds, adds nothing")
{
  // a holds the loop 0-3 ms; b's timer is due at 1 ms while it is held: b queues and runs when
  // a unlocks (3-3.1 ms). Then b's second timer: the loop went idle at 3.1 ms, due at 5.1 ms:
  // a wait of exactly 2 ms, so b runs at 5.1 ms (5.1-5.2).
  auto r = run_json(R"(
machine: {cores: 2, context_switch: 0}
scheduler: {policy: fifo}
locks:
  loop: {kind: mutex, wakeup: 0, timer_resolution: 1ms}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{lock: loop}, {cpu: 3ms}, {unlock: loop}]}
      - {name: b, program: [{io: 1ms}, {lock: {name: loop, by_timer: true}}, {cpu: 0.1ms}, {unlock: loop}, {io: 2ms}, {lock: {name: loop, by_timer: true}}, {cpu: 0.1ms}, {unlock: loop}]}
)");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.0052, 2e-9));
  CHECK_THAT(thread_named(r, "b")["lock_wait_s"].get<double>(), WithinAbs(0.002, 2e-9));
}

TEST_CASE("event loop timers: by_timer is read where it is written and refused elsewhere")
{
  auto bad = run_cli({"check", write_temp_scenario(R"(
locks:
  loop: {kind: mutex}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{lock: {name: loop, by_timers: true}}, {unlock: loop}]}
)")});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains(":8:49:"));
  CHECK_THAT(bad.err, Contains("by_timers"));
  auto unlock = run_cli({"check", write_temp_scenario(R"(
locks:
  loop: {kind: mutex}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{lock: loop}, {unlock: {name: loop, by_timer: true}}]}
)")});
  CHECK(unlock.exit_code == 2);
  CHECK_THAT(unlock.err, Contains(":8:52:"));
  CHECK_THAT(unlock.err, Contains("expected a lock name"));
}
