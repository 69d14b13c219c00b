// The simulated OS without SimGrid: each scenario runs under the test driver, which dates the
// OS's orders itself, and the whole list of what happened is compared with one worked out by
// hand from the rules (docs/semantics.md). Times in the lists are simulated milliseconds.
#include "tests/os/test_driver.hpp"

#include "sim/load/loader.hpp"
#include "sim/out/report.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
using list = std::vector<std::string>;

TEST_CASE("os: fifo runs 100/200/300 ms jobs one after the other", "[os]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 1, context_switch: 0}
scheduler: {policy: fifo}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 100ms}]},
                                         {name: b, program: [{cpu: 200ms}]},
                                         {name: c, program: [{cpu: 300ms}]}]}
)", &log);
  // All three are ready at 0; a runs first, each runs to its end, in arrival order.
  CHECK(log.lines == list{"0ms a ready", "0ms b ready", "0ms c ready", "0ms a running@0",
                          "100ms a done", "100ms b running@0", "300ms b done",
                          "300ms c running@0", "600ms c done"});
  CHECK(r.makespan_s == Approx(0.6).margin(1e-12));
}

TEST_CASE("os: round robin with a 10 ms quantum and a 1 ms context switch", "[os]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 1, context_switch: 1ms}
scheduler: {policy: rr, quantum: 10ms}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 20ms}]},
                                         {name: b, program: [{cpu: 20ms}]}]}
)", &log);
  // a runs 0-10 (the core's first thread pays no switch). b pays 1 ms at 10 and its slice
  // counts from 11: it runs 11-21. a pays 1 ms at 21, runs its last 10 ms 22-32. b pays 1 ms
  // at 32 and, alone, runs its last 10 ms 33-43.
  CHECK(log.only({"running", "done"}) ==
        list{"0ms a running@0", "10ms b running@0", "21ms a running@0", "32ms a done",
             "32ms b running@0", "43ms b done"});
  CHECK(r.makespan_s == Approx(0.043).margin(1e-12));
  CHECK(r.cores[0].context_switches == 3);
  CHECK(r.cores[0].busy_s == Approx(0.043).margin(1e-12));  // 40 ms of work and 3 of switching
}

TEST_CASE("os: a mutex handed to its waiter after the wake-up latency", "[os]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}
locks: {m: {kind: mutex}}
processes:
  - {name: p, runtime: native, threads: [
      {name: a, program: [{lock: m}, {cpu: 10ms}, {unlock: m}]},
      {name: b, program: [{lock: m}, {cpu: 10ms}, {unlock: m}]}]}
)", &log);
  // a takes m at 0 and runs; b waits for m. At 10 a unlocks (handing m to b) and ends; b can
  // run 30 us later, on core 0 (idle cores are dispatched in id order), and ends at 20.03.
  CHECK(log.lines == list{"0ms a ready", "0ms b lock wait", "0ms a running@0", "10ms a done",
                          "10.03ms b ready", "10.03ms b running@0", "20.03ms b done"});
  CHECK(r.threads[1].lock_wait_s == Approx(0.01003).margin(1e-12));
}

TEST_CASE("os: a mutex with its own wakeup hands over after that, 0 at once", "[os]")
{
  const auto run = [](const std::string& lock) {
    change_log log;
    run_without_simgrid("machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}\n"
                        "locks: {m: " + lock + R"(}
processes:
  - {name: p, runtime: native, threads: [
      {name: a, program: [{lock: m}, {cpu: 10ms}, {unlock: m}]},
      {name: b, program: [{lock: m}, {cpu: 10ms}, {unlock: m}]}]}
)", &log);
    return log.lines;
  };
  // As above, but b is runnable the lock's wakeup after a's unlock at 10 ms, not 30 us after;
  // with 0, at the unlock itself, before a goes on to its end.
  CHECK(run("{kind: mutex, wakeup: 0}") ==
        list{"0ms a ready", "0ms b lock wait", "0ms a running@0", "10ms b ready", "10ms a done",
             "10ms b running@0", "20ms b done"});
  CHECK(run("{kind: mutex, wakeup: 100us}") ==
        list{"0ms a ready", "0ms b lock wait", "0ms a running@0", "10ms a done",
             "10.1ms b ready", "10.1ms b running@0", "20.1ms b done"});
}

TEST_CASE("os: a higher priority arrival preempts at once", "[os]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 1, context_switch: 0}
scheduler: {policy: priority}
processes:
  - {name: low, runtime: native, threads: [{name: low, priority: 0, program: [{cpu: 30ms}]}]}
  - {name: high, runtime: native, start: 5ms,
     threads: [{name: high, priority: 10, program: [{cpu: 10ms}]}]}
)", &log);
  // low runs 0-5; high arrives at 5 and takes the core; low waits until high ends at 15 and
  // then does its last 25 ms: 15-40.
  CHECK(log.lines == list{"0ms low ready", "0ms low running@0", "5ms high ready",
                          "5ms low ready", "5ms high running@0", "15ms high done",
                          "15ms low running@0", "40ms low done"});
  CHECK(r.threads[0].ready_wait_s == Approx(0.010).margin(1e-12));
}

TEST_CASE("os: two CPU-bound Python threads hand the GIL over every switch interval", "[os]")
{
  change_log log;
  run_without_simgrid(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 0}
python: {gil: new, switch_interval: 5ms, check_latency: 0, handoff: fifo}
processes:
  - {name: p, threads: [{name: a, program: [{cpu: 9ms}]}, {name: b, program: [{cpu: 10ms}]}]}
)", &log);
  // a takes the GIL at 0; b waits one interval, asks for a drop at 5 and takes the GIL; a
  // (forced to switch) waits in its turn, asks at 10 and takes it back for its last 4 ms. It
  // ends at 14, before b's next request (due at 15), and b does its last 5 ms 14-19. (With a
  // at 10 ms its end would tie with b's request at 15: timers come first at one instant, so a
  // would drop the GIL with no work left and finish only after b.)
  auto gil = list{};
  for (const auto& l : log.lines)
    if (l.find(" GIL p ") != std::string::npos)
      gil.push_back(l);
  CHECK(gil == list{"0ms GIL p a", "5ms GIL p free", "5ms GIL p b", "10ms GIL p free",
                    "10ms GIL p a", "14ms GIL p free", "14ms GIL p b", "19ms GIL p free"});
  CHECK(log.only({"done"}) == list{"14ms a done", "19ms b done"});
}

namespace {
std::string text_of(const std::filesystem::path& p)
{
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("os: every shipped scenario but ps gives its golden report without SimGrid", "[os]")
{
  namespace fs = std::filesystem;
  int checked = 0;
  for (const fs::path path : gilsim::test::shipped_scenarios()) {
    gilsim::scenario sc = gilsim::load_scenario(path.string());
    if (sc.scheduler.name == "ps")
      continue;  // the fluid host needs SimGrid to date its runs
    auto r = gilsim::test::run_file_without_simgrid(path.string());
    auto j = nlohmann::json::parse(gilsim::report_json(r));
    j.erase("wall_s");
    fs::path golden = path;
    golden.replace_extension(".report.json");
    INFO(path.string());
    CHECK(j.dump(2) + "\n" == text_of(golden));
    ++checked;
  }
  CHECK(checked >= 15);
}

TEST_CASE("os: each Python process draws from its own random stream", "[os]")
{
  // Two processes on cores enough for all their threads, so that they never compete for a
  // core: B's GIL hand-offs (random, three waiters) depend only on B's own draws. Changing
  // how much A works changes how many draws A makes, and must leave every figure of B alone.
  auto scenario_with = [](const std::string& a_work) {
    std::string threads_a, threads_b;
    for (int i = 0; i < 3; ++i) {
      threads_a += "{name: a" + std::to_string(i) + ", program: [{cpu: " + a_work + "}]}, ";
      threads_b += "{name: b" + std::to_string(i) + ", program: [{cpu: 40ms}]}, ";
    }
    return "machine: {cores: 6}\npython: {gil: new, handoff: random}\nprocesses:\n"
           "  - {name: A, threads: [" + threads_a + "]}\n"
           "  - {name: B, threads: [" + threads_b + "]}\n";
  };
  auto short_a = run_without_simgrid(scenario_with("20ms"));
  auto long_a = run_without_simgrid(scenario_with("70ms"));
  REQUIRE(short_a.processes[0].gil.switches != long_a.processes[0].gil.switches);
  for (int i = 3; i < 6; ++i) {
    INFO(short_a.threads[size_t(i)].name);
    CHECK(short_a.threads[size_t(i)].end_s == long_a.threads[size_t(i)].end_s);
    CHECK(short_a.threads[size_t(i)].gil_wait_s == long_a.threads[size_t(i)].gil_wait_s);
  }
  CHECK(short_a.processes[1].gil.switches == long_a.processes[1].gil.switches);
}
