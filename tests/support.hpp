// Test helpers: run build/gilsim as its own process (one SimGrid engine per process) on a
// scenario given as YAML text or as a file, and read back its exit code, output and JSON report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gilsim::test {

struct cli_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the gilsim binary with these arguments (each one shell-quoted).
cli_result run_cli(const std::vector<std::string>& args);

// Writes `yaml` to a fresh temporary file and returns its path.
std::string write_temp_scenario(const std::string& yaml, const std::string& stem = "scenario");

// `gilsim run FILE --json ARGS...`; fails the test unless it exits with 0.
nlohmann::json run_json(const std::string& yaml, const std::vector<std::string>& args = {});
nlohmann::json run_json_file(const std::string& path, const std::vector<std::string>& args = {});

// The thread of that name in a report.
const nlohmann::json& thread_named(const nlohmann::json& report, const std::string& name);

std::string source_dir();

// The shipped scenarios (scenarios/**/*.yaml), sorted, but the validation suite's twins
// (scenarios/validation): they simulate this host as calibrated, so they need a host profile
// (tests/calib checks them with one), and the suite's list of programs is not a scenario; nor
// the workloads of gilsim choose (scenarios/choose), which name no model and need a profile too.
std::vector<std::string> shipped_scenarios();

}  // namespace gilsim::test
