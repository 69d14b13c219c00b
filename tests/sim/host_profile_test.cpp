// The host profile: written and read back to the same figures, a malformed one reported at its
// line and column (exit 2), and `machine.speed: host` taking the machine and costs from it while
// the scenario's own keys win; the scenarios validate generates load and split the work exactly.
#include "models/cost/prime_work.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/loader.hpp"
#include "sim/calib/validate.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

using namespace gilsim;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using gilsim::test::run_cli;
using gilsim::test::write_temp_scenario;

namespace {

host_profile sample_profile()
{
  host_profile p;
  p.cpu = "Test CPU \"quoted\" @ 3GHz";
  p.cores = 3;
  p.kernel = "Linux 6.1.0 x86_64";
  p.compiler = "GCC 12.2.0, Release build, optimised";
  p.gilsim = "0.1.0";
  p.date = "2025-01-02T03:04:05Z";
  p.mode = "quick";
  p.repetitions = 5;
  p.load_average = 0.25;
  p.native = {{2.345678e-9, 1.234567e-9, {}}, {2.345678e-9, 1.234567e-9, 0.0123, 0.045, false}, 8,
              0.011, "C++ is_prime"};
  p.python = fitted_cost{{41.5e-9, 180.25e-9, {}}, {41.5e-9, 180.25e-9, 0.08, 0.2, false}, 6, 0.02,
                         "CPython 3.11.7"};
  p.context_switch = {1.75e-6, 1.5e-6, 2.5e-6, 0.04, 5};
  p.wakeup_latency = {28.5e-6, 20e-6, 40e-6, 0.1, 5};
  p.thread_start = {12e-6, 11e-6, 19e-6, 0.05, 5};
  p.process_start = {330e-6, 300e-6, 700e-6, 0.02, 5};
  p.process_exit = {45e-6, 30e-6, 400e-6, 0.07, 5};
  p.scaling = {{1, {0.1, 0.099, 0.11, 0.01, 5}, 1.0}, {2, {0.051, 0.05, 0.06, 0.02, 5}, 1.96}};
  return p;
}

std::string write_profile(const host_profile& p)
{
  return write_temp_scenario(profile_yaml(p), "profile");
}

const std::string native_process = R"(processes:
  - name: p
    runtime: native
    threads:
      - {name: w, program: [{cpu: 1ms}]}
)";

}  // namespace

TEST_CASE("profile: written and read back, every figure is the same", "[profile]")
{
  const host_profile p = sample_profile();
  const std::string text = profile_yaml(p);
  const host_profile q = parse_host_profile(text, "p.yaml");
  CHECK(q.cpu == p.cpu);
  CHECK(q.cores == 3);
  CHECK(q.kernel == p.kernel);
  CHECK(q.compiler == p.compiler);
  CHECK(q.date == p.date);
  CHECK(q.mode == "quick");
  CHECK(q.repetitions == 5);
  CHECK(q.native.cost.per_division == Approx(2.345678e-9).epsilon(1e-6));
  CHECK(q.native.cost.per_item == Approx(1.234567e-9).epsilon(1e-6));
  CHECK(q.native.fit.residual == Approx(0.0123));
  CHECK(q.native.ranges == 8);
  REQUIRE(q.python.has_value());
  CHECK(q.python->cost.per_division == Approx(41.5e-9).epsilon(1e-6));
  CHECK(q.python->runtime == "CPython 3.11.7");
  CHECK(q.context_switch.median == Approx(1.75e-6).epsilon(1e-6));
  CHECK(q.context_switch.max == Approx(2.5e-6).epsilon(1e-6));
  CHECK(q.wakeup_latency.spread == Approx(0.1));
  CHECK(q.process_start.median == Approx(330e-6).epsilon(1e-6));
  CHECK(q.process_exit.runs == 5);
  REQUIRE(q.scaling.size() == 2);
  CHECK(q.scaling[1].threads == 2);
  CHECK(q.scaling[1].speedup == Approx(1.96));
  // Writing what was read gives the same text: nothing is lost or reworded.
  CHECK_THAT(profile_yaml(q), Equals(text));
}

TEST_CASE("profile: without python3 the profile says so and keeps no CPython cost", "[profile]")
{
  host_profile p = sample_profile();
  p.python.reset();
  p.python_note = "no python3 on the PATH";
  const host_profile q = parse_host_profile(profile_yaml(p), "p.yaml");
  CHECK_FALSE(q.python.has_value());
  CHECK(q.python_note == "no python3 on the PATH");
}

TEST_CASE("profile: a malformed profile is an input error at its line and column", "[profile]")
{
  std::string text = profile_yaml(sample_profile());
  const auto at = text.find("  context_switch:");
  text.replace(at, 17, "  contxt_switch:");
  const int line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
  try {
    parse_host_profile(text, "bad.yaml");
    FAIL("no error");
  } catch (const input_error& e) {
    CHECK(e.pos().file == "bad.yaml");
    CHECK(e.pos().line == line);
    CHECK(e.pos().col == 3);
    CHECK_THAT(std::string(e.what()), Contains("did you mean 'context_switch'?"));
  }
  CHECK_THROWS_AS(parse_host_profile("gilsim_profile: 2\n", "v.yaml"), input_error);
  CHECK_THROWS_AS(parse_host_profile("[1, 2]\n", "l.yaml"), input_error);
}

TEST_CASE("profile: gilsim run with a malformed or missing profile exits 2 with file:line:col",
          "[profile]")
{
  std::string text = profile_yaml(sample_profile());
  const auto at = text.find("per_division: 2.345678ns");
  text.replace(at, 24, "per_division: fast");
  const std::string bad = write_temp_scenario(text, "bad-profile");
  const int line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
  const std::string sc = write_temp_scenario("machine: {speed: host}\n" + native_process);
  auto r = run_cli({"run", sc, "--profile", bad});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(fmt::format("{}:{}:17: native.per_division: expected a duration",
                                         bad, line)));
  r = run_cli({"run", sc, "--profile", "/nonexistent/host-profile.yaml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("/nonexistent/host-profile.yaml: cannot read the host profile"));
}

TEST_CASE("profile: speed host takes cores, switch, wake-up and costs, and the scenario's keys "
          "win",
          "[profile]")
{
  const std::string prof = write_profile(sample_profile());
  const scenario a = load_scenario_text("machine: {speed: host}\n" + native_process, "a.yaml",
                                        {}, prof);
  CHECK(a.machine.speed == 1.0);
  CHECK(a.machine.cores == 3);
  CHECK(a.machine.context_switch == Approx(1.75e-6));
  CHECK(a.machine.wakeup_latency == Approx(28.5e-6));
  CHECK(a.native_cost.per_division == Approx(2.345678e-9));
  CHECK(a.python_cost.per_item == Approx(180.25e-9));

  const scenario b = load_scenario_text(
      "machine: {speed: host, cores: 8, context_switch: 5us}\n"
      "cost: {native: {per_item: 3ns}}\n" + native_process, "b.yaml", {}, prof);
  CHECK(b.machine.cores == 8);
  CHECK(b.machine.context_switch == Approx(5e-6));
  CHECK(b.machine.wakeup_latency == Approx(28.5e-6));
  CHECK(b.native_cost.per_division == Approx(2.345678e-9));
  CHECK(b.native_cost.per_item == Approx(3e-9));

  // --set works as in the file.
  const scenario c = load_scenario_text(native_process, "c.yaml", {"machine.speed=host"}, prof);
  CHECK(c.machine.cores == 3);
}

TEST_CASE("profile: speed host without any profile is an input error at the key", "[profile]")
{
  // Nothing in the places searched: an empty home and working directory, no variable.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gilsim-noprofile-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  setenv("HOME", dir.c_str(), 1);
  setenv("XDG_CONFIG_HOME", (dir / "config").c_str(), 1);
  unsetenv("GILSIM_PROFILE");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  try {
    load_scenario_text("machine: {speed: host}\n" + native_process, "t.yaml");
    FAIL("no error");
  } catch (const input_error& e) {
    CHECK(e.pos().file == "t.yaml");
    CHECK(e.pos().line == 1);
    CHECK(e.pos().col == 18);
    CHECK(e.key_path() == "machine.speed");
    CHECK_THAT(std::string(e.what()), Contains("host needs a calibration profile"));
    CHECK_THAT(std::string(e.what()), Contains("run gilsim calibrate"));
  }
  // $GILSIM_PROFILE names the file when --profile does not.
  setenv("GILSIM_PROFILE", write_profile(sample_profile()).c_str(), 1);
  CHECK(load_scenario_text("machine: {speed: host}\n" + native_process, "t.yaml").machine.cores ==
        3);
  std::filesystem::current_path(cwd);
  std::filesystem::remove_all(dir);
}

TEST_CASE("validate: the generated scenarios load and split the work as the real runs do",
          "[profile][validate]")
{
  const std::string prof = write_profile(sample_profile());
  const host_profile p = sample_profile();
  const auto matrix = detail::validate_matrix(2, calibration_size::quick);
  CHECK(matrix.size() == 24);  // 1, 2, 4 workers x chunks, shared x threads, processes x 2 sizes
  for (const auto& run : matrix) {
    INFO(detail::validate_scenario(run, p));
    const scenario sc = load_scenario_text(detail::validate_scenario(run, p), "v.yaml", {}, prof);
    CHECK(sc.machine.cores == 3);
    const bool procs = run.on == native::runner::processes;
    CHECK(sc.processes.size() == (procs ? size_t(run.workers) + 1 : 1));
    CHECK(sc.queues.size() == (run.how == native::split::shared ? 1u : 0u));
    if (procs)  // the last child starts once the parent has forked them all
      CHECK(sc.processes.back().start == Approx(330e-6 * run.workers));
  }
  // Static chunks: worker i's one kernel step is split_range's i-th slice.
  const native::parallel_run four{1, 1000000, 4, native::split::chunks, native::runner::threads};
  const scenario sc = load_scenario_text(detail::validate_scenario(four, p), "v.yaml", {}, prof);
  const auto slices = split_range(1, 1000000, 4);
  REQUIRE(sc.processes[0].threads.size() == 5);  // the creator and four workers
  for (int i = 0; i < 4; ++i) {
    const step& work = sc.processes[0].threads[size_t(i) + 1].program.back();
    CHECK(work.kernel.first == slices[size_t(i)].first);
    CHECK(work.kernel.last == slices[size_t(i)].last);
  }
}
