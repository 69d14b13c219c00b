// The threads CSV writer: the header and one row per thread, seconds with nine decimals.
#include "tests/out/hand_runs.hpp"

#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;

TEST_CASE("threads csv: the header and the hand-made run's two rows")
{
  const std::string expected =
      "name,process,daemon,start_s,end_s,cpu_s,io_s,sleep_s,ready_wait_s,gil_wait_s,"
      "lock_wait_s,context_switches,gil_acquisitions\n"
      "a,py,0,0.000000000,0.012500000,0.010000000,0.002000000,0.001000000,0.002500000,"
      "0.000500000,0.000000000,3,4\n"
      "worker-10,native,1,0.500000000,1.500000000,1.000000000,0.000000000,0.000000000,"
      "0.000000000,0.000000000,0.000030000,0,0\n";
  const auto r = gilsim::test::hand_report();
  CHECK(gilsim::report_threads_csv(r) == expected);

  const auto& w = gilsim::test::registered("threads.csv");
  CHECK(how_chosen(w) == chosen_by{"--out", "", gilsim::sink::directory, false});
  CHECK(w.write({r, gilsim::run_trace{}}) == expected);
}

TEST_CASE("threads csv: a name with a comma, a quote or a line break is one quoted field")
{
  auto r = gilsim::test::hand_report();
  r.threads[0].name = "x,y";
  r.threads[0].process = "say \"hi\"";
  r.threads[1].name = "two\nlines";
  const std::string csv = gilsim::report_threads_csv(r);
  CHECK(csv.find("\n\"x,y\",\"say \"\"hi\"\"\",0,0.000000000,") != std::string::npos);
  CHECK(csv.find("\n\"two\nlines\",native,1,0.500000000,") != std::string::npos);
  CHECK(gilsim::csv_field("plain") == "plain");
  CHECK(gilsim::csv_field("a\rb") == "\"a\rb\"");
}
