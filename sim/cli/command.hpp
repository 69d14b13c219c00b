// gilsim's commands: each declares its own options on the command line and, once parsed, runs.
// main() builds the app, lets every command add itself, parses and runs the one given.
#pragma once

#include "sim/batch/sweep.hpp"
#include "sim/calib/calibrate.hpp"
#include "sim/os/os.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace gilsim::cli {

struct command {
  CLI::App* sub = nullptr;   // its subcommand
  std::function<int()> run;  // does the work; returns the exit code (0 ok, 1 a run failed)
};

command add_run(CLI::App& app);
command add_check(CLI::App& app);
command add_sweep(CLI::App& app);
command add_merge(CLI::App& app);
command add_plot(CLI::App& app);
command add_calibrate(CLI::App& app);
command add_validate(CLI::App& app);

// Runs the command that was parsed with the exit-code contract: what it returns, 2 for bad
// input (FILE:LINE:COL: key.path: message) or anything else that stopped it, 1 for a
// simulation that could not finish.
int run_parsed(const std::vector<command>& commands);

// The pieces some commands share.

// --profile, as run, check and sweep take it.
void add_profile_option(CLI::App& sub, std::string& profile);
// The profile for the runs this process starts (a sweep's points, a batch's scenarios).
void export_profile(const std::string& profile);

// The limits as arguments for the child processes of a sweep or batch, when they were given.
std::vector<std::string> limit_args(const CLI::App& sub, const run_limits& limits);

// What a sweep and a batch take from the command line besides what they run.
struct batch_flags {
  std::string out_dir;
  int jobs = 0;
  std::string shard = "1/1";
  bool retry_failed = false;
  bool json = false;
};
sweep::options batch_options(const batch_flags& f);

// --quick and --tiny, as calibrate and validate take them.
struct size_flags {
  bool quick = false;
  bool tiny = false;
  calibration_size size() const;
};
void add_size_flags(CLI::App& sub, size_flags& f);

}  // namespace gilsim::cli
