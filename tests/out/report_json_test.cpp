// The JSON report writer: every stable key, in order, with the hand-made run's figures rounded
// to the nanosecond (ratios and the wall time to the microsecond).
#include "tests/out/hand_runs.hpp"

#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;
#include "gilsim_version.hpp"

#include <nlohmann/json.hpp>

using nlohmann::ordered_json;

TEST_CASE("json report: the hand-made run's keys, in order, and values")
{
  // The per-job figures: a arrived at 0, first ran at 2.5 ms and ended at 12.5 ms, ready 2.5 ms
  // of it; worker-10 ran from its arrival at 0.5 s to 1.5 s. It is a daemon: `jobs` is a alone.
  const auto expected = ordered_json::parse(R"({
    "scenario": "t", "version": ")" GILSIM_VERSION_STRING R"(", "status": "ok", "policy": "rr", "seed": 7, "makespan_s": 1.5,
    "events": 42, "wall_s": 0.25,
    "threads": [
      {"name": "a", "process": "py", "daemon": false, "start_s": 0, "end_s": 0.0125,
       "cpu_s": 0.01, "io_s": 0.002, "sleep_s": 0.001, "ready_wait_s": 0.0025,
       "gil_wait_s": 0.0005, "lock_wait_s": 0, "context_switches": 3, "gil_acquisitions": 4,
       "response_s": 0.0025, "turnaround_s": 0.0125, "wait_s": 0.0025},
      {"name": "worker-10", "process": "native", "daemon": true, "start_s": 0.5, "end_s": 1.5,
       "cpu_s": 1, "io_s": 0, "sleep_s": 0, "ready_wait_s": 0, "gil_wait_s": 0,
       "lock_wait_s": 3e-5, "context_switches": 0, "gil_acquisitions": 0,
       "response_s": 0, "turnaround_s": 1, "wait_s": 0}],
    "jobs": {"count": 1, "mean_response_s": 0.0025, "mean_turnaround_s": 0.0125,
             "mean_wait_s": 0.0025},
    "cores": [{"id": 0, "busy_s": 0.011, "utilization": 0.88, "context_switches": 4},
              {"id": 1, "busy_s": 1, "utilization": 0.5, "context_switches": 1}],
    "processes": [
      {"name": "py", "runtime": "python",
       "gil": {"model": "new", "switches": 5, "forced_switches": 2,
               "convoy": {"count": 2, "mean_s": 0.0001, "p50_s": 0.0001, "p99_s": 0.00015,
                          "max_s": 0.00015}}},
      {"name": "native", "runtime": "native",
       "gil": {"model": "native", "switches": 0, "forced_switches": 0,
               "convoy": {"count": 0, "mean_s": 0, "p50_s": 0, "p99_s": 0, "max_s": 0}}}]
  })");
  const std::string text = gilsim::report_json(gilsim::test::hand_report());
  // ordered_json compares objects key by key in order: this checks the order too.
  CHECK(ordered_json::parse(text) == expected);
  CHECK(text.rfind("{\n  \"scenario\": \"t\",\n", 0) == 0);  // two-space indent
}

TEST_CASE("json report: a run that stopped early says why, right after its status")
{
  auto r = gilsim::test::hand_report();
  r.status = "deadlock";
  r.message = "a and b wait for each other";
  auto j = ordered_json::parse(gilsim::report_json(r));
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items())
    keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"scenario", "version", "status", "message", "policy", "seed",
                                         "makespan_s", "events", "wall_s", "threads", "jobs", "cores",
                                         "processes"});
  CHECK(j["message"] == "a and b wait for each other");
}

TEST_CASE("json report: on the console with --json and as report.json in --out, newline-ended")
{
  const auto r = gilsim::test::hand_report();
  const gilsim::run_trace none;
  const std::string text = gilsim::report_json(r) + "\n";
  const auto& console = gilsim::test::registered("json");
  const auto& file = gilsim::test::registered("report.json");
  CHECK(how_chosen(console) == chosen_by{"--json", "", gilsim::sink::console, false});
  CHECK(how_chosen(file) == chosen_by{"--out", "", gilsim::sink::directory, false});
  CHECK(console.write({r, none}) == text);
  CHECK(file.write({r, none}) == text);
}
