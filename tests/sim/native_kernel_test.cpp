// The real prime kernel: the seed's answers for small n, the prime counting function at 10^5 and
// 10^6, the exact work model's prime count, and every parallel runner agreeing with the serial one.
#include "models/cost/prime_work.hpp"
#include "sim/calib/native_kernel.hpp"

#include <catch2/catch.hpp>

using namespace gilsim;
using namespace gilsim::native;

TEST_CASE("native kernel: the seed's is_prime on small numbers", "[native]")
{
  // 0 and 1 are not prime; 2 and 3 are; even numbers are not; 9, 15, 25 are caught by the loop.
  const std::vector<std::uint64_t> primes = {2, 3, 5, 7, 11, 13, 97, 7919, 4294967291u};
  const std::vector<std::uint64_t> others = {0, 1, 4, 9, 15, 25, 49, 91, 7917, 4294967295u};
  for (auto n : primes)
    CHECK(is_prime(n));
  for (auto n : others)
    CHECK_FALSE(is_prime(n));
  // Above 2^32 the 64-bit loop takes over: 2^32 + 15 is prime, 2^32 + 1 = 641 x 6700417 is not.
  CHECK(is_prime((std::uint64_t{1} << 32) + 15));
  CHECK_FALSE(is_prime((std::uint64_t{1} << 32) + 1));
}

TEST_CASE("native kernel: pi(10^5) = 9592 and pi(10^6) = 78498", "[native]")
{
  CHECK(count_primes(1, 100000) == 9592);
  CHECK(count_primes(1, 1000000) == 78498);
  CHECK(count_primes(10, 9) == 0);
  const std::uint64_t big = std::uint64_t{1} << 28;
  CHECK(count_primes(big, big + 1000) == prime_range_work(big, big + 1000).primes);
}

TEST_CASE("native kernel: threads and processes, chunks and a shared counter, agree with the "
          "serial count",
          "[native]")
{
  const std::uint64_t first = 1000, last = 200000;
  const std::uint64_t serial = count_primes(first, last);
  REQUIRE(serial == prime_range_work(first, last).primes);
  for (auto on : {runner::threads, runner::processes}) {
    for (auto how : {split::chunks, split::shared}) {
      for (int workers : {1, 3, 4}) {
        INFO(to_string(on) << " " << to_string(how) << " " << workers);
        CHECK(count_primes_parallel({first, last, workers, how, on, 777}) == serial);
      }
    }
  }
  // More workers than numbers: the extra chunks are empty.
  CHECK(count_primes_parallel({2, 4, 8, split::chunks, runner::threads, 1}) == 2);
  CHECK_THROWS_AS(count_primes_parallel({1, 10, 0, split::chunks, runner::threads, 1}),
                  std::invalid_argument);
}
