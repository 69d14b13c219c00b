// calibrate --python and validate --python end to end with the python3 on PATH (Debian's in CI),
// at the tiny size: the profile gets a section for the interpreter, and the table has one row per
// program of the tiny set, each with a measured and a predicted time above zero and an error
// that is (predicted - measured) / measured. Accuracy is not checked here: the machine running the
// tests is not quiet (results/validation-python.md is measured on one that is).
#include "tests/support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

using gilsim::test::run_cli;
namespace fs = std::filesystem;

TEST_CASE("validate --python: calibrate and validate the tiny set end to end", "[validate][slow]")
{
  const fs::path profile =
      fs::temp_directory_path() / fmt::format("gilsim-e2e-profile-{}.yaml", getpid());
  auto r = run_cli({"calibrate", "--tiny", "--python", "python3", "--out", profile.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  {
    // The speed marks' reference is in the profile, measured (a map of its runs).
    std::ifstream in(profile);
    std::ostringstream text;
    text << in.rdbuf();
    CHECK_THAT(text.str(), Catch::Contains("    reference: {median: "));
  }
  r = run_cli({"validate", "--python", "python3", "--tiny", "--profile", profile.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::string num = R"(\s+([0-9.]+) \|)", err = R"(\s+([-+][0-9.]+) \|)";
  const std::regex row("^\\| (\\w+)\\s+\\|" + num + num + num + num + err + num + err + "$");
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> names;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row))
      continue;
    names.push_back(m[1]);
    const double measured = std::stod(m[2]), drift = std::stod(m[4]);
    const double predicted = std::stod(m[5]), error = std::stod(m[6]);
    const double anchored = std::stod(m[7]), error_anchored = std::stod(m[8]);
    CHECK(drift > 0);
    CHECK(measured > 0);
    CHECK(predicted > 0);
    CHECK(anchored > 0);
    CHECK(error == Approx((predicted - measured) / measured * 100).margin(0.1));
    CHECK(error_anchored == Approx((anchored - measured) / measured * 100).margin(0.1));
  }
  CHECK(names == std::vector<std::string>{"sync_primes", "cpu_threads"});
  CHECK_THAT(r.out, Catch::Contains("median |error|"));
  CHECK_THAT(r.out, Catch::Contains("drift: the reference"));
  fs::remove(profile);
}
