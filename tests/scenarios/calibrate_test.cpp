// End to end, at the hidden --tiny size that CI can afford (about a second each): gilsim
// calibrate writes a profile that reads back, and gilsim validate prints its table. Structure
// only: at this size the timings are too short for the figures to mean anything.
#include "sim/load/host_profile.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

using Catch::Matchers::Contains;
using gilsim::test::run_cli;

TEST_CASE("calibrate and validate, tiny: a profile that reads back, a table whose numbers parse",
          "[calibrate][tiny][e2e]")
{
  const auto profile = std::filesystem::temp_directory_path() /
                       ("gilsim-tiny-profile-" + std::to_string(getpid()) + ".yaml");
  auto cal = run_cli({"calibrate", "--tiny", "--out", profile.string()});
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
  CHECK((p.python.has_value() || !p.python_note.empty()));

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
}
