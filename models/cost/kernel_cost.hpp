// A kernel's time over a range of numbers at a cost model (models/core/python_costs.hpp): the
// calls at per_item, and the divisions at the cost of their numbers' size when the cost is given
// by bit length (the range is cut at powers of two and each piece's divisions costed at its
// bits), else at per_division.
#pragma once

#include "models/core/python_costs.hpp"
#include "models/cost/prime_work.hpp"

#include <cstdint>
#include <functional>

namespace gilsim {

// Seconds on the reference core for [first, last] (first <= last), the work of any part of it
// given by `work` (a work kernel, possibly cached).
using range_work_fn = std::function<range_work(std::uint64_t first, std::uint64_t last)>;
double kernel_range_seconds(const kernel_cost& c, std::uint64_t first, std::uint64_t last,
                            const range_work_fn& work);

// The bit length of n (0 for 0): 2^(b-1) <= n < 2^b.
int bit_length(std::uint64_t n);

}  // namespace gilsim
