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
