// gilsim jobs: a textbook list of jobs with no YAML, its homework-style table checked against
// the OSTEP homework simulators' own output for the same inputs (the command that gave each
// number is named beside it), its scenario, and its located errors.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using gilsim::test::run_cli;

namespace {

std::string table(const std::vector<std::string>& args)
{
  std::vector<std::string> all = {"jobs"};
  all.insert(all.end(), args.begin(), args.end());
  auto r = run_cli(all);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("jobs: rr with a quantum of 1 on 100/200/300, as the homework prints it", "[cli][jobs]")
{
  // python3 scheduler.py -p RR -q 1 -l 100,200,300 -c
  CHECK(table({"100,200,300", "--policy", "rr", "--quantum", "1", "--unit", "ms"}) ==
        "Final statistics (ms):\n"
        "  Job   0 -- Response: 0.00  Turnaround 298.00  Wait 198.00  (jobs/job0)\n"
        "  Job   1 -- Response: 1.00  Turnaround 499.00  Wait 299.00  (jobs/job1)\n"
        "  Job   2 -- Response: 2.00  Turnaround 600.00  Wait 300.00  (jobs/job2)\n"
        "\n"
        "  Average -- Response: 1.00  Turnaround 465.67  Wait 265.67\n");
}

TEST_CASE("jobs: fifo is the default, the unit reads the list and the table", "[cli][jobs]")
{
  // python3 scheduler.py -p FIFO -l 100,200,300 -c: turnarounds 100, 300, 600 (mean 333.33).
  CHECK_THAT(table({"100,200,300", "--unit", "s"}),
             Contains("  Average -- Response: 133.33  Turnaround 333.33  Wait 133.33\n"));
}

TEST_CASE("jobs: mlfq with arrivals and I/O, as the homework's mlfq.py", "[cli][jobs]")
{
  // python3 mlfq.py -l 0,30,0:0,30,0 -n 3 -q 10 -c: responses 0 and 10, turnarounds 50 and 60.
  // The waits (not printed by mlfq.py) are the turnarounds less the 30 of CPU.
  CHECK(table({"0:30,0:30", "--policy", "mlfq", "--quantum", "10", "--set",
               "scheduler.levels=3"}) ==
        "Final statistics (ms):\n"
        "  Job   0 -- Response: 0.00  Turnaround 50.00  Wait 20.00  (jobs/job0)\n"
        "  Job   1 -- Response: 10.00  Turnaround 60.00  Wait 30.00  (jobs/job1)\n"
        "\n"
        "  Average -- Response: 5.00  Turnaround 55.00  Wait 25.00\n");
  // python3 mlfq.py -l 0,50,9:0,30,0 -n 3 -q 10 -i 5 -c: job 0 issues an I/O of 5 after every
  // 9 of CPU; responses 0 and 9, turnarounds 95 and 50 (mean 72.50).
  CHECK_THAT(table({"0:50:io-every-9,0:30", "--policy", "mlfq", "--quantum", "10", "--io-time",
                    "5", "--set", "scheduler.levels=3"}),
             Contains("  Job   0 -- Response: 0.00  Turnaround 95.00") &&
                 Contains("  Job   1 -- Response: 9.00  Turnaround 50.00") &&
                 Contains("Average -- Response: 4.50  Turnaround 72.50"));
}

TEST_CASE("jobs: mlfq lets a job begin before the I/O completions of the same tick",
          "[cli][jobs]")
{
  // python3 mlfq.py -n 3 -q 10 -i 5 -l 6,39,3:14,8,9:6,43,0:9,36,0 -c: at 14 job 1 begins and
  // job 0's I/O ends; the homework queues the beginning first, and job 1 first runs at 29 (response
  // 15). Responses 0, 15, 3, 10; turnarounds 151, 23, 108, 102.
  const std::string t = table({"6:39:io-every-3,14:8:io-every-9,6:43,9:36", "--policy", "mlfq",
                               "--quantum", "10", "--io-time", "5", "--set", "scheduler.levels=3"});
  CHECK_THAT(t, Contains("Job   0 -- Response: 0.00  Turnaround 151.00") &&
                    Contains("Job   1 -- Response: 15.00  Turnaround 23.00") &&
                    Contains("Job   2 -- Response: 3.00  Turnaround 108.00") &&
                    Contains("Job   3 -- Response: 10.00  Turnaround 102.00") &&
                    Contains("Average -- Response: 7.00  Turnaround 96.00"));
}

TEST_CASE("jobs: --print-scenario prints the YAML it made, and --json the report", "[cli][jobs]")
{
  // 50 with an I/O after every 9: five rounds of 9 and an I/O, then the last 5 without one.
  CHECK(table({"0:50:io-every-9,10:30:tickets-5", "--policy", "stride", "--quantum", "2",
               "--print-scenario"}) ==
        "# gilsim jobs 0:50:io-every-9,10:30:tickets-5\n"
        "name: jobs\n"
        "machine: {cores: 1, context_switch: 0, wakeup_latency: 0}\n"
        "scheduler: {policy: stride, quantum: 2ms}\n"
        "processes:\n"
        "  - name: jobs\n"
        "    runtime: native\n"
        "    threads:\n"
        "      - name: job0\n"
        "        start: 0ms\n"
        "        program:\n"
        "          - repeat: 5\n"
        "            do: [{cpu: 9ms}, {io: 5ms}]\n"
        "          - cpu: 5ms\n"
        "      - name: job1\n"
        "        start: 10ms\n"
        "        tickets: 5\n"
        "        program: [{cpu: 30ms}]\n");
  auto r = run_cli({"jobs", "100,200,300", "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["jobs"]["count"] == 3);
  CHECK(j["jobs"]["mean_turnaround_s"].get<double>() == Approx(1.0 / 3).epsilon(1e-9));
}

TEST_CASE("jobs: a bad job is an error at its column in the list", "[cli][jobs]")
{
  struct bad {
    std::string list, message;
  };
  for (const auto& c : std::vector<bad>{
           {"100,abc", "jobs:1:5: job 1: 'abc' is not a length"},
           {"0:0", "jobs:1:3: job 0: a length must be more than 0"},
           {"10,0:5:io-every-0", "jobs:1:8: job 1: 'io-every-0': expected io-every-N with N more "
                                 "than 0"},
           {"5:10:fast", "jobs:1:6: job 0: 'fast' is no job option (io-every-N, tickets-N)"}}) {
    auto r = run_cli({"jobs", c.list});
    INFO(c.list << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(c.message));
    CHECK(r.out.empty());
  }
  auto r = run_cli({"jobs", "10,20", "--policy", "lottery", "--set", "scheduler.quantum=0"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("scheduler.quantum"));
}
