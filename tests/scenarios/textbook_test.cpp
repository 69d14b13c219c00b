// scenarios/textbook/: the classic cases of OSTEP chapters 7 to 10, each report's per-job figures
// against the numbers worked out in the scenario's comments and printed by the homework
// simulators (the command that gave them is named beside each).
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using gilsim::test::run_json_file;
using gilsim::test::source_dir;

namespace {

struct job {
  double response, turnaround, wait;  // ms
};

nlohmann::json run(const std::string& name, const std::vector<std::string>& args = {})
{
  return run_json_file(source_dir() + "/scenarios/textbook/" + name + ".yaml", args);
}

// Every job's figures, then the means (the homework's "Average" line).
void check_jobs(const nlohmann::json& r, const std::vector<job>& expected)
{
  std::vector<job> got;
  for (const auto& t : r["threads"])
    if (!t["daemon"].get<bool>())
      got.push_back({t["response_s"].get<double>() * 1e3, t["turnaround_s"].get<double>() * 1e3,
                     t["wait_s"].get<double>() * 1e3});
  const auto& m = r["jobs"];
  got.push_back({m["mean_response_s"].get<double>() * 1e3,
                 m["mean_turnaround_s"].get<double>() * 1e3, m["mean_wait_s"].get<double>() * 1e3});
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("job " << i << " (the last: the means)");
    CHECK(got[i].response == Approx(expected[i].response).margin(1e-6));
    CHECK(got[i].turnaround == Approx(expected[i].turnaround).margin(1e-6));
    CHECK(got[i].wait == Approx(expected[i].wait).margin(1e-6));
  }
}

}  // namespace

TEST_CASE("textbook: fifo on 100/200/300, mean turnaround 333.33", "[scenarios][textbook]")
{
  // python3 scheduler.py -p FIFO -l 100,200,300 -c
  check_jobs(run("fifo"), {{0, 100, 0}, {100, 300, 100}, {300, 600, 300},
                           {133.333333, 333.333333, 133.333333}});
}

TEST_CASE("textbook: sjf on 300/200/100: 133.33, 333.33, 133.33", "[scenarios][textbook]")
{
  // python3 scheduler.py -p SJF -l 300,200,100 -c (it lists the jobs shortest first)
  check_jobs(run("sjf"), {{300, 600, 300}, {100, 300, 100}, {0, 100, 0},
                          {133.333333, 333.333333, 133.333333}});
}

TEST_CASE("textbook: rr quantum 1 on 100/200/300: 298, 499, 600", "[scenarios][textbook]")
{
  // python3 scheduler.py -p RR -q 1 -l 100,200,300 -c
  check_jobs(run("rr"), {{0, 298, 198}, {1, 499, 299}, {2, 600, 300}, {1, 465.666667, 265.666667}});
}

TEST_CASE("textbook: the convoy behind one long job, and sjf breaking it", "[scenarios][textbook]")
{
  // python3 scheduler.py -p FIFO -l 300,10,10 -c
  check_jobs(run("convoy"),
             {{0, 300, 0}, {300, 310, 300}, {310, 320, 310}, {203.333333, 310, 203.333333}});
  // python3 scheduler.py -p SJF -l 300,10,10 -c: b 0-10, c 10-20, a 20-320.
  check_jobs(run("convoy", {"--set", "scheduler.policy=sjf"}),
             {{20, 320, 20}, {0, 10, 0}, {10, 20, 10}, {10, 116.666667, 10}});
}

TEST_CASE("textbook: mlfq, two 30 ms jobs over 3 levels end at 50 and 60", "[scenarios][textbook]")
{
  // python3 mlfq.py -l 0,30,0:0,30,0 -n 3 -q 10 -c: responses 0 and 10, turnarounds 50 and 60.
  check_jobs(run("mlfq"), {{0, 50, 20}, {10, 60, 30}, {5, 55, 25}});
}

TEST_CASE("textbook: stride, the chapter's 100/50/250 tickets", "[scenarios][textbook]")
{
  check_jobs(run("stride"), {{0, 90, 60}, {10, 100, 80}, {20, 110, 50}, {10, 100, 63.333333}});
}

TEST_CASE("textbook: lottery, CPU shares near the ticket shares", "[scenarios][textbook]")
{
  // 10 s of draws: shares 1/4, 1/8, 5/8 within 2 points (four standard deviations at most).
  auto r = run("lottery");
  const double shares[] = {0.25, 0.125, 0.625};
  for (int i = 0; i < 3; ++i)
    CHECK(r["threads"][i]["cpu_s"].get<double>() / 10 == Approx(shares[i]).margin(0.02));
  CHECK(r["jobs"]["count"] == 1);  // the clock; the daemons are no jobs
}

namespace {

struct cpu_share {
  double utilization, warm;  // percent of the finish time, as multi.py prints them
};

// multi.py's "Finished time" and per-CPU "utilization U [ warm W ]" (two decimals).
void check_cpus(const nlohmann::json& r, double finished_ms, const std::vector<cpu_share>& cpus)
{
  const double span = r["makespan_s"].get<double>();
  CHECK(span * 1e3 == Approx(finished_ms).margin(1e-6));
  REQUIRE(r["cores"].size() == cpus.size());
  for (size_t c = 0; c < cpus.size(); ++c) {
    INFO("core " << c);
    CHECK(100 * r["cores"][c]["busy_s"].get<double>() / span ==
          Approx(cpus[c].utilization).margin(0.005));
    CHECK(100 * r["cores"][c]["warm_s"].get<double>() / span == Approx(cpus[c].warm).margin(0.005));
  }
}

}  // namespace

// The numbers below are multi.py's own (cpu-sched-multi/multi.py of remzi-arpacidusseau/
// ostep-homework, run with python3 and -c); the first two and the affinity case are also worked
// out by hand in the scenarios' comments.
TEST_CASE("textbook: multi.py, one CPU, a working set too big and one that fits",
          "[scenarios][textbook]")
{
  // python3 multi.py -n 1 -L a:30:200 -c: Finished time 30, CPU 0 100.00 [ warm 0.00 ]
  check_cpus(run("multi_cold"), 30, {{100, 0}});
  // python3 multi.py -n 1 -L a:30:200 -M 300 -c: Finished time 20, CPU 0 100.00 [ warm 50.00 ]
  check_cpus(run("multi_warm"), 20, {{100, 50}});
}

TEST_CASE("textbook: multi.py, two CPUs: one queue, affinity, a queue per CPU",
          "[scenarios][textbook]")
{
  // python3 multi.py -n 2 -L a:100:100,b:100:50,c:100:50 -c: Finished time 150, both CPUs
  // 100.00 [ warm 0.00 ]
  check_cpus(run("multi_shared"), 150, {{100, 0}, {100, 0}});
  // ... -A a:0,b:1,c:1: Finished time 110, CPU 0 50.00 [ warm 40.91 ], CPU 1 100.00 [ 81.82 ]
  check_cpus(run("multi_affinity"), 110, {{50, 40.909091}, {100, 81.818182}});
  // ... -p: Finished time 100, CPU 0 95.00 [ warm 35.00 ], CPU 1 95.00 [ warm 75.00 ]
  check_cpus(run("multi_per_core"), 100, {{95, 35}, {95, 75}});
}
