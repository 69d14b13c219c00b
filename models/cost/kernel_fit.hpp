// Fitting the costs `gilsim calibrate --python` measures (models/core/python_costs.hpp): the prime
// kernel's cost with a per-division cost that depends on the bit length of n (kernel_cost's
// by_bits knots), and a cost that grows linearly with a task's items (linear_cost).
//
// Both are least squares on relative errors, like fit_kernel_cost (cost_fit.hpp): every timing
// counts by how far off its prediction is in per cent. A coefficient that comes out negative is
// not a cost: it is set to zero and the others refitted (`clamped`).
#pragma once

#include "models/core/python_costs.hpp"
#include "models/cost/kernel_cost.hpp"

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace gilsim {

// One range of the kernel timed: seconds for one pass over [first, last].
struct range_timing {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  double seconds = 0;
};

struct kernel_fit {
  kernel_cost cost;  // per_item and by_bits (per_division 0: unused with by_bits)
  std::vector<double> errors;  // each range's (predicted - measured) / measured
  double residual = 0;         // root mean square of errors
  double worst = 0;            // the largest |error|
  bool clamped = false;
};

// Fits per_item and one cost per division at each knot (bit lengths, increasing), the model
// being kernel_range_seconds's: a range's divisions costed piece by piece at their numbers' bit
// length, interpolated between the knots. Throws std::invalid_argument when the ranges cannot
// determine every coefficient (fewer ranges than unknowns, a knot no range's divisions touch) or
// a timing is not positive.
kernel_fit fit_kernel_by_bits(std::span<const range_timing> timings, std::span<const int> knots,
                              const range_work_fn& work);

// The knots for a set of ranges: the bit length of every range that lies within one bit length
// (a window 2^k .. 2^k + w gives k + 1), increasing, without repeats.
std::vector<int> knots_of(std::span<const range_timing> timings);

// fixed + per_item x items through (items, seconds) points, by relative least squares. Points at
// or below zero (a difference of noisy timings) are left out; with one point left the cost is
// all fixed, with none it is zero. Throws std::invalid_argument with fewer than two points, or
// two or more positive ones at one item count only.
linear_cost fit_linear_cost(std::span<const std::pair<double, double>> points);

}  // namespace gilsim
