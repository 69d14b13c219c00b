// The queue, condition, barrier and event kinds in whole runs of build/gilsim (on SimGrid),
// against schedules worked out by hand; the same rules under the test driver are in
// tests/os/sync_test.cpp.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::run_json_file;
using gilsim::test::source_dir;
using gilsim::test::thread_named;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

TEST_CASE("queue: the producer_consumer example, worked out in its comment")
{
  // Items are put at 2, 4, 6, 8 and 10.06 ms; the consumer gets them at 0 (waiting until the
  // first put, +30 us), 5.03, 8.03, 11.03 and 14.03; the queue of 1 is full at the puts of 8
  // (in at the get of 8.03, +30 us) and 10.06 (in at 11.03, +30 us).
  auto r = run_json_file(source_dir() + "/scenarios/examples/producer_consumer.yaml");
  CHECK(r["status"] == "ok");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.01703, 2e-9));
  const auto& producer = thread_named(r, "producer");
  const auto& consumer = thread_named(r, "consumer");
  CHECK_THAT(producer["end_s"].get<double>(), WithinAbs(0.01106, 2e-9));
  CHECK_THAT(producer["io_s"].get<double>(), WithinAbs(0.010, 2e-9));
  CHECK_THAT(producer["lock_wait_s"].get<double>(), WithinAbs(0.00106, 2e-9));
  CHECK_THAT(consumer["lock_wait_s"].get<double>(), WithinAbs(0.00203, 2e-9));
  CHECK_THAT(consumer["cpu_s"].get<double>(), WithinAbs(0.015, 2e-9));
  CHECK_THAT(consumer["gil_wait_s"].get<double>(), WithinAbs(0, 2e-9));
  CHECK(consumer["gil_acquisitions"] == 1);  // it never blocks again after its first item
}

TEST_CASE("barrier: the barrier_phases example, worked out in its comment")
{
  // Phases end at 5, 10 and 15 ms (the slow thread's arrivals); fast and mid go on 30 us after
  // each: fast waits 5.03 - 2, 10.03 - 7.03 and 15.03 - 12.03; mid 5.03 - 3, 10.03 - 8.03 and
  // 15.03 - 13.03.
  auto r = run_json_file(source_dir() + "/scenarios/examples/barrier_phases.yaml");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.01503, 2e-9));
  CHECK_THAT(thread_named(r, "fast")["lock_wait_s"].get<double>(), WithinAbs(0.00903, 2e-9));
  CHECK_THAT(thread_named(r, "mid")["lock_wait_s"].get<double>(), WithinAbs(0.00603, 2e-9));
  CHECK_THAT(thread_named(r, "slow")["lock_wait_s"].get<double>(), WithinAbs(0, 2e-9));
  CHECK_THAT(thread_named(r, "slow")["end_s"].get<double>(), WithinAbs(0.015, 2e-9));
  CHECK(r["events"] == 18);
  for (const auto& c : r["cores"])
    CHECK(c["context_switches"] == 0);
}

TEST_CASE("barrier and event: released at the last arrival and at the set")
{
  // a, b, c reach the barrier at 1, 2, 3 ms; c sets ev at 3 (it goes on at once), a and b are
  // woken by the barrier at 3 (+30 us) and wait on ev, already set: they run 3.03-4.03 on the
  // two cores left; c runs 3-4.
  auto r = run_json(R"(
machine: {cores: 3, context_switch: 0, wakeup_latency: 30us}
scheduler: {policy: fifo}
locks: {b: {kind: barrier, parties: 3}, ev: {kind: event}}
processes:
  - name: p
    runtime: native
    threads:
      - {name: a, program: [{sleep: 1ms}, {wait: b}, {wait: ev}, {cpu: 1ms}]}
      - {name: b, program: [{sleep: 2ms}, {wait: b}, {wait: ev}, {cpu: 1ms}]}
      - {name: c, program: [{sleep: 3ms}, {wait: b}, {set: ev}, {cpu: 1ms}]}
)");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.00403, 2e-9));
  CHECK_THAT(thread_named(r, "a")["lock_wait_s"].get<double>(), WithinAbs(0.00203, 2e-9));
  CHECK_THAT(thread_named(r, "c")["end_s"].get<double>(), WithinAbs(0.004, 2e-9));
}

TEST_CASE("queue deadlock: more gets than puts stop the run, saying what the consumer waits for")
{
  std::string y = R"(
machine: {cores: 1}
locks: {q: {kind: queue}}
processes:
  - name: p
    runtime: native
    threads:
      - {name: producer, program: [{cpu: 1ms}, {put: q}]}
      - {name: consumer, program: [{get: q}, {get: q}]}
)";
  auto r = run_cli({"run", write_temp_scenario(y), "--json"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("consumer holds [] and waits on queue q for an item to get (the "
                             "queue is empty)"));
  CHECK(nlohmann::json::parse(r.out)["status"] == "deadlock");
}
