// Simulated dates far from 0: the convoy of gil_convoy.yaml started at 1e5 s or 1e8 s waits as
// it does at 0. The new GIL compares dates with a tolerance that grows with the date (a double
// of seconds steps by 15 ns at 1e8 s); a fixed 2 ns one let pass ends slip by a whole pass.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <string>

using Catch::Matchers::WithinAbs;

TEST_CASE("large dates: the GIL convoy started at 1e5 s and 1e8 s waits as at 0")
{
  const std::string convoy = gilsim::test::source_dir() + "/scenarios/examples/gil_convoy.yaml";
  // Each of io's 200 returns from I/O waits one switch interval (5 ms) for the drop request,
  // the holder's check latency (5 us) and the wake-up latency (30 us) for the GIL: 200 x 5.035
  // ms = 1.007 s. At 1e8 s every date is a double within 15 ns, so 200 waits agree to 1e-5 s.
  const auto at0 = gilsim::test::run_json_file(convoy);
  for (const char* start : {"0", "1e5", "1e8"}) {
    INFO("start " << start);
    const auto r =
        gilsim::test::run_json_file(convoy, {"--set", std::string("processes.0.start=") + start});
    const auto& io = gilsim::test::thread_named(r, "io");
    CHECK(io["gil_acquisitions"] == 200);
    CHECK_THAT(io["gil_wait_s"].get<double>(), WithinAbs(1.007, 1e-5));
    CHECK_THAT(r["makespan_s"].get<double>() - std::stod(start),
               WithinAbs(at0["makespan_s"].get<double>(), 1e-5));
  }
}
