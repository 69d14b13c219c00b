// A work queue fed by open arrivals (`queues: {q: {arrivals: ...}}`) and served by threads the
// scenario writes (`for_each: q`): each request's latency, from its arrival to the end of the
// for_each body that took it, on schedules worked out by hand; the loader's errors at their
// line:col; `show` writing the arrivals back. Machine costs are zeroed unless a test says so.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::write_temp_scenario;

namespace {
// `threads` native server threads taking requests from queue q, each request `body`.
std::string served(const std::string& queue, const std::string& body, int threads = 1,
                   const std::string& machine = "cores: 1, context_switch: 0, wakeup_latency: 0")
{
  return "machine: {" + machine + "}\n"
         "queues:\n"
         "  q: " + queue + "\n"
         "processes:\n"
         "  - name: server\n"
         "    runtime: native\n"
         "    threads:\n"
         "      - name: worker\n"
         "        count: " + std::to_string(threads) + "\n"
         "        program:\n"
         "          - for_each: q\n"
         "            do: " + body + "\n";
}
double latency(const nlohmann::json& r, const char* key)
{
  return r["latency"][key].get<double>();
}
} // namespace

TEST_CASE("queue arrivals: a server thread takes each request as it arrives", "[requests]")
{
  // Every 10 ms, 5 requests of 4 ms CPU: taken at 0, 10, .., 40 ms, done at 4, .., 44 ms.
  // Throughput: 5 requests from the first arrival (0) to the last done (44 ms).
  auto r = run_json(served("{arrivals: {every: 10ms, count: 5}}", "[{cpu: 4ms}]"));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.044, 1e-9));
  CHECK(r["latency"]["count"] == 5);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.004, 1e-9));
  CHECK_THAT(latency(r, "p99_s"), WithinAbs(0.004, 1e-9));
  CHECK_THAT(latency(r, "throughput_per_s"), WithinAbs(5 / 0.044, 1e-6));
  // Between requests the thread waits for the next one: 4 waits of 6 ms.
  CHECK_THAT(gilsim::test::thread_named(r, "worker")["lock_wait_s"].get<double>(),
             WithinAbs(0.024, 1e-9));
}

TEST_CASE("queue arrivals: a waiting server wakes after the machine's wake-up latency",
          "[requests]")
{
  // As above with a 100 us wake-up: #1 (at 0) is taken at the start without a wait, done at
  // 4 ms; the thread then waits, and each next request (10, 20, .. ms) wakes it 100 us late:
  // done 4.1 ms after it arrived. Mean (4 + 4 x 4.1) / 5 = 4.08 ms; the last done at 44.1 ms.
  auto r = run_json(served("{arrivals: {every: 10ms, count: 5}}", "[{cpu: 4ms}]", 1,
                           "cores: 1, context_switch: 0, wakeup_latency: 100us"));
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.00408, 1e-9));
  CHECK_THAT(latency(r, "p50_s"), WithinAbs(0.0041, 1e-9));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.0441, 1e-9));
}

TEST_CASE("queue arrivals: two server threads on two cores take them in turn", "[requests]")
{
  // Arrivals 0, 2, 4, 6 ms of 5 ms CPU on 2 threads and 2 cores: worker-0 takes #1 at 0
  // (done 5); worker-1 waits and takes #2 at 2 (done 7); #3 (at 4) waits for worker-0 at 5
  // (done 10), #4 (at 6) for worker-1 at 7 (done 12). Latencies 5, 5, 6, 6 ms: mean 5.5 ms.
  auto r = run_json(served("{arrivals: {every: 2ms, count: 4}}", "[{cpu: 5ms}]", 2,
                           "cores: 2, context_switch: 0, wakeup_latency: 0"));
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.0055, 1e-9));
  CHECK_THAT(latency(r, "p90_s"), WithinAbs(0.006, 1e-9));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.012, 1e-9));
  CHECK_THAT(gilsim::test::thread_named(r, "worker-1")["lock_wait_s"].get<double>(),
             WithinAbs(0.002, 1e-9));
}

TEST_CASE("queue arrivals: a chunk of requests is taken once its last one has arrived",
          "[requests]")
{
  // Every 2 ms, 4 requests taken 2 at a time, the body (1 ms of I/O) once per chunk: #1-#2 are
  // taken when #2 arrives (2 ms) and done at 3 ms; #3-#4 at 6 ms, done at 7 ms. Latencies
  // 3, 1, 3, 1 ms: mean 2 ms.
  auto r = run_json(served("{arrivals: {every: 2ms, count: 4}, chunk: 2}", "[{io: 1ms}]"));
  CHECK(r["latency"]["count"] == 4);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.002, 1e-9));
  CHECK_THAT(latency(r, "p99_s"), WithinAbs(0.003, 1e-9));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.007, 1e-9));
}

TEST_CASE("queue arrivals: a queue of items has no latency, one of arrivals beside it has",
          "[requests]")
{
  // The items queue (numbers 1..3, all there at the start) records nothing; the requests
  // queue's 2 arrivals (0, 10 ms) of 1 ms I/O each are done at 1 and 11 ms: 1 ms each. The
  // throughput counts from the first arrival: 2 / 11 ms.
  auto r = run_json("machine: {context_switch: 0, wakeup_latency: 0}\n"
                    "queues:\n"
                    "  numbers: {items: {range: [1, 3]}}\n"
                    "  requests: {arrivals: {every: 10ms, count: 2}}\n"
                    "processes:\n"
                    "  - name: app\n"
                    "    runtime: native\n"
                    "    threads:\n"
                    "      - name: batch\n"
                    "        program: [{for_each: numbers, do: [{io: 2ms}]}]\n"
                    "      - name: server\n"
                    "        program: [{for_each: requests, do: [{io: 1ms}]}]\n");
  CHECK(r["latency"]["count"] == 2);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.001, 1e-9));
  CHECK_THAT(latency(r, "throughput_per_s"), WithinAbs(2 / 0.011, 1e-6));
  // Without arrivals anywhere, a written program has no latency block.
  auto plain = run_json("processes:\n"
                        "  - name: app\n"
                        "    threads: [{name: t, program: [{io: 1ms}]}]\n");
  CHECK_FALSE(plain.contains("latency"));
}

TEST_CASE("queue arrivals: bad arrivals of a queue are located errors", "[requests]")
{
  auto fails = [](const std::string& yaml, const std::string& says) {
    auto r = run_cli({"check", write_temp_scenario(yaml, "bad")});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(says));
  };
  // Line 3 is "  q: {arrivals: {poisson: 300/h, ...": the rate starts at column 27.
  fails(served("{arrivals: {poisson: 300/h, count: 10}}", "[{io: 1ms}]"),
        ".yaml:3:27: queues.q.arrivals.poisson");
  fails(served("{arrivals: {poisson: 300/s}}", "[{io: 1ms}]"), "missing required key 'count'");
  // items' value at column 48, after "  q: {arrivals: {every: 1ms, count: 3}, items: ".
  fails(served("{arrivals: {every: 1ms, count: 3}, items: {range: [1, 3]}}", "[{io: 1ms}]"),
        ".yaml:3:48: queues.q.items: give either items or arrivals, not both");
  fails(served("{chunk: 2}", "[{io: 1ms}]"),
        ".yaml:3:6: queues.q: missing required key 'items' (like {range: [1, 1000]}), or "
        "'arrivals'");
  fails(served("{arrival: {every: 1ms, count: 3}}", "[{io: 1ms}]"), "did you mean 'arrivals'");
  // A queue lock fed by arrivals is a likely slip: the message says what to write instead.
  fails("locks:\n"
        "  q: {kind: queue, arrivals: {poisson: 300/s, count: 10}}\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: t, program: [{get: q}]}]\n",
        ".yaml:2:20: locks.q.arrivals: a lock takes no arrivals: a queue fed by open arrivals "
        "is a work queue");
}

TEST_CASE("queue arrivals: show writes them back, and its text runs to the same latency",
          "[requests]")
{
  const std::string y = served("{arrivals: {poisson: 250/s, count: 300}}", "[{cpu: {exp: 2ms}}]");
  auto shown = run_cli({"show", write_temp_scenario(y, "shown")});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Contains("q: {arrivals: {poisson: 250/s, count: 300}, chunk: 1}"));
  auto a = run_json(y), b = run_json(shown.out);
  CHECK(a["latency"] == b["latency"]);
  CHECK(a["latency"]["count"] == 300);
}
