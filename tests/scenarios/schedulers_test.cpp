// Scheduler behaviour against schedules worked out by hand. Each test runs build/gilsim in its
// own process; the expected figures are derived in the comments, not copied from a run.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_json;
using gilsim::test::thread_named;
using Catch::Matchers::WithinAbs;

namespace {
// 1 ns: reports are rounded to the nanosecond.
constexpr double eps = 2e-9;

std::string three_jobs(const std::string& policy_block, int cores, const char* a, const char* b,
                       const char* c, const std::string& cs = "0")
{
  return "machine: {cores: " + std::to_string(cores) + ", context_switch: " + cs +
         ", wakeup_latency: 0}\n"
         "scheduler: " + policy_block + "\n"
         "processes:\n"
         "  - name: jobs\n"
         "    runtime: native\n"
         "    threads:\n"
         "      - {name: a, program: [{cpu: " + a + "}]}\n"
         "      - {name: b, program: [{cpu: " + b + "}]}\n"
         "      - {name: c, program: [{cpu: " + c + "}]}\n";
}

double mean_end(const nlohmann::json& r)
{
  double sum = 0;
  for (const auto& t : r.at("threads"))
    sum += t.at("end_s").get<double>();
  return sum / double(r.at("threads").size());
}
}  // namespace

TEST_CASE("ps: three 1 s threads on 2 cores all finish at 1.5 s")
{
  // Fluid sharing: 3 threads on 2 cores each get 2/3 of a core, so 1 s of work takes 1.5 s.
  auto r = run_json(three_jobs("{policy: ps}", 2, "1s", "1s", "1s"));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(1.5, eps));
  for (const auto& t : r["threads"]) {
    CHECK_THAT(t["end_s"].get<double>(), WithinAbs(1.5, eps));
    CHECK_THAT(t["cpu_s"].get<double>(), WithinAbs(1.0, eps));
    CHECK_THAT(t["ready_wait_s"].get<double>(), WithinAbs(0.5, eps));
  }
  // Busy 3 s of CPU over 2 cores in 1.5 s: both fully used.
  for (const auto& c : r["cores"])
    CHECK_THAT(c["utilization"].get<double>(), WithinAbs(1.0, 1e-6));
}

TEST_CASE("fifo: 100/200/300 ms jobs on one core turn around in 333.33 ms on average")
{
  // Run to completion in arrival (thread id) order: ends 100, 300, 600 -> mean 333.33.
  auto r = run_json(three_jobs("{policy: fifo}", 1, "100ms", "200ms", "300ms"));
  CHECK_THAT(thread_named(r, "a")["end_s"].get<double>(), WithinAbs(0.1, eps));
  CHECK_THAT(thread_named(r, "b")["end_s"].get<double>(), WithinAbs(0.3, eps));
  CHECK_THAT(thread_named(r, "c")["end_s"].get<double>(), WithinAbs(0.6, eps));
  CHECK_THAT(mean_end(r), WithinAbs(0.33333333, 1e-6));
}

TEST_CASE("rr: 100/200/300 ms jobs with a 1 ms quantum turn around in 465.67 ms on average")
{
  // 99 full rounds of 3 ms leave a 1 ms: a ends at 297 + 1 = 298. Then b (101 ms left) and c
  // alternate: b's 101st slice ends at 298 + 2 x 101 - 1 = 499; c has 201 - 100 = 101 ms left and
  // ends at 600. Mean (298 + 499 + 600) / 3 = 465.67 ms.
  auto r = run_json(three_jobs("{policy: rr, quantum: 1ms}", 1, "100ms", "200ms", "300ms"));
  CHECK_THAT(thread_named(r, "a")["end_s"].get<double>(), WithinAbs(0.298, 1e-8));
  CHECK_THAT(thread_named(r, "b")["end_s"].get<double>(), WithinAbs(0.499, 1e-8));
  CHECK_THAT(thread_named(r, "c")["end_s"].get<double>(), WithinAbs(0.600, 1e-8));
  CHECK_THAT(mean_end(r), WithinAbs(0.46566667, 1e-6));
}

TEST_CASE("rr: a 100 us context switch is paid on every switch between two threads")
{
  // a and b need 3 ms each, quantum 1 ms, switch 0.1 ms, one core. The first dispatch on an
  // unused core is free. a 0-1, [switch] b 1.1-2.1, a 2.2-3.2, b 3.3-4.3, a 4.4-5.4 (done),
  // b 5.5-6.5 (done). Switches into a: 2, into b: 3; the core is busy 6 ms + 5 x 0.1 ms.
  std::string y = R"(
machine: {cores: 1, context_switch: 100us, wakeup_latency: 0}
scheduler: {policy: rr, quantum: 1ms}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{cpu: 3ms}]}
      - {name: b, program: [{cpu: 3ms}]}
)";
  auto r = run_json(y);
  CHECK_THAT(thread_named(r, "a")["end_s"].get<double>(), WithinAbs(5.4e-3, eps));
  CHECK_THAT(thread_named(r, "b")["end_s"].get<double>(), WithinAbs(6.5e-3, eps));
  CHECK(thread_named(r, "a")["context_switches"] == 2);
  CHECK(thread_named(r, "b")["context_switches"] == 3);
  CHECK_THAT(r["cores"][0]["busy_s"].get<double>(), WithinAbs(6.5e-3, eps));
  CHECK(r["cores"][0]["context_switches"] == 5);
}

TEST_CASE("fifo: a thread's I/O overlaps another thread's CPU on one core")
{
  // a: cpu 10, io 20, cpu 10; b: cpu 30 (ms). a runs 0-10 and blocks until 30; b runs 10-40
  // (fifo does not preempt it when a wakes at 30); a runs 40-50. a waited 10 ms for the core.
  std::string y = R"(
machine: {cores: 1, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: fifo}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{cpu: 10ms}, {io: 20ms}, {cpu: 10ms}]}
      - {name: b, program: [{cpu: 30ms}]}
)";
  auto r = run_json(y);
  const auto& a = thread_named(r, "a");
  const auto& b = thread_named(r, "b");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.050, eps));
  CHECK_THAT(a["end_s"].get<double>(), WithinAbs(0.050, eps));
  CHECK_THAT(a["io_s"].get<double>(), WithinAbs(0.020, eps));
  CHECK_THAT(a["ready_wait_s"].get<double>(), WithinAbs(0.010, eps));
  CHECK_THAT(a["cpu_s"].get<double>(), WithinAbs(0.020, eps));
  CHECK_THAT(b["end_s"].get<double>(), WithinAbs(0.040, eps));
  CHECK_THAT(b["ready_wait_s"].get<double>(), WithinAbs(0.010, eps));
  // The core was busy 50 of 50 ms.
  CHECK_THAT(r["cores"][0]["utilization"].get<double>(), WithinAbs(1.0, 1e-6));
}

TEST_CASE("fifo: with two cores the same two threads finish at 40 ms")
{
  // a: 0-10 cpu, 10-30 io, 30-40 cpu on its own core; b: 0-30 on the other.
  std::string y = R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: fifo}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{cpu: 10ms}, {io: 20ms}, {cpu: 10ms}]}
      - {name: b, program: [{cpu: 30ms}]}
)";
  auto r = run_json(y);
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.040, eps));
  CHECK_THAT(thread_named(r, "a")["ready_wait_s"].get<double>(), WithinAbs(0, eps));
  CHECK_THAT(thread_named(r, "b")["end_s"].get<double>(), WithinAbs(0.030, eps));
}

TEST_CASE("order: at one instant an I/O completion queues before a slice expiry and an arrival")
{
  // One core, rr 10 ms. At t = 10 ms three things happen: b's I/O ends (class 1), a's quantum
  // ends (class 3), c arrives (class 4). The queue is then b, a, c: b 10-15, a 15-25, c 25-30,
  // a 30-40.
  std::string y = R"(
machine: {cores: 1, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: rr, quantum: 10ms}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{cpu: 30ms}]}
      - {name: b, program: [{io: 10ms}, {cpu: 5ms}]}
  - name: late
    runtime: native
    start: 10ms
    threads:
      - {name: c, program: [{cpu: 5ms}]}
)";
  auto r = run_json(y);
  CHECK_THAT(thread_named(r, "b")["end_s"].get<double>(), WithinAbs(0.015, eps));
  CHECK_THAT(thread_named(r, "c")["end_s"].get<double>(), WithinAbs(0.030, eps));
  CHECK_THAT(thread_named(r, "a")["end_s"].get<double>(), WithinAbs(0.040, eps));
  CHECK_THAT(thread_named(r, "c")["start_s"].get<double>(), WithinAbs(0.010, eps));
}

TEST_CASE("priority: a higher-priority arrival preempts at once and the victim resumes")
{
  // low runs 0-5 ms; high (priority 10) arrives at 5 ms and runs 5-7; low resumes 7-12.
  std::string y = R"(
machine: {cores: 1, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: priority}
processes:
  - name: bg
    runtime: native
    threads:
      - {name: low, program: [{cpu: 10ms}]}
  - name: urgent
    runtime: native
    start: 5ms
    threads:
      - {name: high, priority: 10, program: [{cpu: 2ms}]}
)";
  auto r = run_json(y);
  CHECK_THAT(thread_named(r, "high")["end_s"].get<double>(), WithinAbs(0.007, eps));
  CHECK_THAT(thread_named(r, "high")["ready_wait_s"].get<double>(), WithinAbs(0, eps));
  CHECK_THAT(thread_named(r, "low")["end_s"].get<double>(), WithinAbs(0.012, eps));
  CHECK_THAT(thread_named(r, "low")["ready_wait_s"].get<double>(), WithinAbs(0.002, eps));
}

TEST_CASE("cfs: two equal threads on one core alternate in 3 ms slices")
{
  // One core: latency 6 ms x (1 + ilog2 1) = 6 ms; two runnable -> slice 6 / 2 = 3 ms. Equal
  // vruntimes break ties by queueing order, so a and b alternate: a's 10th slice ends at
  // 19 x 3 = 57 ms, b's at 60 ms.
  std::string y = R"(
machine: {cores: 1, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: cfs}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 2, program: [{cpu: 30ms}]}
)";
  auto r = run_json(y);
  CHECK_THAT(thread_named(r, "w-0")["end_s"].get<double>(), WithinAbs(0.057, eps));
  CHECK_THAT(thread_named(r, "w-1")["end_s"].get<double>(), WithinAbs(0.060, eps));
  CHECK(thread_named(r, "w-0")["context_switches"] == 9);
}

TEST_CASE("cfs: a nice 5 thread gets about a third of the CPU of a nice 0 one")
{
  // Weights 1024 and 335: while both run, the nice-0 thread gets 1024 / 1359 = 75% of the core.
  // Both need 40 ms; the nice-0 one is done when the other has had 40 x 335 / 1024 = 13.1 ms,
  // so near 53 ms (slices quantise this to within one slice of 3 ms x 1.5).
  std::string y = R"(
machine: {cores: 1, context_switch: 0, wakeup_latency: 0}
scheduler: {policy: cfs}
processes:
  - name: p
    runtime: native
    threads:
      - {name: fg, program: [{cpu: 40ms}]}
      - {name: bg, nice: 5, program: [{cpu: 40ms}]}
)";
  auto r = run_json(y);
  CHECK_THAT(thread_named(r, "fg")["end_s"].get<double>(), WithinAbs(0.0531, 0.0046));
  CHECK_THAT(thread_named(r, "bg")["end_s"].get<double>(), WithinAbs(0.080, eps));
}
