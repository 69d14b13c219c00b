// gilsim's commands: each declares its own options on the command line and, once parsed, runs.
// main() builds the app, lets every command add itself, parses and runs the one given.
#pragma once

#include "sim/batch/sweep.hpp"
#include "sim/calib/calibrate.hpp"
#include "sim/os/os.hpp"
#include "sim/out/writer.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <map>
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
command add_schema(CLI::App& app);
command add_show(CLI::App& app);
command add_jobs(CLI::App& app);
command add_choose(CLI::App& app);

// Runs the command that was parsed with the exit-code contract: what it returns, 2 for bad
// input (FILE:LINE:COL: key.path: message) or anything else that stopped it, 1 for a
// simulation that could not finish, 3 for an output that could not be written.
int run_parsed(const std::vector<command>& commands);

// Command-line numbers are taken as text and checked whole: anything else is an input_error
// labelled with the option and the text ("--seed -1: ...").
// A whole number in [min, max], digits only (no sign, no wrap-around).
std::uint64_t count_arg(const std::string& option, const std::string& text, std::uint64_t min,
                        std::uint64_t max);
// Declares an option whose value is taken as text and checked later; an empty value is
// refused by the parser (it would read as "not given").
CLI::Option* add_text_option(CLI::App& sub, const std::string& name, std::string& into,
                             const std::string& help);
// --seed: any 64-bit seed, 0 included (a seed like any other, as `seed: 0` in a scenario).
std::uint64_t seed_arg(const std::string& text);
// A duration above zero and finite: "2s", "500ms", "1e-3" (seconds when it has no unit).
double duration_arg(const std::string& option, const std::string& text);

// The pieces some commands share.

// --profile, as run, check and sweep take it.
void add_profile_option(CLI::App& sub, std::string& profile);
// The profile for the runs this process starts (a sweep's points, a batch's scenarios).
void export_profile(const std::string& profile);

// --max-events, --max-time and --max-wall, as run and sweep take them: text until checked.
struct limit_flags {
  std::string max_events;
  std::string max_time;
  std::string max_wall;
  bool no_lookahead = false;
  void add(CLI::App& sub, const std::string& events_help, const std::string& time_help);
  run_limits limits() const;  // checked: an input_error for a bad number
  // The limits given, as arguments for the child processes of a sweep or batch.
  std::vector<std::string> args() const;
};

// What a sweep and a batch take from the command line besides what they run.
struct batch_flags {
  std::string out_dir;
  std::string jobs;  // empty: the host's cores
  std::string shard = "1/1";
  bool retry_failed = false;
  bool json = false;
  bool exec = false;  // start the gilsim binary for each point instead of forking
};
sweep::options batch_options(const batch_flags& f);
// --exec, as sweep, a batch run and choose take it.
void add_exec_flag(CLI::App& sub, bool& exec);

// A point of a sweep or batch, in the forked child that runs it: `gilsim ARGS...` (args without
// the program's name; only `run`) parsed and run as main() would, with its exit code.
int run_in_process(const std::vector<std::string>& args);

// The options of the registered writers (--trace, --timeline, --json, --out, ...) that `sub`
// does not have yet, as run and jobs take them; their values land in `values` by option.
void add_writer_options(CLI::App& sub, std::map<std::string, std::string>& values);
// What the parsed command line gave for an option, as choose_writers asks.
given_option given_on(const CLI::App& sub);

// --quick and --tiny, as calibrate and validate take them.
struct size_flags {
  bool quick = false;
  bool tiny = false;
  calibration_size size() const;
};
void add_size_flags(CLI::App& sub, size_flags& f);

}  // namespace gilsim::cli
