// The exact work of the lessons' prime kernel (the seed's is_prime), counted without running it:
// trial divisions per number, and totals per range or per chunk from a segmented sieve, cached.
//
// The kernel, as written in the seed (multi_tasking/helper/primes.py):
//
//   def is_prime(n):
//       if n in [2, 3]: return True
//       elif n <= 1 or n % 2 == 0: return False
//       else:
//           for i in range(3, int(math.sqrt(n)) + 1, 2):
//               if n % i == 0: return False
//           return True
//
// What it does, read exactly ("divisions" = the `n % i` inside the loop; the single `n % 2`
// before it is a constant per item and belongs to ns_per_item, with the call and the tests):
//   - n = 2 or 3: returns True at the first test, 0 divisions (no `n % 2` either).
//   - n <= 1: returns False, 0 divisions (`or` short-circuits, no `n % 2`).
//   - even n >= 4: returns False after `n % 2`, 0 divisions.
//   - odd n >= 5, with b = int(math.sqrt(n)) and spf = the smallest prime factor of n:
//       divisions = min((spf - 1) / 2, floor((b - 1) / 2))
//     i.e. (spf - 1) / 2 for an odd composite (it stops at i = spf, the ((spf-1)/2)-th odd i
//     from 3), and the count of odd i in [3, b] for a prime (the loop runs out). 5 and 7 have
//     b = 2, an empty loop, 0 divisions. This agrees with docs/model.md section 6.
//   - The seed's bound is a float: int(math.sqrt(n)). For n < 2^52 it equals the exact integer
//     square root (sqrt(k^2 - 1) is further below k than half a double's spacing there), so the
//     range functions, limited to last <= prime_work_max_last < 2^52, use integer isqrt only.
//     prime_divisions(n) above that reproduces the float bound, as the seed's code wins.
//
// Source: github.com/1amG4bor/concurrency-in-python, multi_tasking/helper/primes.py (seed 004).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gilsim {

// An inclusive range of numbers [first, last]; empty when first > last.
struct number_range {
  std::uint64_t first = 0;
  std::uint64_t last = 0;

  bool empty() const { return first > last; }
  std::uint64_t size() const { return empty() ? 0 : last - first + 1; }
  bool operator==(const number_range&) const = default;
};

// The work of is_prime over a set of numbers: calls, loop divisions, and True answers.
struct range_work {
  std::uint64_t items = 0;      // is_prime calls (one per number)
  std::uint64_t divisions = 0;  // `n % i` inside the loop, summed
  std::uint64_t primes = 0;     // numbers for which is_prime returns True
  bool operator==(const range_work&) const = default;
};

// The largest `last` the range functions accept: below 2^52 the seed's float bound equals isqrt
// (see above), and the time grows linearly (about a second per 10^8 numbers), so anything near
// the limit is impractical anyway. Larger values are rejected with std::invalid_argument.
inline constexpr std::uint64_t prime_work_max_last = (std::uint64_t{1} << 52) - 1;

// Loop divisions of the seed's is_prime(n). Finds spf by trial division over 6k +- 1 up to the
// seed's bound, so it costs O(sqrt(n)) (fine to 10^12 or so); use the range functions for many n.
std::uint64_t prime_divisions(std::uint64_t n);

// Totals over [first, last] from a segmented smallest-prime-factor sieve: memory is bounded by
// one segment (512 KiB) plus the primes up to sqrt(last); 1..10^8 takes well under a second.
range_work prime_range_work(std::uint64_t first, std::uint64_t last);
range_work prime_range_work(number_range r);

// The work of each range, in order. Ranges may be empty, overlap or come in any order; adjacent
// chunks cost one pass over their union, as each segment is sieved once for the chunk it is in.
std::vector<range_work> prime_chunks_work(std::span<const number_range> chunks);

// Splits [first, last] into k contiguous chunks, in order, whose sizes differ by at most one:
// with q = size / k and m = size % k, the first m chunks get q + 1 numbers and the others q
// (trailing chunks are empty when k > size). Throws std::invalid_argument when k == 0.
//
// The lessons split differently, and the simulator can pass their chunks explicitly instead:
//   - v_multi_processing._get_chunks: chunk size ceil(size / k), the last chunk takes what is
//     left, so there can be fewer than k chunks (size 10, k 6 -> 2,2,2,2,2);
//   - vii_final_test.calc_primes: c = max_num // k, worker i gets range(i*c + 1, (i+1)*c), so
//     each chunk skips its last number (a multiple of c) and the remainder max_num % k is dropped.
std::vector<number_range> split_range(std::uint64_t first, std::uint64_t last, std::uint64_t k);

// prime_chunks_work(split_range(first, last, k)).
std::vector<range_work> prime_split_work(std::uint64_t first, std::uint64_t last, std::uint64_t k);

// Loop divisions of each number in [first, last], in order, for ranges simulated item by item.
// At most prime_divisions_each_max items (64 MiB of result); larger ranges throw.
inline constexpr std::uint64_t prime_divisions_each_max = std::uint64_t{1} << 24;
std::vector<std::uint32_t> prime_divisions_each(std::uint64_t first, std::uint64_t last);

// As prime_range_work / prime_chunks_work, but kept across runs in a small text file keyed by
// (format version, first, last). The cache never makes a call fail: an unreadable, corrupt or
// unwritable cache is ignored (and rewritten when possible), and the figures are computed.
range_work prime_range_work_cached(std::uint64_t first, std::uint64_t last);
std::vector<range_work> prime_chunks_work_cached(std::span<const number_range> chunks);

// The cache file: $GILSIM_CACHE_DIR/, else $XDG_CACHE_HOME/gilsim/, else $HOME/.cache/gilsim/,
// then prime_work.v1.txt; nullopt when no variable gives a directory.
std::optional<std::filesystem::path> prime_work_cache_file();

namespace detail {
// floor(sqrt(n)), exact for every 64-bit n.
std::uint64_t isqrt(std::uint64_t n);
// The seed's int(math.sqrt(n)): isqrt(n) below 2^52, the double computation above.
std::uint64_t seed_sqrt_bound(std::uint64_t n);
// One cache file line (with its check value and newline), so tests can plant entries.
std::string prime_cache_line(const number_range& r, const range_work& w);
}  // namespace detail

}  // namespace gilsim
