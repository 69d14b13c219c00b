// Work kernels: the named CPU work that a step `cpu: {kernel: NAME}` runs over its numbers (the
// current for_each chunk, or a fixed range). Each kernel is one file (models/cost/kernel_*.cpp)
// that registers itself by name, as policies do, so that the loader resolves `kernel: is_prime`
// here and knows no kernel by name. A kernel counts its exact work without running it: calls
// (`items`, charged at the cost model's per_item) and inner-loop operations (`divisions`, charged
// at per_division), which the process's cost model turns into time.
#pragma once

#include "models/core/registry.hpp"
#include "models/cost/prime_work.hpp"

#include <cstdint>

namespace gilsim {

struct kernel_context {};

class work_kernel {
public:
  virtual ~work_kernel() = default;
  // The exact work over the numbers [first, last] (first <= last <= prime_work_max_last).
  virtual range_work work(std::uint64_t first, std::uint64_t last) const = 0;
  // The calls and operations of the single number n, for the many one-item chunks a simulation
  // costs (its `primes` is not counted); by default work(n, n).
  virtual range_work one(std::uint64_t n) const { return work(n, n); }
};

using kernel_registry = registry<work_kernel, kernel_context>;

}  // namespace gilsim
