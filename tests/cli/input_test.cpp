// Bounded input at the command line: what the loader refuses is exit 2 with its position, fast,
// before anything runs or is written.
#include "tests/cli/cli_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using Catch::Matchers::Contains;
using gilsim::test::run_cli;

TEST_CASE("input: check and run refuse /dev/zero, an alias bomb and invalid UTF-8 with exit 2")
{
  auto r = run_cli({"check", "/dev/zero"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("/dev/zero: cannot read the scenario: it is not a regular file"));

  // 30 doubling anchors (bounds_test.cpp works out the count): refused at line 18, column 18.
  std::string bomb = "x0: &a0 [1, 1]\n";
  for (int i = 1; i < 30; ++i)
    bomb += fmt::format("x{}: &a{} [*a{}, *a{}]\n", i, i, i - 1, i - 1);
  const std::string path = gilsim::test::write_temp_scenario(bomb, "bomb");
  r = run_cli({"check", path});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(path + ":18:18: the YAML expands to more than 1000000 nodes"));

  // A name with a byte that is not UTF-8: refused at load, not after the simulation.
  const std::string bad = gilsim::test::write_temp_scenario(
      "name: a\xff\nprocesses: [{name: p, runtime: native, threads: [{name: t, program: "
      "[{cpu: 1ms}]}]}]\n",
      "bad_utf8");
  r = run_cli({"run", bad, "--json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(bad + ":1:8: invalid UTF-8 (byte 0xff)"));
  CHECK(r.out.empty());
}
