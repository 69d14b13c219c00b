// The host profile: what `gilsim calibrate` measured on this machine (the prime kernel's native
// and CPython costs, switch and wake-up costs, thread and process start, scaling) with where and
// how it was measured; written as YAML, read back strictly, and applied by `machine.speed: host`.
//
// What `speed: host` means (docs/calibration.md): the simulated machine is this host as
// calibrated. Its cores run at speed 1.0, the reference core being the host's own; the prime
// kernel's native cost is the fitted per_division / per_item, CPython's is the profile's when
// it was measured (else the defaults stay); context_switch and wakeup_latency are the measured
// medians; cores is the host's count. Keys the scenario writes itself (machine.cores,
// machine.context_switch, machine.wakeup_latency, any cost.*) win over the profile.
#pragma once

#include "models/cost/cost_fit.hpp"
#include "models/core/error.hpp"
#include "models/core/scenario.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gilsim {

// A kernel cost fitted to timed ranges (native C++ or CPython).
struct fitted_cost {
  kernel_cost cost;
  cost_fit fit;
  int ranges = 0;       // how many ranges the fit used
  double spread = 0;    // the median spread of the ranges' repeated timings
  std::string runtime;  // "C++ (GCC 12.2.0, -O3)", "CPython 3.11.7"
};

// The same range on k threads (shared counter), wall clock.
struct scaling_point {
  int threads = 0;
  sample_stats seconds;
  double speedup = 0;  // median seconds on 1 thread / median seconds here
};

struct host_profile {
  // Provenance.
  std::string cpu;          // /proc/cpuinfo model name
  int cores = 1;            // online CPUs
  std::string kernel;       // uname: sysname release machine
  std::string compiler;     // the compiler that built gilsim, and its version
  std::string gilsim;       // gilsim's version
  std::string date;         // UTC, ISO 8601
  std::string mode;         // quick | full | tiny
  int repetitions = 0;      // timings of each figure
  double load_average = 0;  // /proc/loadavg's 1-minute figure when calibration started

  fitted_cost native;
  std::optional<fitted_cost> python;  // absent: not measured
  std::string python_note;            // why not, when absent

  sample_stats context_switch;  // seconds per switch between two threads on one core
  sample_stats wakeup_latency;  // seconds from a condition variable's notify to the waiter running
  sample_stats thread_start;    // seconds the creator spends in std::thread's constructor
  sample_stats process_start;   // seconds the parent spends in fork()
  sample_stats process_exit;    // seconds more for the child's exit and its reaping (waitpid)
  std::vector<scaling_point> scaling;

  // `gilsim calibrate --python PATH`: one section per interpreter measured, keyed by its
  // major.minor (python_costs::interpreter), in the order calibrated; the first is the default
  // interpreter of a scenario that names none. Every figure was measured by a real
  // micro-program under that interpreter (sim/calib), with their spread in `stats`.
  struct python_section {
    python_costs costs;
    std::string executable;                     // the interpreter that was timed
    std::string implementation;                 // CPython
    std::map<std::string, sample_stats> stats;  // each figure's runs, by its key in the profile
    // The fit of costs.prime over its ranges: residual, worst and clamped of the by-bits fit;
    // per_division and per_item of one straight line through the same ranges, for reading.
    cost_fit prime_fit;
  };
  std::vector<python_section> pythons;

  std::string file;  // where it was read from; empty when made in memory
};

// The profile as YAML, with comments saying what each figure is.
std::string profile_yaml(const host_profile& p);

// Reads and checks a profile: a malformed one is an input_error at its file:line:col.
host_profile read_host_profile(const std::filesystem::path& path);
host_profile parse_host_profile(const std::string& yaml, const std::string& file_label);

// Where a profile is looked for, in order: `flag` (--profile) when given, else $GILSIM_PROFILE
// when set, else ./host-profile.yaml, else $XDG_CONFIG_HOME/gilsim/host-profile.yaml (or
// ~/.config/gilsim/host-profile.yaml). The first candidate that exists wins; a flag or variable
// naming a missing file is not skipped but returned, so that reading it fails loudly.
std::vector<std::filesystem::path> profile_candidates(const std::string& flag);
std::optional<std::filesystem::path> find_host_profile(const std::string& flag);

// Where `gilsim calibrate` writes by default: the user-wide location above.
std::filesystem::path default_profile_path();

// `machine.speed: host` at `at`: finds the profile (input_error at `at` when there is none),
// reads it, puts its figures into the scenario's machine and costs (apply_host_profile) and
// returns it, for its Python interpreters (`python.interpreter`). The loader calls it before it
// reads the scenario's own machine and cost keys, which then win.
host_profile use_host_profile(scenario& sc, const source_pos& at, const std::string& key_path,
                              const std::string& flag);
// What `speed: host` puts into the scenario from a profile already read.
void apply_host_profile(scenario& sc, const host_profile& p);

}  // namespace gilsim
