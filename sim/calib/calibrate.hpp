// gilsim calibrate: runs the real prime kernel and a few OS micro-measurements on this host,
// fits the kernel's cost, and writes the host profile that `machine.speed: host` reads.
#pragma once

#include "models/cost/cost_fit.hpp"
#include "models/cost/prime_work.hpp"
#include "sim/load/host_profile.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace gilsim {

// How long calibration takes: full (the default, about a minute), quick (under 20 s) or tiny
// (a second or two, for the tests: the figures are rough, the structure is the same).
enum class calibration_size { full, quick, tiny };

struct calibrate_options {
  std::string out;  // the profile to write; empty: default_profile_path()
  calibration_size size = calibration_size::full;
};

// Measures, prints progress on `progress`, writes the profile, and prints where it went and
// the main figures on `out`. Returns the exit code (0; a profile that cannot be written is an
// input_error).
int calibrate_command(const calibrate_options& opt, std::ostream& out, std::ostream& progress);

// The measurements themselves, without writing anything.
host_profile calibrate_host(calibration_size size, std::ostream& progress);

std::string to_string(calibration_size s);

namespace detail {

// The ranges the kernel's cost is fitted over: small numbers, where the per-item cost weighs
// most, and narrow windows of large numbers, where divisions dominate.
std::vector<number_range> native_fit_ranges();
std::vector<number_range> python_fit_ranges(calibration_size size);

// Times the seed's is_prime under `python` (a command on the PATH or a path) over the ranges:
// `runs` timings of each (CPU seconds per pass over the range). Returns the samples for the fit
// (median per range) and the interpreter's name, or an empty result and a note saying why not.
struct python_timing {
  std::vector<timing_sample> samples;
  std::vector<double> spreads;  // each range's spread of its runs
  std::string interpreter;      // "CPython 3.11.7"
  std::string note;             // why nothing was measured
};
python_timing time_python(const std::string& python, const std::vector<number_range>& ranges,
                          double seconds_per_run, int runs);

// The first executable `name` on $PATH, or empty.
std::string find_on_path(const std::string& name);

}  // namespace detail

}  // namespace gilsim
