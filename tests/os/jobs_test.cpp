// The textbook's per-job figures (OSTEP chapter 7) of runs under the test driver: response is
// the first run less arrival, turnaround the end less arrival, wait the time ready without a
// core; each checked against the schedule worked out by hand. Times are simulated ms.
#include "tests/os/test_driver.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using gilsim::test::run_without_simgrid;

namespace {

struct figures {
  double response, turnaround, wait;  // ms
};

// One core with free switches (the textbook's machine) under `scheduler`, running `processes`;
// each job's figures in thread order, then the means.
std::vector<figures> jobs(const std::string& scheduler, const std::string& processes)
{
  auto r = run_without_simgrid("machine: {cores: 1, context_switch: 0}\nscheduler: " +
                               scheduler + "\nprocesses:\n" + processes);
  std::vector<figures> out;
  for (const auto& t : r.threads) {
    if (!gilsim::is_job(t))
      continue;
    auto j = gilsim::job_of(t);
    out.push_back({j.response_s * 1e3, j.turnaround_s * 1e3, j.wait_s * 1e3});
  }
  auto s = gilsim::summarize_jobs(r);
  REQUIRE(s.count == long(out.size()));
  out.push_back({s.mean_response_s * 1e3, s.mean_turnaround_s * 1e3, s.mean_wait_s * 1e3});
  return out;
}

void check(const std::vector<figures>& got, const std::vector<figures>& expected)
{
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("job " << i << " (the last line: the means)");
    CHECK(got[i].response == Approx(expected[i].response).margin(1e-6));
    CHECK(got[i].turnaround == Approx(expected[i].turnaround).margin(1e-6));
    CHECK(got[i].wait == Approx(expected[i].wait).margin(1e-6));
  }
}

const std::string jobs_100_200_300 = R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 100ms}]},
                                         {name: b, program: [{cpu: 200ms}]},
                                         {name: c, program: [{cpu: 300ms}]}]}
)";

}  // namespace

TEST_CASE("jobs: fifo on 100/200/300: mean turnaround 333.33", "[os][jobs]")
{
  // a 0-100, b 100-300, c 300-600: responses and waits 0, 100, 300 (mean 133.33), turnarounds
  // 100, 300, 600 (mean 333.33).
  check(jobs("{policy: fifo}", jobs_100_200_300),
        {{0, 100, 0}, {100, 300, 100}, {300, 600, 300}, {400 / 3.0, 1000 / 3.0, 400 / 3.0}});
}

TEST_CASE("jobs: sjf on 300/200/100: response 133.33, turnaround 333.33, wait 133.33",
          "[os][jobs]")
{
  // c 0-100, b 100-300, a 300-600.
  check(jobs("{policy: sjf}", R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 300ms}]},
                                         {name: b, program: [{cpu: 200ms}]},
                                         {name: c, program: [{cpu: 100ms}]}]}
)"),
        {{300, 600, 300}, {100, 300, 100}, {0, 100, 0}, {400 / 3.0, 1000 / 3.0, 400 / 3.0}});
}

TEST_CASE("jobs: rr quantum 1 on 100/200/300: turnarounds 298, 499, 600", "[os][jobs]")
{
  // Rounds of a, b, c: a's 100th ms is 297-298; b has 100 ms by 299, c by 300. Then b and c
  // alternate from 300: b's 200th ms is 498-499, c has 200 by 500 and runs alone to 600.
  // Responses 0, 1, 2; waits are turnaround less CPU: 198, 299, 300.
  check(jobs("{policy: rr, quantum: 1ms}", jobs_100_200_300),
        {{0, 298, 198}, {1, 499, 299}, {2, 600, 300}, {1, 1397 / 3.0, 797 / 3.0}});
}

TEST_CASE("jobs: wait leaves out I/O; arrival counts from the thread's start", "[os][jobs]")
{
  // fifo: a runs 0-10, is in I/O 10-20 while b runs (10-40); c arrives at 15 (its process
  // starts then), ahead of a back at 20. c runs 40-45, a 45-55. a: response 0, turnaround 55,
  // wait 25 (ready 20-45; its I/O is no wait). b: 10, 40, 10. c: 25, 30, 25.
  check(jobs("{policy: fifo}", R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 10ms}, {io: 10ms}, {cpu: 10ms}]},
                                         {name: b, program: [{cpu: 30ms}]}]}
  - {name: q, runtime: native, start: 15ms, threads: [{name: c, program: [{cpu: 5ms}]}]}
)"),
        {{0, 55, 25}, {10, 40, 10}, {25, 30, 25}, {35 / 3.0, 125 / 3.0, 20}});
}

TEST_CASE("jobs: a daemon is no job", "[os][jobs]")
{
  // rr 10 ms: a 0-10, d 10-20, a 20-30 (done); d is stopped. Only a counts: response 0,
  // turnaround 30, wait 10.
  check(jobs("{policy: rr, quantum: 10ms}", R"(
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 20ms}]},
                                         {name: d, daemon: true, program: [{cpu: 1s}]}]}
)"),
        {{0, 30, 10}, {0, 30, 10}});
}
