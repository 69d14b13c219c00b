// Running the Python probe (sim/calib/probe.py, built into gilsim) under one interpreter, and
// turning what it timed into that interpreter's costs (models/core/python_costs.hpp): the seed's
// is_prime fitted by the bit length of n, pool costs fitted as fixed + per_item x chunk, the rest
// the median of their runs. The probe's output format is described in probe.py itself.
#pragma once

#include "models/cost/prime_work.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/profile_python.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace gilsim::detail {

extern const char* const python_probe_source;  // probe.py's text (generated at build time)

// One figure line of the probe: its key, what it was measured at, and its runs in seconds.
struct probe_figure {
  std::string figure;     // "queue_put", "prime", "sleep", "executor_pool.parent", ...
  std::uint64_t first = 0, last = 0, primes = 0;  // prime
  double requested = 0;   // sleep
  int chunksize = 0;      // executor_pool.*, mp_pool.*
  std::vector<double> runs;
  // The host's speed around each run (the speed marks' reference in CPU seconds; empty when
  // the figure was timed without marks): a CPU figure is normalised by it.
  std::vector<double> speeds;
};

struct probe_output {
  std::string implementation, version, interpreter, executable;
  std::vector<probe_figure> figures;
};

// What the probe is asked to do.
struct probe_plan {
  int runs = 3;
  double scale = 1;                  // operations per timing, 1 in a full calibration
  std::vector<number_range> prime;   // ranges of the is_prime fit
  std::vector<number_range> checks;  // ranges timed alike but held out of the fit
  double prime_seconds = 0.1;        // CPU time of one timing of a prime range
  // Speed marks (is_prime over [1, reference_last]) around every block of CPU figures; 0: none.
  std::uint64_t reference_last = python_reference_last;
};

// Parses the probe's stdout; throws std::runtime_error naming the line that is wrong.
probe_output parse_probe_output(const std::string& text);

// Runs the probe under `python` (a path, or a command on the PATH), reporting each figure on
// `progress` as it arrives. Throws std::runtime_error (with the probe's stderr) on failure.
probe_output run_probe(const std::string& python, const probe_plan& plan, std::ostream& progress);

// The costs and their runs from a probe's output. Checks each prime range's count against
// models/cost/prime_work (std::runtime_error when it differs: not the same kernel). The prime
// ranges among `held_out` are left out of the fit, and kept as checks of it.
host_profile::python_section python_section_of(const probe_output& out,
                                               const std::vector<number_range>& held_out = {});

// The figures the section needs, as one line each (calibrate's summary on stderr).
std::string python_summary(const host_profile::python_section& s);

}  // namespace gilsim::detail
