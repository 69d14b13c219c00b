// Heterogeneous cores: a machine of groups, each core at its group's speed, worked out by hand.
// Each case runs under the test driver (no SimGrid) and through the binary (SimGrid), which
// must agree. P is one core of speed 2, E one of speed 1; work is reference seconds, so a 1 s
// phase takes 0.5 s on P.
#include "tests/os/test_driver.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <string>

using gilsim::test::run_json;
using gilsim::test::run_without_simgrid;
using gilsim::test::thread_named;

namespace {
const std::string p_and_e =
    "machine: {cores: [{name: P, count: 1, speed: 2}, {name: E, count: 1, speed: 1}],"
    " context_switch: 0, wakeup_latency: 0}\n";

// The end of each named thread, under both drivers (they must agree to the nanosecond).
std::vector<double> ends(const std::string& yaml, const std::vector<std::string>& names)
{
  auto direct = run_without_simgrid(yaml);
  auto engine = run_json(yaml);
  std::vector<double> out;
  for (size_t i = 0; i < names.size(); ++i) {
    double e = thread_named(engine, names[i]).at("end_s").get<double>();
    CHECK(direct.threads[i].end_s == Approx(e).margin(1e-9));
    out.push_back(e);
  }
  return out;
}
}  // namespace

TEST_CASE("cores: fifo puts the first thread on the fastest idle core", "[cores]")
{
  // At 0 both are ready; idle cores take threads fastest first: P takes a, E takes b.
  auto e = ends(p_and_e + R"(scheduler: {policy: fifo}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 1s}]},
                                         {name: b, program: [{cpu: 1s}]}]}
)", {"a", "b"});
  CHECK(e[0] == Approx(0.5).margin(1e-12));
  CHECK(e[1] == Approx(1.0).margin(1e-12));
  auto r = run_json(p_and_e + R"(scheduler: {policy: fifo}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 1s}]},
                                         {name: b, program: [{cpu: 1s}]}]}
)");
  REQUIRE(r.at("groups").size() == 2);
  CHECK(r.at("groups")[0].at("name") == "P");
  CHECK(r.at("groups")[0].at("busy_s").get<double>() == Approx(0.5).margin(1e-12));
  CHECK(r.at("groups")[1].at("busy_s").get<double>() == Approx(1.0).margin(1e-12));
  CHECK(r.at("cores")[0].at("speed").get<double>() == 2);
  CHECK(r.at("cores")[1].at("group") == "E");
}

TEST_CASE("cores: round robin over three threads on a fast and a slow core", "[cores]")
{
  // 10 ms slices. Slot 0: P runs t0 (20 ms of work), E t1 (10 ms). At each slot's end both
  // slices expire at one instant and go back to the queue in thread order, behind the waiter,
  // and P takes the queue's head: slot 1 is P t2, E t0; slot 2 is P t1, E t0; and so on, t0 on
  // E every slot, t1 and t2 taking turns on P. t0 has 20 + 98 x 10 = 1000 ms of work at 990 ms.
  // t1 has 10 + 49 x 20 = 990 at 990 ms and t2 49 x 20 = 980: P takes t2 (10 ms for its last
  // 20) and E t1 (10 ms for its last 10): both end at 1000 ms.
  auto e = ends(p_and_e + R"(scheduler: {policy: rr, quantum: 10ms}
processes:
  - {name: p, runtime: native, threads: [{name: t0, program: [{cpu: 1s}]},
                                         {name: t1, program: [{cpu: 1s}]},
                                         {name: t2, program: [{cpu: 1s}]}]}
)", {"t0", "t1", "t2"});
  CHECK(e[0] == Approx(0.990).margin(1e-12));
  CHECK(e[1] == Approx(1.000).margin(1e-12));
  CHECK(e[2] == Approx(1.000).margin(1e-12));
}

TEST_CASE("cores: a GIL-bound process runs on the fast core only", "[cores]")
{
  // The GIL alternates every 5 ms interval (check latency 0, fifo hand-off); every hand-over
  // finds both cores idle and the taker goes onto P, so each turn is 10 ms of work. a (95 ms)
  // has 90 after nine turns and ends 2.5 ms into its tenth, at 92.5 ms; b then takes the GIL
  // with 10 ms of work left and ends at 97.5 ms. E runs nothing.
  std::string yaml = p_and_e + R"(scheduler: {policy: fifo}
python: {gil: new, switch_interval: 5ms, check_latency: 0, handoff: fifo}
processes:
  - {name: py, threads: [{name: a, program: [{cpu: 95ms}]}, {name: b, program: [{cpu: 100ms}]}]}
)";
  auto e = ends(yaml, {"a", "b"});
  CHECK(e[0] == Approx(0.0925).margin(1e-12));
  CHECK(e[1] == Approx(0.0975).margin(1e-12));
  auto r = run_json(yaml);
  CHECK(r.at("cores")[1].at("busy_s").get<double>() == 0);
}

TEST_CASE("cores: groups are checked at load", "[cores]")
{
  auto bad = [](const std::string& machine) {
    auto path = gilsim::test::write_temp_scenario(
        "machine: " + machine + "\nprocesses: [{name: p, threads: [{name: t, program: [{cpu: 1ms}]}]}]\n");
    return gilsim::test::run_cli({"check", path});
  };
  auto r = bad("{cores: [{name: P, count: 0}]}");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(":1:") != std::string::npos);
  CHECK(r.err.find("machine.cores[0].count") != std::string::npos);
  r = bad("{cores: [{name: P}, {name: P}]}");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("named twice") != std::string::npos);
  r = bad("{cores: [{name: P, count: 2}]}\nscheduler: {policy: ps}");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("one speed") != std::string::npos);
}
