// Command-line numbers: every one is checked whole before anything runs, and a bad one exits
// with 2 and a message that names the option and the text given.
#include "tests/cli/cli_support.hpp"

#include "sim/os/os.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

using Catch::Matchers::Contains;
using gilsim::test::example;
using gilsim::test::run_cli;
namespace fs = std::filesystem;

namespace {

// The command exits with 2, says `message`, prints nothing on stdout and leaves `out` unmade.
void refused(std::vector<std::string> args, const std::string& message)
{
  const fs::path out = fs::temp_directory_path() / ("gilsim-numbers-" + std::to_string(getpid()));
  fs::remove_all(out);
  args.insert(args.end(), {"--out", out.string()});
  auto r = run_cli(args);
  INFO(args[0] << " " << args[2] << " " << args[3] << ": " << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(message));
  CHECK(r.out.empty());
  CHECK(!fs::exists(out));
}

}  // namespace

TEST_CASE("cli: --seed is any 64-bit number and 0 is a seed: a sign or a wrap is refused")
{
  refused({"run", example(), "--seed", "-1"},
          "--seed -1: expected a whole number from 0 to 18446744073709551615");
  refused({"run", example(), "--seed", "18446744073709551616"}, "--seed 18446744073709551616: ");
  refused({"run", example(), "--seed", "1e3"}, "--seed 1e3: ");
  // Seed 0 is a seed like any other: the report says the run used it.
  CHECK(gilsim::test::run_json_file(example(), {"--seed", "0"})["seed"] == 0);
  CHECK(gilsim::test::run_json_file(example(), {"--seed", "18446744073709551615"})["seed"] ==
        18446744073709551615ULL);
}

TEST_CASE("cli: --max-events is 1 or more, --max-time a finite duration above zero")
{
  refused({"run", example(), "--max-events", "-1"}, "--max-events -1: expected a whole number");
  refused({"run", example(), "--max-events", "0"}, "--max-events 0: expected a whole number of "
                                                   "at least 1");
  for (std::string bad : {"nan", "-1", "inf", "0", "2parsecs", "1e999"})
    refused({"run", example(), "--max-time", bad}, "--max-time " + bad + ": ");
  // An empty value is not "no limit".
  refused({"run", example(), "--max-time", ""}, "--max-time");
  refused({"run", example(), "--seed", ""}, "--seed");
}

TEST_CASE("cli: --max-time takes a duration with its unit, or seconds without one")
{
  // cpu_bound's four 100 ms threads on 2 cores end after 200 ms: 500ms lets it finish, 100ms
  // stops it half way (exit 1, the limit named), and 0.1 is the same 100 ms.
  CHECK(run_cli({"run", example(), "--max-time", "500ms"}).exit_code == 0);
  CHECK(run_cli({"run", example(), "--max-time", "2s"}).exit_code == 0);
  for (const char* limit : {"100ms", "0.1"}) {
    auto r = run_cli({"run", example(), "--max-time", limit});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("--max-time"));
  }
}

TEST_CASE("cli: -j, --seeds, --shard and --grid are checked before any point runs")
{
  const std::string cores = "machine.cores=1,2";
  for (const char* bad : {"0", "-1", "x"})
    refused({"sweep", example(), "-j", bad, "--grid", cores},
            std::string("--jobs ") + bad + ": expected a whole number from 1 to 4096");
  for (const char* bad : {"0", "-1"})
    refused({"sweep", example(), "--seeds", bad, "--grid", cores},
            std::string("--seeds ") + bad + ": expected a whole number from 1 to 1000000");
  for (const char* bad : {"0/2", "3/2", "a/b"})
    refused({"sweep", example(), "--shard", bad, "--grid", cores},
            std::string("--shard ") + bad + ": expected i/n with 1 <= i <= n");
  refused({"sweep", example(), "--max-time", "nan", "--grid", cores}, "--max-time nan: ");
  // A bad first value is the --grid's, located in it; the user wrote no --set.
  refused({"sweep", example(), "--grid", "machine.cores=abc,2"},
          "--grid machine.cores=abc:1:15: machine.cores: expected an integer, got 'abc'");
  // A range that would pass 2^63 used to loop for ever; now it ends, or is refused.
  refused({"sweep", example(), "--grid", "machine.cores=0.0001..999999999999999"}, "64 bits");
  refused({"run", example(), "-j", "2"}, "-j, --shard and --retry-failed are for several");
}

TEST_CASE("cli: without --max-events a run is bounded by the documented 200,000,000 events")
{
  // README.md and docs/fuzzing.md give this figure; a runaway scenario (repeat: 1e9 of a
  // nanosecond's work) stops there with exit 1 and the bound named.
  CHECK(gilsim::run_limits{}.max_events == 200000000);
  CHECK(gilsim::run_limits::default_max_events == 200000000);
  // A smaller bound given on the command line is named as given.
  auto r = run_cli({"run", example(), "--max-events", "10"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("limit reached: --max-events 10 at simulated time"));
}

TEST_CASE("cli: --max-wall is a finite duration above zero, passed to a sweep's points")
{
  for (std::string bad : {"nan", "-1", "inf", "0", "2parsecs", "1e999"})
    refused({"run", example(), "--max-wall", bad}, "--max-wall " + bad + ": ");
  refused({"run", example(), "--max-wall", ""}, "--max-wall");
  refused({"sweep", example(), "--max-wall", "-2s", "--grid", "machine.cores=1,2"},
          "--max-wall -2s: ");
  // README.md and docs/semantics.md give this figure: an hour of the host's time.
  CHECK(gilsim::run_limits{}.max_wall == 3600);
  CHECK(run_cli({"run", example(), "--max-wall", "10min"}).exit_code == 0);
}

TEST_CASE("cli: a run that would never end stops at --max-wall with exit 1 and the bound named")
{
  // A billion rounds of 1 ns, with no bound on events: about a thousand seconds of events at
  // the engine's speed, so only the wall-time bound can end it.
  const auto path = gilsim::test::write_temp_scenario(
      "machine: {cores: 1}\nprocesses:\n  - name: p\n    runtime: native\n    threads:\n"
      "      - {name: spin, program: [{repeat: 1000000000, do: [{cpu: 1ns}]}]}\n",
      "forever");
  auto r = run_cli({"run", path, "--max-events", "18446744073709551615", "--max-wall", "0.3s"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Matchers::Matches("gilsim: limit reached: --max-wall 0\\.3 s of wall "
                                             "time, passed at simulated time [0-9.e+-]+ s\n"));
}
