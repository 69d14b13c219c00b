// is_prime: the lessons' trial division (the seed's multi_tasking/helper/primes.py), whose exact
// work models/cost/prime_work.hpp counts: one call per number, and the `n % i` of its loop. Long
// ranges come from the cache of earlier runs, as the simulated OS takes them.
#include "models/cost/work_kernel.hpp"

#include <vector>

namespace gilsim {
namespace {

// prime_divisions(n) of the single numbers a run simulated item by item costs, from sieved
// windows of 2^16 numbers (16 of them kept, by window) rather than a trial division each: the
// numbers of a queue come in order, so each window is sieved once. Where the numbers jump about
// too much for the windows to pay (fewer than 1024 uses per window sieved, after 64 windows),
// and near the range functions' limit, it divides as prime_divisions does. The same counts
// either way (prime_divisions_each is checked against prime_divisions).
class single_divisions {
public:
  std::uint64_t of(std::uint64_t n)
  {
    if (off_ || n > prime_work_max_last - window_size)
      return prime_divisions(n);
    const std::uint64_t index = n >> window_bits;
    slot& s = slots_[size_t(index % slot_count)];
    if (s.window != index) {
      if (++misses_ > 64 && misses_ * 1024 > hits_) {
        off_ = true;
        slots_.clear();
        return prime_divisions(n);
      }
      s.divisions = prime_divisions_each(index << window_bits, ((index + 1) << window_bits) - 1);
      s.window = index;
    }
    ++hits_;
    return s.divisions[size_t(n & (window_size - 1))];
  }

private:
  static constexpr unsigned window_bits = 16;
  static constexpr std::uint64_t window_size = std::uint64_t{1} << window_bits;
  static constexpr std::size_t slot_count = 16;
  struct slot {
    std::uint64_t window = ~std::uint64_t{0};  // which window it holds (n >> window_bits)
    std::vector<std::uint32_t> divisions;
  };
  std::vector<slot> slots_ = std::vector<slot>(slot_count);
  std::uint64_t hits_ = 0, misses_ = 0;
  bool off_ = false;  // the windows did not pay: divide
};

class is_prime_kernel final : public work_kernel {
public:
  range_work work(std::uint64_t first, std::uint64_t last) const override
  {
    return last - first >= 1000000 ? prime_range_work_cached(first, last)
                                   : prime_range_work(first, last);
  }
  // A kernel is made per run (the OS's kernels), so its windows are that run's.
  range_work one(std::uint64_t n) const override { return {1, singles_.of(n), 0}; }

private:
  mutable single_divisions singles_;
};

const bool registered = kernel_registry::add({
    "is_prime",
    "the lessons' trial division: odd divisors up to the square root, stopping at the first",
    {},
    [](const param_values&, const kernel_context&) { return std::make_unique<is_prime_kernel>(); },
});

}  // namespace
}  // namespace gilsim
