// machine.jitter: every io and sleep lasts d x (1 + jitter x u), u uniform in [-1, 1) from its
// process's seeded stream, so that a race comes out as a distribution over seeds; jitter 0 (the
// default) draws nothing and every wait is exact (the golden reports hold that).
#include "tests/os/test_driver.hpp"

#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

using gilsim::test::run_scenario;

namespace {
// 2000 waits of 1 ms in one native thread, and one of 10 ms in a Python process.
gilsim::run_report waits(std::uint64_t seed, double jitter)
{
  const auto sc = gilsim::load_scenario_text(
      "seed: " + std::to_string(seed) + "\nmachine: {cores: 2, jitter: " +
          std::to_string(jitter) + "}\n"
          "processes:\n"
          "  - {name: n, runtime: native, threads: [{name: t, program: [{repeat: 2000, do: "
          "[{io: 1ms}]}]}]}\n"
          "  - {name: p, threads: [{name: s, program: [{sleep: 10ms}]}]}\n",
      "t.yaml");
  return run_scenario(sc);
}
}  // namespace

TEST_CASE("jitter: waits spread within d x [1 - j, 1 + j], the same for the same seed", "[os]")
{
  const auto a = waits(1, 0.5), again = waits(1, 0.5), b = waits(2, 0.5);
  // 2000 draws of mean 1 ms and standard deviation 0.5 / sqrt(3) ms: their sum is 2 s give or
  // take 5 sigma = 5 x 0.2887 x sqrt(2000) ms = 65 ms.
  CHECK(std::abs(a.threads[0].io_s - 2.0) < 0.065);
  CHECK(a.threads[0].io_s != Approx(2.0).margin(1e-9));  // but not exactly 2 s
  // The Python sleep of 10 ms: within [5, 15) ms.
  CHECK(a.threads[1].sleep_s >= 5e-3);
  CHECK(a.threads[1].sleep_s < 15e-3);
  // Same seed, same durations; another seed, others.
  CHECK(again.threads[0].io_s == a.threads[0].io_s);
  CHECK(again.threads[1].sleep_s == a.threads[1].sleep_s);
  CHECK(b.threads[0].io_s != a.threads[0].io_s);
  // Jitter 0: exact.
  const auto exact = waits(1, 0);
  CHECK(exact.threads[0].io_s == Approx(2.0).margin(1e-9));
  CHECK(exact.threads[1].sleep_s == Approx(10e-3).margin(1e-12));
}

TEST_CASE("jitter: a race between two sleepers is won by either, depending on the seed", "[os]")
{
  // Two threads sleep 1 ms and then take a mutex; with jitter the first awake takes it first.
  std::set<std::string> winners;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto sc = gilsim::load_scenario_text(
        "seed: " + std::to_string(seed) +
            "\nmachine: {cores: 2, jitter: 0.1}\nlocks: {m: {}}\n"
            "processes:\n"
            "  - {name: a, runtime: native, threads: [{name: t, program: [{sleep: 1ms}, {lock: "
            "m}, {cpu: 5ms}, {unlock: m}]}]}\n"
            "  - {name: b, runtime: native, threads: [{name: t, program: [{sleep: 1ms}, {lock: "
            "m}, {cpu: 5ms}, {unlock: m}]}]}\n",
        "t.yaml");
    const auto r = run_scenario(sc);
    winners.insert(r.threads[0].end_s < r.threads[1].end_s ? "a" : "b");
  }
  // Each process draws from its own stream: over 20 seeds both win some (the chance that one
  // wins all 20 is 2 x 2^-20).
  CHECK(winners == std::set<std::string>{"a", "b"});
}
