// gilsim validate: runs the real prime kernel over a matrix of native configurations, simulates
// each from the host profile, and prints measured against predicted with the error.
#pragma once

#include "sim/batch/sweep.hpp"
#include "sim/calib/calibrate.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/calib/native_kernel.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace gilsim {

struct validate_options {
  std::string profile;  // --profile; empty: the default places (sim/load/host_profile.hpp)
  calibration_size size = calibration_size::full;
  sweep::point_runner run_point;  // each simulation in a forked child; empty: exec gilsim
};

// Measures, simulates and prints the table on `out` (progress on `progress`). Always 0: the
// errors are a measurement, not a failure. No profile is an input_error (exit 2).
int validate_command(const validate_options& opt, std::ostream& out, std::ostream& progress);

namespace detail {

// The matrix: 1, 2, cores and 2 x cores workers (without repeats), chunks and a shared counter,
// threads and processes, two range sizes.
std::vector<native::parallel_run> validate_matrix(int cores, calibration_size size);

// The scenario that simulates `run` on the profiled host, in the core format: one native
// process (threads) or a parent and one native process per worker (processes); a creator that
// spends the start cost per worker, workers that begin once created, a queue for the shared
// counter or one fixed-range kernel step per chunk, and a child's exit cost at its end.
std::string validate_scenario(const native::parallel_run& run, const host_profile& p);

// Runs `gilsim args...` in a child process (forked to call `runner` when given, else this
// binary started afresh), passes on what it printed on stderr to `progress`, and returns its
// stdout; throws std::runtime_error when it did not exit with 0.
std::string run_self(const std::vector<std::string>& args, std::ostream& progress,
                     const sweep::point_runner& runner = {});

}  // namespace detail

}  // namespace gilsim
