// gilsim show, check --json and --version: the effective scenario loads back to the same run
// (every shipped scenario, workloads expanded, and one with overrides), and is a fixed point;
// check's JSON says what its text says; --version names the project's version.
#include "tests/support.hpp"

#include "gilsim_version.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using gilsim::test::run_cli;
using gilsim::test::source_dir;
using gilsim::test::write_temp_scenario;

namespace fs = std::filesystem;

namespace {

// show's text less its first line, the comment naming the file it was made from.
std::string shown(const std::vector<std::string>& args)
{
  auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.rfind("# The effective scenario of ", 0) == 0);
  return r.out.substr(r.out.find('\n') + 1);
}

nlohmann::json report(const std::string& path, std::vector<std::string> args = {})
{
  args.insert(args.begin(), {"run", path, "--json"});
  auto r = run_cli(args);
  INFO(path << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  j.erase("wall_s");
  // A workload's request latency is the workload's: the expanded core format that show writes
  // has none (sim/show/scenario_yaml.cpp).
  j.erase("latency");
  return j;
}

std::string source_text(const fs::path& p)
{
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("show: every shipped scenario, shown and run, gives the original's report")
{
  const auto files = gilsim::test::shipped_scenarios();
  const std::vector<fs::path> all(files.begin(), files.end());
  REQUIRE(all.size() >= 18);
  for (const auto& path : all) {
    const std::string text = shown({"show", path.string()});
    const std::string copy = write_temp_scenario(text, path.stem().string());
    INFO(path.string() << " shown as\n" << text);
    // A workload's arrivals are not written (its queues hold every item from the start in the
    // core format), so its requests run otherwise: only the fixed point is checked for it.
    const bool arrivals = source_text(path).find("\n  arrivals:") != std::string::npos;
    if (!arrivals)
      CHECK(report(copy) == report(path.string()));
    CHECK(shown({"show", copy}) == text);  // nothing left to fill in
  }
}

TEST_CASE("show: overrides are applied and defaults written out")
{
  const fs::path mixed = fs::path(source_dir()) / "scenarios" / "examples" / "mixed.yaml";
  const std::vector<std::string> set = {"--set", "scheduler.policy=rr", "--set",
                                        "machine.cores=3"};
  std::vector<std::string> args = {"show", mixed.string()};
  args.insert(args.end(), set.begin(), set.end());
  const std::string text = shown(args);
  CHECK(text.find("policy: rr\n  quantum: 4ms\n") != std::string::npos);  // rr's default
  CHECK(text.find("cores: 3\n") != std::string::npos);
  const fs::path convoy = fs::path(source_dir()) / "scenarios" / "examples" / "gil_convoy.yaml";
  CHECK(shown({"show", convoy.string()}).find("gil: new\n      switch_interval: 5ms\n") !=
        std::string::npos);  // the new GIL's default, in each Python process
  CHECK(report(write_temp_scenario(text, "mixed")) == report(mixed.string(), set));
}

TEST_CASE("check --json: the processes, threads and queues check counts")
{
  const fs::path dir = fs::path(source_dir()) / "scenarios";
  auto r = run_cli({"check", (dir / "examples" / "mixed.yaml").string(), "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["status"] == "ok");
  CHECK(j["processes"] == 2);
  CHECK(j["threads"] == 7);
  CHECK(j["queues"] == nlohmann::json::array());
  CHECK(j["version"] == GILSIM_VERSION_STRING);

  auto bad = run_cli({"check", (dir / "examples" / "mixed.yaml").string(), "--json", "--set",
                      "machine.cores=0"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("machine.cores") != std::string::npos);
}

TEST_CASE("version: gilsim --version prints gilsim and the project's version, exit 0")
{
  auto r = run_cli({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string("gilsim ") + GILSIM_VERSION_STRING + "\n");
}

TEST_CASE("show: a machine of core groups is written as its groups and runs the same")
{
  const std::string yaml = "machine: {cores: [{name: P, count: 1, speed: 2}, {name: E, count: 2}]}\n"
                           "scheduler: {policy: fifo}\n"
                           "processes:\n"
                           "  - {name: a, runtime: native,\n"
                           "     threads: [{name: t, count: 3, program: [{cpu: 10ms}]}]}\n";
  const std::string original = write_temp_scenario(yaml, "groups");
  const std::string text = shown({"show", original});
  CHECK(text.find("- {name: P, count: 1, speed: 2}") != std::string::npos);
  CHECK(report(write_temp_scenario(text, "groups")) == report(original));
}

TEST_CASE("show: the lock kinds' steps and a thread's own start are written and run the same")
{
  const std::string yaml =
      "machine: {cores: 2, wakeup_latency: 30us}\n"
      "locks: {q: {kind: queue, capacity: 1}, cv: {kind: condition}, b: {kind: barrier},\n"
      "        ev: {kind: event}}\n"
      "processes:\n"
      "  - {name: a, runtime: native, threads: [\n"
      "      {name: t, program: [{put: q}, {put: q}, {lock: cv}, {wait: cv}, {unlock: cv},\n"
      "                          {wait: b}, {wait: ev}, {clear: ev}]},\n"
      "      {name: u, start: 1ms, program: [{get: q}, {sleep: 1ms}, {lock: cv}, {notify: cv},\n"
      "                          {notify_all: cv}, {unlock: cv}, {get: q}, {set: ev},\n"
      "                          {wait: b}]}]}\n";
  const std::string original = write_temp_scenario(yaml, "sync");
  const std::string text = shown({"show", original});
  for (const char* s : {"{put: q}", "{get: q}", "{wait: cv}", "{notify: cv}", "{notify_all: cv}",
                        "{wait: b}", "{set: ev}", "{clear: ev}", "start: 1ms",
                        "q: {kind: queue, capacity: 1}", "b: {kind: barrier, parties: 2}"})
    CHECK(text.find(s) != std::string::npos);
  CHECK(report(original)["status"] == "ok");
  CHECK(report(write_temp_scenario(text, "sync")) == report(original));
}

TEST_CASE("show: an event loop's timer resolution and a lock taken back by a timer are written and run the same")
{
  const std::string yaml =
      "machine: {cores: 2, context_switch: 0}\n"
      "locks: {loop: {kind: mutex, wakeup: 0, timer_resolution: 1ms}}\n"
      "processes:\n"
      "  - {name: a, runtime: native, threads: [\n"
      "      {name: t, program: [{lock: loop}, {cpu: 0.3ms}, {unlock: loop}, {io: 1.5ms},\n"
      "                          {lock: {name: loop, by_timer: true}}, {cpu: 0.1ms}, {unlock: loop}]}]}\n";
  const std::string original = write_temp_scenario(yaml, "timers");
  const std::string text = shown({"show", original});
  CHECK(text.find("{lock: {name: loop, by_timer: true}}") != std::string::npos);
  CHECK(text.find("timer_resolution: 1ms") != std::string::npos);
  // Idle at 0.3 ms, the timer due at 1.8 ms: the loop wakes at 0.3 + 2 ms.
  CHECK(report(original)["makespan_s"].get<double>() == Approx(0.0024).margin(1e-9));
  CHECK(report(write_temp_scenario(text, "timers")) == report(original));
}
