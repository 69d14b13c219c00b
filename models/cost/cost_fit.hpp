// Fitting the prime kernel's cost (docs/model.md section 6: seconds = divisions x per_division +
// items x per_item) to timed runs, and the robust statistics of repeated timings.
//
// The fit is least squares on relative errors: each range counts by how far off its prediction
// is in per cent, so a 10 us range weighs as much as a 100 ms one (plain least squares would fit
// the longest ranges and ignore the ones that pin per_item down). A negative coefficient is not a
// cost: if the unconstrained fit gives one, it is set to zero and the other refitted alone
// (`clamped` says so). Ranges whose divisions per item differ are needed to separate the two;
// with one ratio only the fit is singular and std::invalid_argument is thrown.
#pragma once

#include <span>
#include <vector>

namespace gilsim {

// One timed run: the exact work (models/cost/prime_work.hpp) and the seconds it took.
struct timing_sample {
  double divisions = 0;
  double items = 0;
  double seconds = 0;
};

struct cost_fit {
  double per_division = 0;  // seconds
  double per_item = 0;      // seconds
  double residual = 0;      // root mean square of (predicted - measured) / measured
  double worst = 0;         // the largest |predicted - measured| / measured
  bool clamped = false;     // a coefficient came out negative and was set to zero
};

// Throws std::invalid_argument on fewer than two samples, a sample with seconds <= 0, or work
// that cannot separate the two coefficients.
cost_fit fit_kernel_cost(std::span<const timing_sample> samples);

// The median and spread of repeated measurements of one quantity.
struct sample_stats {
  double median = 0;
  double min = 0;
  double max = 0;
  double spread = 0;  // median absolute deviation / median: 0.02 is "2%", robust to one outlier
  int runs = 0;
};

// Throws std::invalid_argument on an empty set.
sample_stats stats_of(std::vector<double> values);

}  // namespace gilsim
