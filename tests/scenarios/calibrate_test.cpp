// End to end, at the hidden --tiny size that CI can afford (a few seconds each): gilsim
// calibrate writes a profile that reads back, with a python section of Debian's python3 holding
// every figure, and gilsim validate prints its table. Structure only: at this size the timings
// are too short for the figures to mean anything, so they are checked for being there, positive
// and within wide physical bounds, not for their accuracy.
#include "sim/load/host_profile.hpp"
#include "sim/load/profile_python.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

using Catch::Matchers::Contains;
using gilsim::test::run_cli;

namespace {

// The shape of the one python section `--python /usr/bin/python3` gives.
void check_python_section(const gilsim::host_profile& p)
{
  REQUIRE(p.pythons.size() == 1);
  const auto& s = p.pythons[0];
  CHECK(std::regex_match(s.costs.interpreter, std::regex(R"(3\.\d+)")));
  CHECK(s.costs.version.rfind(s.costs.interpreter + ".", 0) == 0);
  CHECK(s.implementation == "CPython");
  CHECK_FALSE(s.executable.empty());
  // Every figure was measured (its runs are kept) and lies between 10 ns and 10 s.
  for (const auto& f : gilsim::python_scalar_figures()) {
    INFO(f.key);
    CHECK(s.stats.count(f.key) == 1);
    CHECK(s.costs.*f.member > 1e-8);
    CHECK(s.costs.*f.member < 10);
  }
  REQUIRE(s.costs.prime.has_value());
  CHECK(s.costs.prime->per_item >= 0);
  REQUIRE(s.costs.prime->by_bits.size() >= 2);
  for (const auto& [bits, sec] : s.costs.prime->by_bits) {
    CHECK(bits >= 1);
    CHECK(sec > 1e-10);  // a trial division in Python: far above 0.1 ns
    CHECK(sec < 1e-5);
  }
  CHECK(p.python.has_value());  // the first interpreter's is_prime, as `python:` was
  for (const auto* pool : {&s.costs.executor_pool, &s.costs.mp_pool}) {
    CHECK(pool->parent.at(1) > 0);
    CHECK(pool->parent.per_item >= 0);
    CHECK(pool->child.fixed >= 0);
    CHECK(pool->child.per_item >= 0);
  }
  // time.sleep(d) for d from 50 us to 10 ms: never shorter than asked.
  REQUIRE(s.costs.sleep.size() == 8);
  CHECK(s.costs.sleep.front().first == Approx(50e-6));
  CHECK(s.costs.sleep.back().first == Approx(10e-3));
  for (const auto& [asked, taken] : s.costs.sleep) {
    CHECK(taken >= asked * 0.99);
    CHECK(taken < asked + 1.0);
  }
}

}  // namespace

TEST_CASE("calibrate and validate, tiny: a profile that reads back, a table whose numbers parse",
          "[calibrate][tiny][e2e]")
{
  const auto profile = std::filesystem::temp_directory_path() /
                       ("gilsim-tiny-profile-" + std::to_string(getpid()) + ".yaml");
  auto cal = run_cli(
      {"calibrate", "--tiny", "--python", "/usr/bin/python3", "--out", profile.string()});
  INFO("calibrate stderr: " << cal.err);
  REQUIRE(cal.exit_code == 0);
  CHECK_THAT(cal.out, Contains("wrote " + profile.string()));
  CHECK_THAT(cal.err, Contains("[5/5]"));  // progress went to stderr
  const gilsim::host_profile p = gilsim::read_host_profile(profile);
  CHECK(p.mode == "tiny");
  CHECK(p.cores >= 1);
  CHECK(p.native.cost.per_division > 0);
  CHECK(p.scaling.size() == size_t(2 * p.cores));
  CHECK(p.context_switch.median > 0);
  check_python_section(p);

  auto val = run_cli({"validate", "--tiny", "--profile", profile.string()});
  INFO("validate stdout: " << val.out << "\nstderr: " << val.err);
  REQUIRE(val.exit_code == 0);
  // | threads   chunks  1 worker    [1, 20000] |  0.63 |  0.0 |  0.33 | -47.4 |
  const std::regex row(R"(^\| (threads|processes) +(chunks|shared) +(\d+) workers? +\[1, (\d+)\] )"
                       R"(\| +([0-9.]+) \| +([0-9.]+) \| +([0-9.]+) \| +([-+][0-9.]+) \|$)");
  std::istringstream lines(val.out);
  std::string line;
  int rows = 0;
  bool summary = false;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, row)) {
      ++rows;
      CHECK(std::stod(m[5]) > 0);  // measured ms
      CHECK(std::stod(m[7]) > 0);  // predicted ms
    }
    summary = summary || line.rfind("median |error| ", 0) == 0;
  }
  // 1, 2, cores and 2 x cores workers, without repeats, x 2 splits x 2 runners x 2 sizes.
  const int cores = p.cores;
  const int workers = cores == 1 ? 2 : cores == 2 ? 3 : 4;
  CHECK(rows == workers * 8);
  CHECK(summary);
  std::filesystem::remove(profile);
}

TEST_CASE("calibrate and validate: usage mistakes exit 2", "[calibrate]")
{
  auto r = run_cli({"validate", "--tiny", "--profile", "/nonexistent/profile.yaml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("cannot read the host profile"));
  r = run_cli({"calibrate", "--tiny", "--out", "/proc/no-such-dir/profile.yaml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("cannot write the host profile"));
  r = run_cli({"calibrate", "--tiny", "--python", "/nonexistent/python3"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no such interpreter"));
}
