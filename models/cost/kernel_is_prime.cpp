// is_prime: the lessons' trial division (the seed's multi_tasking/helper/primes.py), whose exact
// work models/cost/prime_work.hpp counts: one call per number, and the `n % i` of its loop. Long
// ranges come from the cache of earlier runs, as the simulated OS takes them.
#include "models/cost/work_kernel.hpp"

namespace gilsim {
namespace {

class is_prime_kernel final : public work_kernel {
public:
  range_work work(std::uint64_t first, std::uint64_t last) const override
  {
    return last - first >= 1000000 ? prime_range_work_cached(first, last)
                                   : prime_range_work(first, last);
  }
  range_work one(std::uint64_t n) const override { return {1, prime_divisions(n), 0}; }
};

const bool registered = kernel_registry::add({
    "is_prime",
    "the lessons' trial division: odd divisors up to the square root, stopping at the first",
    {},
    [](const param_values&, const kernel_context&) { return std::make_unique<is_prime_kernel>(); },
});

}  // namespace
}  // namespace gilsim
