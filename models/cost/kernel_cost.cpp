#include "models/cost/kernel_cost.hpp"

#include <bit>

namespace gilsim {

int bit_length(std::uint64_t n) { return int(std::bit_width(n)); }

double kernel_range_seconds(const kernel_cost& c, std::uint64_t first, std::uint64_t last,
                            const range_work_fn& work)
{
  if (c.by_bits.empty()) {
    const range_work w = work(first, last);
    return double(w.divisions) * c.per_division + double(w.items) * c.per_item;
  }
  double seconds = 0;
  for (std::uint64_t lo = first; lo <= last;) {
    const int bits = bit_length(lo);
    // The last number with the same bit length as lo (2^bits - 1), or last.
    const std::uint64_t top = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    const std::uint64_t hi = std::min(top, last);
    const range_work w = work(lo, hi);
    seconds += double(w.divisions) * c.division_at(bits) + double(w.items) * c.per_item;
    if (hi == last)
      break;
    lo = hi + 1;
  }
  return seconds;
}

}  // namespace gilsim
