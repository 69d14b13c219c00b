// The proportional-share schedulers of OSTEP chapter 9 under the test driver, without SimGrid:
// stride against the chapter's schedule worked out by hand, lottery against its ticket shares
// over a long run, and their `tickets` checked by the loader. Times are simulated ms.
#include "tests/os/test_driver.hpp"

#include "models/core/error.hpp"
#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <string>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
const auto dispatches = gilsim::test::textbook_dispatches;
using list = std::vector<std::string>;

TEST_CASE("stride: the chapter's 100/50/250 tickets give its schedule", "[os][textbook]")
{
  // Strides 100, 200 and 40 (10000 over the tickets), one per 10 ms quantum. Passes before each
  // turn, A B C, and who runs (OSTEP figure 9.3; ties by thread order):
  //   0 0 0 A | 100 0 0 B | 100 200 0 C | .. 40 C | .. 80 C | 100 200 120 A | 200 200 120 C |
  //   .. 160 C | 200 200 200 A (its 3rd and last quantum, done at 90) | B (its 2nd, done at
  //   100) | C alone: its 6th quantum, done at 110.
  CHECK(dispatches("{policy: stride, quantum: 10ms}", R"(
  - {name: p, runtime: native, threads: [{name: a, tickets: 100, program: [{cpu: 30ms}]},
                                         {name: b, tickets: 50, program: [{cpu: 20ms}]},
                                         {name: c, tickets: 250, program: [{cpu: 60ms}]}]}
)") == list{"0ms a running@0", "10ms b running@0", "20ms c running@0", "30ms c running@0",
            "40ms c running@0", "50ms a running@0", "60ms c running@0", "70ms c running@0",
            "80ms a running@0", "90ms a done", "90ms b running@0", "100ms b done",
            "100ms c running@0", "110ms c done"});
}

TEST_CASE("stride: a late arrival starts at the lowest pass, not at 0", "[os][textbook]")
{
  // a and b (100 tickets each, stride 100) alternate; c arrives at 45 when b waits at pass 200:
  // it starts there. At 50 b and c tie at 200 (b first, by thread order), then c, then all
  // three at 300: a, b, c. c is done at 100 (2 quanta); a and b alternate to 210 and 220.
  // Had c started at 0 it would have held the core from 50 to 70.
  CHECK(dispatches("{policy: stride, quantum: 10ms}", R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 100ms}]},
                                         {name: b, program: [{cpu: 100ms}]}]}
  - {name: q, runtime: native, start: 45ms, threads: [{name: c, program: [{cpu: 20ms}]}]}
)") == list{"0ms a running@0",   "10ms b running@0",  "20ms a running@0",  "30ms b running@0",
            "40ms a running@0",  "50ms b running@0",  "60ms c running@0",  "70ms a running@0",
            "80ms b running@0",  "90ms c running@0",  "100ms c done",      "100ms a running@0",
            "110ms b running@0", "120ms a running@0", "130ms b running@0", "140ms a running@0",
            "150ms b running@0", "160ms a running@0", "170ms b running@0", "180ms a running@0",
            "190ms b running@0", "200ms a running@0", "210ms a done",      "210ms b running@0",
            "220ms b done"});
}

TEST_CASE("lottery: over a long run each thread's CPU share is its ticket share within 1%",
          "[os][textbook]")
{
  // Three CPU-bound daemons with 100, 50 and 250 tickets (shares 1/4, 1/8, 5/8) draw for 10^6
  // quanta of 0.1 ms, until the one other thread's 100 s sleep ends and stops them. A share p
  // over n draws has a standard deviation of sqrt(p (1 - p) / n): at most 0.33% of p here (for
  // 1/8), so 1% is three of them.
  auto r = run_without_simgrid(R"(
machine: {cores: 1, context_switch: 0}
scheduler: {policy: lottery, quantum: 0.1ms}
processes:
  - {name: p, runtime: native, threads: [
      {name: a, daemon: true, tickets: 100, program: [{cpu: 1000s}]},
      {name: b, daemon: true, tickets: 50, program: [{cpu: 1000s}]},
      {name: c, daemon: true, tickets: 250, program: [{cpu: 1000s}]},
      {name: clock, program: [{sleep: 100s}]}]}
)");
  REQUIRE(r.threads.size() == 4);
  const double shares[] = {0.25, 0.125, 0.625};
  for (int i = 0; i < 3; ++i) {
    INFO(r.threads[size_t(i)].name);
    CHECK(r.threads[size_t(i)].cpu_s / 100 == Approx(shares[i]).epsilon(0.01));
  }
}

TEST_CASE("lottery: the same seed draws the same schedule, another seed another", "[os][textbook]")
{
  auto schedule = [](const std::string& seed) {
    change_log log;
    run_without_simgrid("seed: " + seed + R"(
machine: {cores: 1, context_switch: 0}
scheduler: {policy: lottery, quantum: 1ms}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 20ms}]},
                                         {name: b, program: [{cpu: 20ms}]}]}
)",
                        &log);
    return log.only({"running", "done"});
  };
  CHECK(schedule("1") == schedule("1"));
  CHECK(schedule("1") != schedule("2"));
  // Not round robin: somewhere a thread wins twice in a row (40 draws alternating by chance
  // have a probability of 2^-39).
  auto s = schedule("1");
  bool repeat = false;
  for (size_t i = 1; i < s.size(); ++i)
    repeat = repeat || s[i].substr(s[i].find(' ')) == s[i - 1].substr(s[i - 1].find(' '));
  CHECK(repeat);
}

TEST_CASE("lottery and stride: tickets 0 is a line:col error", "[os][textbook]")
{
  for (const std::string policy : {"lottery", "stride"}) {
    INFO(policy);
    try {
      gilsim::load_scenario_text("scheduler: {policy: " + policy +
                                     "}\n"
                                     "processes:\n"
                                     "  - {name: p, runtime: native, threads: [\n"
                                     "      {name: a, tickets: 0, program: [{cpu: 1ms}]}]}\n",
                                 "t.yaml", {});
      FAIL("loaded");
    } catch (const gilsim::input_error& e) {
      CHECK(e.pos().line == 4);
      CHECK(e.pos().col == 26);  // the 0 after "      {name: a, tickets: " (25 characters)
      CHECK(e.key_path() == "processes[0].threads[0].tickets");
      CHECK(e.message() == "must be between 1 and 10000, got '0'");
    }
  }
}
