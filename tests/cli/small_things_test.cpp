// The small things a user trips on: `run -` reads standard input; a batch says how it went and
// keeps no files unasked; a resumed sweep refused says why in the command line's words; a bad
// --grid value is named as the --grid; --window; the busy-host warning of calibrate and
// validate.
#include "tests/cli/cli_support.hpp"
#include "tests/cli/shell.hpp"

#include "sim/calib/host_measure.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using Catch::Matchers::Contains;
using gilsim::test::cli_result;
using gilsim::test::example;
using gilsim::test::run_cli;
namespace fs = std::filesystem;

namespace {

// SCRIPT through the shell with $G the gilsim binary, in directory `dir`.
cli_result shell(const std::string& script, const fs::path& dir)
{
  return gilsim::test::run_command("cd '" + dir.string() + "' && G='" +
                                   std::string(GILSIM_BINARY) + "' && " + script);
}

fs::path scratch(const std::string& what)
{
  const fs::path d = fs::temp_directory_path() /
                     ("gilsim-small-" + what + "-" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("run -: the scenario is read from standard input, named stdin in messages")
{
  const fs::path dir = scratch("stdin");
  const auto piped = shell("$G run - --json < '" + example() + "'", dir);
  REQUIRE(piped.exit_code == 0);
  const auto direct = run_cli({"run", example(), "--json"});
  REQUIRE(direct.exit_code == 0);
  auto a = nlohmann::json::parse(piped.out), b = nlohmann::json::parse(direct.out);
  a.erase("wall_s");
  b.erase("wall_s");
  CHECK(a == b);  // the same scenario, the same report
  const auto bad = shell("printf 'machine: {corez: 2}\\n' | $G run -", dir);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("stdin:1:11: machine.corez: unknown key 'corez'"));
  const auto batch = shell("$G run - '" + example() + "' < '" + example() + "'", dir);
  CHECK(batch.exit_code == 2);
  CHECK_THAT(batch.err, Contains("standard input is one scenario"));
  fs::remove_all(dir);
}

TEST_CASE("run A B: a batch prints its results and an end line, and keeps no files unasked")
{
  const fs::path dir = scratch("batch");
  const std::string one = gilsim::test::source_dir() + "/scenarios/examples/cpu_bound.yaml";
  const std::string two = gilsim::test::source_dir() + "/scenarios/examples/mixed.yaml";
  const auto r = shell("$G run '" + one + "' '" + two + "'", dir);
  REQUIRE(r.exit_code == 0);
  // The table: a header, then a line per scenario, in the order given, with the makespan its
  // own run reports.
  const double makespan =
      nlohmann::json::parse(run_cli({"run", one, "--json"}).out).at("makespan_s").get<double>();
  CHECK(r.out.rfind("scenario", 0) == 0);
  CHECK_THAT(r.out, Contains(one) && Contains(two) &&
                        Contains(fmt::format("ok      {:>14}", fmt::format("{:.9f} s", makespan))));
  CHECK(r.out.find(one) < r.out.find(two));
  CHECK_THAT(r.err, Contains("gilsim: 2 scenarios, all ok\n"));
  CHECK(gilsim::test::names_in(dir).empty());  // no ./sweep-out
  // With --out: the results kept there, and the end line says where.
  const auto kept = shell("$G run '" + one + "' '" + two + "' --out kept", dir);
  REQUIRE(kept.exit_code == 0);
  CHECK(kept.out.empty());
  CHECK_THAT(kept.err, Contains("gilsim: 2 scenarios, all ok; results in kept/results.csv"));
  CHECK(fs::exists(dir / "kept" / "results.csv"));
  // A picture is for one scenario.
  const auto pictures = shell("$G run '" + one + "' '" + two + "' --timeline t.svg", dir);
  CHECK(pictures.exit_code == 2);
  CHECK_THAT(pictures.err, Contains("are for one scenario"));
  fs::remove_all(dir);
}

TEST_CASE("sweep: a refused resume says what differs in the command line's words, not JSON")
{
  const fs::path dir = scratch("resume");
  const std::string sc = example();
  REQUIRE(shell("$G sweep '" + sc + "' --grid machine.cores=1,2 --out d", dir).exit_code == 0);
  const auto grid = shell("$G sweep '" + sc + "' --grid machine.cores=1,3 --out d", dir);
  CHECK(grid.exit_code == 2);
  CHECK_THAT(grid.err, Contains("made by a different sweep (the grid: --grid machine.cores=1,2 "
                                "there, --grid machine.cores=1,3 here)"));
  const auto args = shell("$G sweep '" + sc + "' --grid machine.cores=1,2 --set seed=3 --out d",
                          dir);
  CHECK(args.exit_code == 2);
  CHECK_THAT(args.err, Contains("(the other arguments: none there, --set seed=3 here)"));
  for (const auto* r : {&grid, &args})
    CHECK(r->err.find("[\"") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("sweep: a value the scenario refuses is named as the --grid that gave it")
{
  const fs::path dir = scratch("grid");
  const auto r = shell("$G sweep '" + example() + "' --grid machine.cores=1,x --out d", dir);
  CHECK(r.exit_code == 1);
  std::ifstream in(dir / "d" / "results.csv");
  const std::string csv(std::istreambuf_iterator<char>(in), {});
  CHECK_THAT(csv, Contains("--grid machine.cores=x:1:15: machine.cores: expected an integer"));
  CHECK(csv.find("--set machine.cores") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("run --window: the timeline draws that part of the run; a bad window is refused")
{
  const fs::path dir = scratch("window");
  // cpu_bound runs 200 ms; 50 ms to 150 ms of it.
  const auto r = shell("$G run '" + example() + "' --timeline t.svg --window 50ms..150ms", dir);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(dir / "t.svg");
  const std::string svg(std::istreambuf_iterator<char>(in), {});
  CHECK_THAT(svg, Contains("makespan 200 ms, shown from 50 ms to 150 ms</text>"));
  const auto bad = shell("$G run '" + example() + "' --timeline u.svg --window 150ms..50ms", dir);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("--window 150ms..50ms: the window's end must come after its start"));
  CHECK_FALSE(fs::exists(dir / "u.svg"));
  fs::remove_all(dir);
}

TEST_CASE("calibrate and validate: a load above half the cores is warned of")
{
  // A load of 7 on 2 cores (the case that went unsaid) is warned of; 1 on 2 cores is not.
  CHECK(gilsim::measure::busy_warning(7.0, 2, "before", "the figures will be slow and noisy") ==
        "warning: the 1-minute load average before is 7.00, above half the 2 cores: the figures "
        "will be slow and noisy\n");
  CHECK(gilsim::measure::busy_warning(1.0, 2, "before", "x").empty());
  CHECK_FALSE(gilsim::measure::busy_warning(1.01, 2, "after", "x").empty());
}

TEST_CASE("run --json --diagram mermaid: the JSON alone on stdout, and the diagram not dropped "
          "unsaid")
{
  const auto r = run_cli({"run", example(), "--json", "--diagram", "mermaid"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).contains("makespan_s"));
  CHECK_THAT(r.err, Contains("gilsim: --diagram mermaid is not printed: only one output takes "
                             "the console"));
  CHECK(run_cli({"run", example(), "--diagram", "mermaid"}).err.empty());
}
