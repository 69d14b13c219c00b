// Who wins a GIL hand-off under handoff: condvar (models/gil/condvar.hpp), run through the OS by
// the test driver: hand-worked sequences, and the long-run shape of an I/O thread's waits.
// Times in the lists are simulated milliseconds.
#include "tests/os/test_driver.hpp"

#include <catch2/catch.hpp>

#include <cmath>

#include <string>
#include <vector>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
using list = std::vector<std::string>;

namespace {

list gil_lines(const change_log& log)
{
  list out;
  for (const auto& l : log.lines)
    if (l.find(" GIL p ") != std::string::npos)
      out.push_back(l);
  return out;
}

// a holds the GIL from 0 and is CPU-bound; b begins to wait at 0; c, back from 1 ms of I/O,
// at 1 ms. b's first pass ends at 5 ms with no switch: it asks for a drop and waits again.
std::string three(const std::string& python, const std::string& b_cpu)
{
  return "machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}\n"
         "python: {gil: new, switch_interval: 5ms, " + python + "}\n"
         "processes:\n"
         "  - {name: p, threads: [{name: a, program: [{cpu: 20ms}]},\n"
         "                        {name: b, program: [{cpu: " + b_cpu + "}]},\n"
         "                        {name: c, program: [{io: 1ms}, {cpu: 1ms}]}]}\n";
}

}  // namespace

TEST_CASE("handoff: the waiter that timed out and blocked again loses to the one blocked longest",
          "[os][gil]")
{
  change_log log;
  run_without_simgrid(three("check_latency: 5us, handoff: condvar, rewait_time: 0, timer_slack: 0", "1ms"), &log);
  // b's re-wait puts it behind c. a drops at 5.005; G1 is empty, so G2 (c, then b) becomes G1
  // and its longest blocked member, c, wakes: it holds the GIL 30 us later. a, woken by the
  // switch, waits at 5.065 in the new G2. c ends at 6.035 and signals G1's last member, b (6.065
  // to 7.065); then G1 is spent and a, alone in G2, has the GIL at 7.095 for its last
  // 20 - 5.005 = 14.995 ms.
  CHECK(gil_lines(log) == list{"0ms GIL p a", "5.005ms GIL p free", "5.035ms GIL p c",
                               "6.035ms GIL p free", "6.065ms GIL p b", "7.065ms GIL p free",
                               "7.095ms GIL p a", "22.09ms GIL p free"});
  // Under fifo the signal goes to the longest waiter, b, whatever its re-waits.
  change_log fifo;
  run_without_simgrid(three("check_latency: 5us, handoff: fifo", "1ms"), &fifo);
  CHECK(gil_lines(fifo) == list{"0ms GIL p a", "5.005ms GIL p free", "5.035ms GIL p b",
                                "6.035ms GIL p free", "6.065ms GIL p c", "7.065ms GIL p free",
                                "7.095ms GIL p a", "22.09ms GIL p free"});
}

TEST_CASE("handoff: the waiter that timed out and is still on its core takes the signal at once",
          "[os][gil]")
{
  change_log log;
  run_without_simgrid(three("check_latency: 0, handoff: condvar, rewait_time: 1us, timer_slack: 0", "0.5ms"),
                      &log);
  // The holder drops in the instant b asks (no check latency), while b, waiting again, is on its
  // core for up to 2 us more: G2 (c, b) becomes G1 and b takes the signal with no wake-up, at 5
  // ms. b ends at 5.5 and signals G1's other member, c (5.53 to 6.53); a, which waited from 5.03
  // in the new G2, has the GIL at 6.56 for its last 15 ms.
  CHECK(gil_lines(log) == list{"0ms GIL p a", "5ms GIL p free", "5ms GIL p b", "5.5ms GIL p free",
                               "5.53ms GIL p c", "6.53ms GIL p free", "6.56ms GIL p a",
                               "21.56ms GIL p free"});
}

namespace {

// The holders in turn, from the GIL lines ("5.035ms GIL p b").
list holders(const change_log& log)
{
  list out;
  for (const auto& l : gil_lines(log)) {
    std::string who = l.substr(l.rfind(' ') + 1);
    if (who != "free")
      out.push_back(who);
  }
  return out;
}

}  // namespace

// Three CPU-bound threads, 2 cores. At each switch the dropper W waits from 30 us later, so its
// first pass is the first to end with no switch in it: W asks for the next drop and waits
// again, last in the condition variable; the third thread Z re-waited once during W's pass, and
// the older group is spent by then. So the drop turns G2 (Z, W) into G1 and the signal goes to W
// if W is still on its core 5 us (the check latency) after its re-wait, else to Z. W's time on
// its core is 2 x rewait_time x (d + 1) / 1024 for a uniform draw d < 1024, so W wins with
// q = #{d : 2 x rewait_time x (d + 1) / 1024 > 5 us} / 1024: 456/1024 at the default 4.5 us
// (d >= 568), 768/1024 at 10 us (d >= 256). A hand-off then goes back to the thread the holder
// took the GIL from with probability q, independently each time, so a run of such returns
// after each win by the third thread is geometric: q / (1 - q) of them on average.
TEST_CASE("handoff: a holder hands the GIL back to its predecessor with the model's own "
          "probability, in geometric runs", "[os][gil]")
{
  for (auto [rewait, q] : {std::pair{"4.5us", 456.0 / 1024}, std::pair{"10us", 768.0 / 1024}}) {
    change_log log;
    run_without_simgrid(std::string("machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}\n"
                                    "python: {gil: new, handoff: condvar, rewait_time: ") +
                            rewait + "}\n"
                                     "processes:\n"
                                     "  - {name: p, threads: [{name: a, program: [{cpu: 4s}]},\n"
                                     "      {name: b, program: [{cpu: 4s}]}, {name: c, program: [{cpu: 4s}]}]}\n",
                        &log);
    list h = holders(log);
    REQUIRE(h.size() > 2000);
    const int n = 2000;  // hand-offs while all three still run (each holds ~5 ms of its 4 s)
    int back = 0, runs = 0, in_runs = 0, run = -1;
    for (int i = 2; i < n + 2; ++i) {
      bool returned = h[size_t(i)] == h[size_t(i - 2)];
      back += returned;
      if (!returned) {
        if (run >= 0) {
          ++runs;
          in_runs += run;
        }
        run = 0;
      } else if (run >= 0) {
        ++run;
      }
    }
    // Four standard errors: of a binomial share, and of the mean of a geometric count
    // (standard deviation sqrt(q) / (1 - q)).
    double share = double(back) / n;
    CHECK(std::fabs(share - q) < 4 * std::sqrt(q * (1 - q) / n));
    double mean_run = double(in_runs) / runs;
    CHECK(std::fabs(mean_run - q / (1 - q)) < 4 * std::sqrt(q) / (1 - q) / std::sqrt(double(runs)));
  }
}
