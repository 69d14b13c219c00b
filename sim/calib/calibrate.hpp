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
  // The interpreters to calibrate (--python, repeatable): paths or commands on the PATH; empty:
  // the first python3 on the PATH.
  std::vector<std::string> pythons;
};

// Measures, prints progress on `progress`, writes the profile, and prints where it went and
// the main figures on `out`. Returns the exit code (0; a profile that cannot be written is an
// input_error).
int calibrate_command(const calibrate_options& opt, std::ostream& out, std::ostream& progress);

// The measurements themselves, without writing anything.
host_profile calibrate_host(calibration_size size, const std::vector<std::string>& pythons,
                            std::ostream& progress);

std::string to_string(calibration_size s);

namespace detail {

// The ranges the kernel's cost is fitted over: small numbers, where the per-item cost weighs
// most, and narrow windows of large numbers, where divisions dominate.
std::vector<number_range> native_fit_ranges();
std::vector<number_range> python_fit_ranges(calibration_size size);
// Ranges the Python probe times too but the fit leaves out: checks of its predictions.
std::vector<number_range> python_check_ranges(calibration_size size);

// Runs the Python probe under each of `pythons` (paths, or commands on the PATH) and adds one
// section per interpreter to p.pythons; one that cannot be run or measured is skipped, saying
// why on `progress` and in p.python_note.
void measure_pythons(const std::vector<std::string>& pythons, calibration_size size, int runs,
                     host_profile& p, std::ostream& progress);

// `python` as an executable path: itself when it names a file, else the first on $PATH; empty
// when there is none.
std::string resolve_python(const std::string& python);

// The first executable `name` on $PATH, or empty.
std::string find_on_path(const std::string& name);

}  // namespace detail

}  // namespace gilsim
