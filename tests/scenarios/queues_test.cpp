// Work queues, for_each and the prime kernel's cost, against hand-derived schedules.
// is_prime's trial divisions for 1..30 (odd i from 3 up to floor(sqrt(n)), stopping at the first
// divisor): 9, 11, 13, 15, 17, 19, 21, 23, 27 take 1 each; 25 and 29 take 2; the rest 0. So
// 1..10 -> 1, 11..20 -> 5, 21..30 -> 7, 1..30 -> 13 (models/prime_work agrees with brute force).
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::thread_named;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {
// A cost of 1 ms per division and 0.1 ms per number makes times easy to count.
const char* round_costs = "cost: {native: {per_division: 1ms, per_item: 100us}, "
                          "python: {per_division: 1ms, per_item: 100us}}\n";
}  // namespace

TEST_CASE("queue: threads take items in turn, the first free thread first")
{
  // Three threads, items 1..4, each item a 10 ms I/O: at 0 the threads take 1, 2, 3; at 10 ms
  // all three are free again and the I/O completions go in thread order, so w-0 takes 4.
  std::string y = R"(
queues:
  jobs: {items: {range: [1, 4]}}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 3, program: [{for_each: jobs, do: [{io: 10ms}]}]}
)";
  auto r = run_json(y);
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.020, 1e-9));
  CHECK_THAT(thread_named(r, "w-0")["io_s"].get<double>(), WithinAbs(0.020, 1e-9));
  CHECK_THAT(thread_named(r, "w-1")["io_s"].get<double>(), WithinAbs(0.010, 1e-9));
  CHECK_THAT(thread_named(r, "w-2")["io_s"].get<double>(), WithinAbs(0.010, 1e-9));
}

TEST_CASE("kernel: is_prime over a fixed range costs its exact divisions and numbers")
{
  // 1..30: 13 divisions x 1 ms + 30 numbers x 0.1 ms = 16 ms.
  std::string y = std::string(round_costs) + R"(
machine: {context_switch: 0}
processes:
  - name: p
    runtime: native
    threads:
      - {name: t, program: [{cpu: {kernel: is_prime, range: [1, 30]}}]}
)";
  auto r = run_json(y);
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.016, 1e-9));
}

TEST_CASE("kernel: chunks of a queue cost their own work, and two threads share them")
{
  // Chunks of 10: 1..10 = 1 + 1 ms, 11..20 = 5 + 1 ms, 21..30 = 7 + 1 ms. On two cores w-0 takes
  // 1..10 (0-2 ms) then 21..30 (2-10 ms); w-1 takes 11..20 (0-6 ms).
  std::string y = std::string(round_costs) + R"(
machine: {cores: 2, context_switch: 0}
queues:
  numbers: {items: {range: [1, 30]}, chunk: 10}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 2, program: [{for_each: numbers, do: [{cpu: {kernel: is_prime}}]}]}
)";
  auto r = run_json(y);
  CHECK_THAT(thread_named(r, "w-0")["end_s"].get<double>(), WithinAbs(0.010, 1e-9));
  CHECK_THAT(thread_named(r, "w-0")["cpu_s"].get<double>(), WithinAbs(0.010, 1e-9));
  CHECK_THAT(thread_named(r, "w-1")["end_s"].get<double>(), WithinAbs(0.006, 1e-9));
}

TEST_CASE("kernel: a Python process uses Python's cost, a native phase the native one")
{
  std::string y = R"(
cost: {python: {per_division: 2ms, per_item: 0}, native: {per_division: 1ms, per_item: 0}}
machine: {context_switch: 0}
processes:
  - name: py
    threads:
      - name: t
        program:
          - cpu: {kernel: is_prime, range: [1, 30]}
          - cpu: {kernel: is_prime, range: [1, 30], mode: native}
)";
  // 13 divisions at 2 ms, then 13 at 1 ms: 39 ms.
  auto r = run_json(y);
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.039, 1e-9));
}

TEST_CASE("loader: a kernel step outside a for_each needs a range, and queues must be declared")
{
  std::string y = R"(processes:
  - name: p
    threads:
      - {name: t, program: [{cpu: {kernel: is_prime}}]}
)";
  auto r = run_cli({"check", write_temp_scenario(y)});
  CHECK(r.exit_code == 2);
  // Line 4: six spaces, "- {name: t, program: [{cpu: {kernel: " takes columns 7-43, so the
  // value is_prime starts at column 44.
  CHECK_THAT(r.err, Contains(":4:44: processes[0].threads[0].program[0].cpu.kernel: a kernel step"));
  std::string z = R"(processes:
  - name: p
    threads:
      - {name: t, program: [{for_each: jobz, do: [{io: 1ms}]}]}
)";
  r = run_cli({"check", write_temp_scenario(z)});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("unknown queue 'jobz'"));
}
