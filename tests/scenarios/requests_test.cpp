// Requests: a workload's open arrivals, random step durations and the report's `latency`, on
// schedules worked out by hand. Machine costs are zeroed (no switch, no wake-up latency, no
// queue get) so that every latency can be counted.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::write_temp_scenario;

namespace {
std::string requests(const std::string& arrivals, const std::string& per_item,
                     const std::string& model = "sync", const std::string& extra = "")
{
  return "machine: {cores: 4, context_switch: 0, wakeup_latency: 0}\n"
         "workload:\n"
         "  arrivals: " +
         arrivals +
         "\n"
         "  per_item: " +
         per_item +
         "\n"
         "  model: " +
         model + "\n" + extra;
}
double latency(const nlohmann::json& r, const char* key)
{
  return r["latency"][key].get<double>();
}
} // namespace

TEST_CASE("requests: each one served at once has its service as latency", "[requests]")
{
  // Every 10 ms, 5 requests of 4 ms I/O: served at 0, 10, .., 40, done at 4, .., 44 ms.
  // Throughput: 5 requests from the first arrival (0) to the last done (44 ms): 113.636 per s.
  auto r = run_json(requests("{every: 10ms, count: 5}", "[{io: 4ms}]"));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.044, 1e-9));
  CHECK(r["latency"]["count"] == 5);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.004, 1e-9));
  CHECK_THAT(latency(r, "p99_s"), WithinAbs(0.004, 1e-9));
  CHECK_THAT(latency(r, "throughput_per_s"), WithinAbs(5 / 0.044, 1e-6));
}

TEST_CASE("requests: a wait for the next arrival is no wait for the GIL", "[requests]")
{
  // One thread, a request every 10 ms of 1 ms Python then 1 ms I/O: after each I/O (at 2, 12,
  // .., 42 ms) the thread waits for the next arrival, then takes the free GIL at once. The
  // convoy figure (I/O completion to GIL re-taken) has no sample: the GIL was never waited for.
  auto r = run_json(requests("{every: 10ms, count: 5}", "[{cpu: 1ms}, {io: 1ms}]", "threads",
                             "  workers: 1\n  queue_get: 0\n"));
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.002, 1e-9));
  CHECK(r["processes"][0]["gil"]["convoy"]["count"] == 0);
}

TEST_CASE("requests: a queue builds up when they come faster than one worker serves", "[requests]")
{
  // Arrivals 0, 2, 4, 6 ms, 5 ms each: served 0-5, 5-10, 10-15, 15-20; latencies 5, 8, 11,
  // 14 ms: mean 9.5 ms; nearest rank p50 = the 2nd = 8 ms, p90 = p99 = the 4th = 14 ms.
  auto r = run_json(requests("{every: 2ms, count: 4}", "[{io: 5ms}]"));
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.0095, 1e-9));
  CHECK_THAT(latency(r, "p50_s"), WithinAbs(0.008, 1e-9));
  CHECK_THAT(latency(r, "p90_s"), WithinAbs(0.014, 1e-9));
  CHECK_THAT(latency(r, "p99_s"), WithinAbs(0.014, 1e-9));
  CHECK_THAT(latency(r, "throughput_per_s"), WithinAbs(4 / 0.020, 1e-6));
  // The worker waited for nothing but the first arrival (at 0): no lock wait.
  CHECK_THAT(gilsim::test::thread_named(r, "main")["lock_wait_s"].get<double>(),
             WithinAbs(0, 1e-12));
}

TEST_CASE("requests: two workers wait for the arrivals and take them in turn", "[requests]")
{
  // Arrivals 0, 2, 4, 6 ms of 5 ms each on 2 workers: worker-0 takes #1 at 0 (done 5);
  // worker-1 waits and takes #2 at 2 (done 7); #3 (at 4) waits for worker-0 at 5 (done 10),
  // #4 (at 6) for worker-1 at 7 (done 12). Latencies 5, 5, 6, 6 ms: mean 5.5 ms.
  auto r = run_json(requests("{every: 2ms, count: 4}", "[{io: 5ms}]", "threads",
                             "  workers: 2\n  queue_get: 0\n"));
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.0055, 1e-9));
  CHECK_THAT(latency(r, "p50_s"), WithinAbs(0.005, 1e-9));
  CHECK_THAT(latency(r, "p90_s"), WithinAbs(0.006, 1e-9));
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.012, 1e-9));
  // worker-1 waited 2 ms for #2; then neither waits again (each next request is there).
  CHECK_THAT(gilsim::test::thread_named(r, "worker-1")["lock_wait_s"].get<double>(),
             WithinAbs(0.002, 1e-9));
}

TEST_CASE("requests: a waiting worker wakes after the machine's wake-up latency", "[requests]")
{
  // As above with wakeup_latency 100 us: worker-0 takes #1 at 0 without waiting (done 5 ms);
  // worker-1, waiting, is woken 100 us after #2 arrives and runs it 2.1-7.1 ms. Coming back
  // from their requests they wait for nothing: worker-0 takes #3 (there since 4 ms) at 5 ms,
  // worker-1 #4 (since 6 ms) at 7.1 ms. Latencies 5, 5.1, 6, 6.1 ms: mean 5.55 ms.
  std::string y = requests("{every: 2ms, count: 4}", "[{io: 5ms}]", "threads",
                           "  workers: 2\n  queue_get: 0\n");
  y.replace(y.find("wakeup_latency: 0"), 17, "wakeup_latency: 100us");
  auto r = run_json(y);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.00555, 1e-9));
}

TEST_CASE("requests: items all queued at the start have their completion as latency", "[requests]")
{
  // No arrivals: 3 items of 10 ms in order are done at 10, 20, 30 ms: mean 20 ms, 100 per s.
  auto r = run_json("machine: {context_switch: 0, wakeup_latency: 0}\n"
                    "workload: {items: {range: [1, 3]}, per_item: [{io: 10ms}], model: sync}\n");
  CHECK(r["latency"]["count"] == 3);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.02, 1e-9));
  CHECK_THAT(latency(r, "p90_s"), WithinAbs(0.03, 1e-9));
  CHECK_THAT(latency(r, "throughput_per_s"), WithinAbs(100, 1e-6));
}

TEST_CASE("requests: arrival times read from a file beside the scenario", "[requests]")
{
  // Rows 0, 1 ms, 3 ms (a header first, a comment and a blank line between) of 2 ms each:
  // served 0-2, 2-4, 4-6 ms; latencies 2, 3, 3 ms: mean 8/3 ms.
  std::string path =
      write_temp_scenario(requests("{file: arrivals.csv}", "[{io: 2ms}]"), "from_file");
  std::string dir = path.substr(0, path.rfind('/'));
  std::ofstream(dir + "/arrivals.csv") << "time\n0\n# the second\n\n1ms\n3ms\n";
  auto r = gilsim::test::run_json_file(path);
  CHECK(r["latency"]["count"] == 3);
  CHECK_THAT(latency(r, "mean_s"), WithinAbs(0.008 / 3, 1e-9));

  std::ofstream(dir + "/arrivals.csv") << "time\n0\n2ms\n1ms\n";
  auto bad = run_cli({"run", path});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("arrivals.csv:4:1") && Contains("in order"));
  std::ofstream(dir + "/arrivals.csv") << "0\nsoon\n";
  bad = run_cli({"run", path});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("arrivals.csv:2:1"));
}

TEST_CASE("requests: bad arrivals and random durations are located errors", "[requests]")
{
  auto fails = [](const std::string& yaml, const std::string& says) {
    auto r = run_cli({"check", write_temp_scenario(yaml, "bad")});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(says));
  };
  fails(requests("{poisson: 300/h, count: 10}", "[{io: 1ms}]"), ".yaml:3:23: workload.arrivals.poisson");
  fails(requests("{poisson: 300/s}", "[{io: 1ms}]"), "missing required key 'count'");
  fails(requests("{every: 1ms, poisson: 1/s, count: 3}", "[{io: 1ms}]"), "exactly one of");
  fails(requests("{every: 1ms, count: 3}\n  items: {range: [1, 3]}", "[{io: 1ms}]"),
        "either items or arrivals");
  fails(requests("{every: 1ms, count: 3}", "[{io: {exp: -1ms}}]"), ".yaml:4:25: workload.per_item[0].io.exp");
  fails(requests("{every: 1ms, count: 3}", "[{io: {uniform: [3ms, 1ms]}}]"), "high is below low");
  fails(requests("{every: 1ms, count: 3}", "[{io: {lognormal: {mean: 5ms}}}]"),
        "missing required key 'sd'");
  fails(requests("{every: 1ms, count: 3}", "[{io: {gamma: 5ms}}]"), "gamma");
  fails(requests("{every: 1ms, count: 3}", "[{cpu: {expo: 5ms}}]"), "did you mean 'exp'");
}

// The sum of n random durations, as the makespan of n items in order (no arrivals), against
// n x the mean; the tolerance is about 5 standard deviations of that sum.
TEST_CASE("random durations: their means over 10^5 draws", "[requests]")
{
  auto total = [](const std::string& d) {
    return run_json("machine: {context_switch: 0, wakeup_latency: 0}\n"
                    "workload: {items: {range: [1, 100000]}, per_item: [{io: " +
                    d + "}], model: sync}\n")["makespan_s"]
        .get<double>();
  };
  const double n = 1e5;
  // exp, mean 2 ms: sd = mean, so the sum's relative sd is 1 / sqrt(n) = 0.32%.
  CHECK_THAT(total("{exp: 2ms}"), WithinRel(n * 2e-3, 0.016));
  // uniform [1, 3] ms: mean 2 ms, sd 2 / sqrt(12) = 0.577 ms: 0.09% on the sum.
  CHECK_THAT(total("{uniform: [1ms, 3ms]}"), WithinRel(n * 2e-3, 0.005));
  // lognormal, mean 2 ms, sd 1 ms: 0.16% on the sum.
  CHECK_THAT(total("{lognormal: {mean: 2ms, sd: 1ms}}"), WithinRel(n * 2e-3, 0.008));
  // normal (2 ms, 1 ms) truncated at 0, alpha = -2: mean + sd phi(2) / Phi(2) =
  // 2 + 0.053991 / 0.977250 = 2.05525 ms (clamping at 0 would give 2.00849 ms); sd about
  // 0.93 ms: 0.14% on the sum.
  CHECK_THAT(total("{normal: {mean: 2ms, sd: 1ms}}"), WithinRel(n * 2.05525e-3, 0.006));
}

TEST_CASE("random durations and arrivals repeat with the seed and change with it", "[requests]")
{
  std::string y = requests("{poisson: 100/s, count: 200}", "[{cpu: {exp: 5ms}}]");
  auto a = run_json(y), b = run_json(y), c = run_json(y, {"--seed", "2"});
  CHECK(a["makespan_s"] == b["makespan_s"]);
  CHECK(a["latency"] == b["latency"]);
  CHECK(a["makespan_s"] != c["makespan_s"]);
}
