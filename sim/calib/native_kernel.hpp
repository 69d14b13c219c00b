// The lessons' is_prime run for real, compiled with the build's optimisation: serially, on
// std::threads (static chunks or a shared counter) and on fork()ed processes, to time the host.
//
// The kernel does exactly the work models/prime_work counts (one `n % i` per loop turn, the
// seed's int(sqrt(n)) bound), so a measured time divides into divisions and items without
// guessing. Numbers below 2^32 are divided in 32 bits, as a C programmer would write it: the
// divisions are the same, only their cost differs, and the calibration fits that cost.
#pragma once

#include <cstdint>
#include <string>

namespace gilsim::native {

// The seed's is_prime(n).
bool is_prime(std::uint64_t n);

// is_prime over [first, last]: how many are prime. Empty when first > last.
std::uint64_t count_primes(std::uint64_t first, std::uint64_t last);

// How the numbers are shared among workers.
enum class split {
  chunks,  // worker i takes the i-th of split_range(first, last, workers)
  shared,  // workers take `chunk` numbers at a time from one atomic counter
};

// How the workers run.
enum class runner {
  threads,    // std::thread in this process
  processes,  // fork()ed children, counts back through a pipe
};

struct parallel_run {
  std::uint64_t first = 1, last = 0;
  int workers = 1;
  split how = split::chunks;
  runner on = runner::threads;
  std::uint64_t chunk = 1000;  // split::shared only
};

// Runs the configuration and returns the prime count; the caller times it. Workers are started
// one after the other by this thread, which then waits for all of them. A failed fork, pipe or
// thread start throws std::runtime_error.
std::uint64_t count_primes_parallel(const parallel_run& run);

std::string to_string(split s);
std::string to_string(runner r);

}  // namespace gilsim::native
