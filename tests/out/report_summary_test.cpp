// The summary table: the run's line, a row per thread and per core in the unit that reads
// best, and each Python process's GIL; long lists are cut with a count of the rest.
#include "tests/out/hand_runs.hpp"

#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include "gilsim_version.hpp"

#include <catch2/catch.hpp>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;

TEST_CASE("summary: the hand-made run's table")
{
  // The thread column is as wide as its longest label, native/worker-10 (16 characters); the
  // figures are right-aligned in 11; 12.5 ms reads "12.500 ms", 0.5 ms "500.0 us", 30 us
  // "30.0 us", zero "0". Only the Python process has a GIL line. The jobs, as the OSTEP homework
  // prints them, in ms (the longest turnaround, 12.5 ms, reads best so): a alone, the other
  // thread being a daemon; it arrived at 0, first ran at 2.5 ms, ended at 12.5 ms.
  const std::string expected =
      "scenario t: 2 cores, policy rr, seed 7 (gilsim " GILSIM_VERSION_STRING ")\n"
      "makespan 1.500 s   events 42   wall 0.250 s   status ok\n"
      "\n"
      "thread                    end         cpu       ready    io+sleep        lock         "
      "gil    switches       \n"
      "py/a                12.500 ms   10.000 ms    2.500 ms    3.000 ms           0    "
      "500.0 us           3\n"
      "native/worker-10      1.500 s     1.000 s           0           0     30.0 us           "
      "0           0\n"
      "\n"
      "Final statistics (ms):\n"
      "  Job   0 -- Response: 2.50  Turnaround 12.50  Wait 2.50  (py/a)\n"
      "\n"
      "  Average -- Response: 2.50  Turnaround 12.50  Wait 2.50\n"
      "\n"
      "core          busy        util  switches\n"
      "0        11.000 ms       88.0%         4\n"
      "1          1.000 s       50.0%         1\n"
      "\n"
      "process py: GIL new (5 hand-offs, 2 forced); I/O to GIL: mean 100.0 us, p50 100.0 us, "
      "p99 150.0 us over 2 I/Os\n";
  const auto r = gilsim::test::hand_report();
  CHECK(gilsim::report_summary(r) == expected);

  // No option: the console's default.
  const auto& w = gilsim::test::registered("summary");
  CHECK(how_chosen(w) == chosen_by{"", "", gilsim::sink::console, false});
  CHECK(w.write({r, gilsim::run_trace{}}) == expected);
}

TEST_CASE("summary: 40 thread rows and 32 core rows at most, the rest counted")
{
  gilsim::run_report r;
  r.scenario = "big";
  const gilsim::thread_report t{.name = "w", .process = "p"};
  r.threads.assign(41, t);
  for (int i = 0; i < 34; ++i)
    r.cores.push_back({i, 0, 0, 0});
  const std::string s = gilsim::report_summary(r);
  CHECK(s.find("... and 1 more threads (see --json or --out)\n") != std::string::npos);
  CHECK(s.find("... and 2 more cores\n") != std::string::npos);
  CHECK(s.find("\n31     ") != std::string::npos);
  CHECK(s.find("\n32     ") == std::string::npos);
}
