// The probe's output turned into an interpreter's costs: a synthetic output made from known
// costs gives them back (medians of the runs, the prime kernel by bits, pools as fixed + per
// item), a wrong prime count or a malformed line is refused; and the probe built into gilsim is
// sim/calib/probe.py.
#include "models/cost/kernel_fit.hpp"
#include "sim/calib/calibrate.hpp"
#include "sim/calib/python_probe.hpp"
#include "sim/load/profile_python.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fstream>
#include <sstream>

using namespace gilsim;
using Catch::Matchers::Contains;

namespace {

// Three runs around `median`: their median is it.
std::string runs(double median)
{
  return fmt::format("[{:.17g}, {:.17g}, {:.17g}]", median * 1.02, median, median * 0.97);
}

// Costs of the fit's form: one cost per division below 2^17, knots at 19 bits and above.
const kernel_cost known{0, 88e-9, {{17, 54e-9}, {19, 60e-9}, {21, 68e-9},
                                   {23, 72e-9}, {25, 75e-9}, {27, 77e-9}, {29, 79e-9}}};

// What the probe would print under an interpreter with these costs.
std::string synthetic_output(std::uint64_t wrong_count_at = 0)
{
  std::string out = R"({"figure": "provenance", "implementation": "CPython", "version": )"
                    R"("3.12.1", "interpreter": "3.12", "executable": "/usr/bin/python3.12"})"
                    "\n";
  auto ranges = detail::python_fit_ranges(calibration_size::full);
  for (const auto& r : detail::python_check_ranges(calibration_size::full))
    ranges.push_back(r);
  for (const auto& r : ranges) {
    const range_work w = prime_range_work(r);
    const double t = kernel_range_seconds(known, r.first, r.last, [](auto a, auto b) {
      return prime_range_work(a, b);
    });
    out += fmt::format(R"({{"figure": "prime", "first": {}, "last": {}, "primes": {}, )"
                       R"("runs": {}}})" "\n",
                       r.first, r.last, w.primes + (r.first == wrong_count_at ? 1 : 0), runs(t));
  }
  out += fmt::format(R"({{"figure": "queue_put", "runs": {}}})" "\n", runs(2.5e-7));
  out += fmt::format(R"({{"figure": "gil_handoff", "runs": {}}})" "\n", runs(9e-6));
  for (int c : {1, 10, 100}) {
    out += fmt::format(R"({{"figure": "mp_pool.parent", "chunksize": {}, "runs": {}}})" "\n", c,
                       runs(30e-6 + c * 0.5e-6));
    out += fmt::format(R"({{"figure": "mp_pool.child", "chunksize": {}, "runs": {}}})" "\n", c,
                       runs(12e-6 + c * 0.75e-6));
  }
  for (double d : {1e-3, 50e-6})  // any order: the table is sorted
    out += fmt::format(R"({{"figure": "sleep", "requested": {}, "runs": {}}})" "\n", d,
                       runs(d + 70e-6));
  out += fmt::format(R"({{"figure": "asyncio_sleep", "requested": {}, "runs": {}}})" "\n",
                     5e-3, runs(5.6e-3));
  return out;
}

}  // namespace

TEST_CASE("probe output: known costs come back from their timings", "[probe]")
{
  const auto out = detail::parse_probe_output(synthetic_output());
  CHECK(out.interpreter == "3.12");
  CHECK(out.executable == "/usr/bin/python3.12");
  const auto checks = detail::python_check_ranges(calibration_size::full);
  const auto s = detail::python_section_of(out, checks);
  CHECK(s.costs.interpreter == "3.12");
  CHECK(s.costs.version == "3.12.1");
  CHECK(s.implementation == "CPython");
  CHECK(s.costs.queue_put == Approx(2.5e-7));
  CHECK(s.costs.gil_handoff == Approx(9e-6));
  CHECK(s.costs.queue_get == python_costs{}.queue_get);  // not measured: the default stays
  REQUIRE(s.costs.prime.has_value());
  CHECK(s.costs.prime->per_item == Approx(known.per_item).epsilon(1e-6));
  // The fit's knots may be more than the costs': the same cost at every bit length.
  for (int bits = 1; bits <= 40; ++bits)
    CHECK(s.costs.prime->division_at(bits) == Approx(known.division_at(bits)).epsilon(1e-6));
  CHECK(s.prime_fit.worst < 1e-6);  // the held-out ranges too: they follow the same costs
  for (const auto& r : checks) {
    CHECK(s.stats.count(prime_check_stats_key(r.first, r.last)) == 1);
    CHECK(s.stats.count(prime_stats_key(r.first, r.last)) == 0);
  }
  CHECK(s.stats.count(prime_stats_key(1, 256)) == 1);
  CHECK(s.costs.mp_pool.parent.fixed == Approx(30e-6).epsilon(1e-6));
  CHECK(s.costs.mp_pool.parent.per_item == Approx(0.5e-6).epsilon(1e-6));
  CHECK(s.costs.mp_pool.child.fixed == Approx(12e-6).epsilon(1e-6));
  CHECK(s.costs.mp_pool.child.per_item == Approx(0.75e-6).epsilon(1e-6));
  REQUIRE(s.costs.sleep.size() == 2);
  CHECK(s.costs.sleep[0].first == Approx(50e-6));
  CHECK(s.costs.sleep_taken(1e-3) == Approx(1.07e-3));
  // asyncio's table apart: one point, 5 ms taking 5.6 ms; 2.5 ms in proportion, 1.0 overshoot
  // beyond; time.sleep's table untouched by it.
  REQUIRE(s.costs.asyncio_sleep.size() == 1);
  CHECK(s.costs.asyncio_sleep_taken(2.5e-3) == Approx(2.8e-3));
  CHECK(s.costs.asyncio_sleep_taken(10e-3) == Approx(10.6e-3));
  CHECK(s.stats.count("asyncio_sleep:0.005") == 1);
  CHECK(s.stats.at("queue_put").runs == 3);
  CHECK(s.stats.at("queue_put").max == Approx(2.5e-7 * 1.02));
}

TEST_CASE("probe output: CPU figures timed beside speed marks are brought to one host speed",
          "[probe]")
{
  // The marks' median is 40 ms (30, 40, 40, 50, 60). queue_put ran while the host took 50 ms
  // for the reference (1.25x slower than the median): 2.5 us becomes 2.5 / 1.25 = 2 us. The
  // pool ran at 30 ms (0.75x): 30 us becomes 40 us. gil_handoff is wall time: kept.
  std::string text = R"({"figure": "provenance", "implementation": "CPython", "version": )"
                     R"("3.12.1", "interpreter": "3.12", "executable": "/usr/bin/python3.12"})"
                     "\n";
  text += R"({"figure": "queue_put", "runs": [2.5e-6, 2.5e-6, 2.5e-6], "speeds": [0.05, 0.05, 0.05]})"
          "\n";
  text += R"({"figure": "gil_handoff", "runs": [9e-6], "speeds": [0.05]})" "\n";
  text += R"({"figure": "mp_pool.parent", "chunksize": 1, "runs": [30e-6], "speeds": [0.03]})"
          "\n";
  text += R"({"figure": "mp_pool.parent", "chunksize": 10, "runs": [90e-6], "speeds": [0.04]})"
          "\n";
  text += R"({"figure": "reference", "last": 50000, "runs": [0.03, 0.04, 0.04, 0.05, 0.06]})"
          "\n";
  auto out = detail::parse_probe_output(text);
  REQUIRE(out.figures.front().speeds.size() == 3);
  auto s = detail::python_section_of(out);
  CHECK(s.costs.reference == Approx(0.04));
  CHECK(s.costs.queue_put == Approx(2e-6));
  CHECK(s.costs.gil_handoff == Approx(9e-6));
  CHECK(s.stats.at(pool_stats_key("mp_pool", "parent", 1)).median == Approx(40e-6));
  // The fit goes through 40 us at 1 and 90 us at 10 (at the median speed): 5.56 us per item.
  CHECK(s.costs.mp_pool.parent.per_item == Approx(50e-6 / 9));
  // Without the reference line nothing is normalised.
  text = text.substr(0, text.rfind("{\"figure\": \"reference\""));
  s = detail::python_section_of(detail::parse_probe_output(text));
  CHECK(s.costs.queue_put == Approx(2.5e-6));
  CHECK(s.costs.reference == 0);
  // speeds must match runs one for one.
  CHECK_THROWS_WITH(
      detail::parse_probe_output(text + R"({"figure": "queue_get", "runs": [1e-6, 2e-6], )"
                                        R"("speeds": [0.04]})" "\n"),
      Contains("speeds and runs differ"));
}

TEST_CASE("probe output: a wrong prime count or a malformed line is refused", "[probe]")
{
  const auto wrong = detail::parse_probe_output(synthetic_output(1u << 20));
  CHECK_THROWS_WITH(detail::python_section_of(wrong), Contains("not the seed's is_prime"));
  std::string text = synthetic_output() + "{\"figure\": \"queue_get\"}\n";
  CHECK_THROWS_WITH(detail::parse_probe_output(text), Contains("is not a figure"));
  text = synthetic_output() + "{\"figure\": \"queue_gut\", \"runs\": [1e-6]}\n";
  CHECK_THROWS_WITH(detail::python_section_of(detail::parse_probe_output(text)),
                    Contains("unknown figure: queue_gut"));
  CHECK_THROWS_WITH(detail::parse_probe_output("{\"figure\": \"queue_get\", \"runs\": [1]}\n"),
                    Contains("no provenance"));
}

TEST_CASE("probe: the probe built into gilsim is sim/calib/probe.py", "[probe]")
{
  std::ifstream in(gilsim::test::source_dir() + "/sim/calib/probe.py");
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE_FALSE(text.str().empty());
  CHECK(text.str() == detail::python_probe_source);
}
