// The registry of work kernels: is_prime is found by name and counts the same exact work as the
// prime work model it stands on.
#include "models/cost/work_kernel.hpp"

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

using namespace gilsim;

TEST_CASE("kernels: is_prime is registered by name", "[kernel]")
{
  const auto& reg = kernel_registry::instance();
  REQUIRE(reg.find("is_prime"));
  REQUIRE_FALSE(reg.find("is-prime"));
  CHECK(reg.find("is_prime")->params.empty());
}

TEST_CASE("kernels: is_prime's work is the prime work model's", "[kernel]")
{
  const auto k = kernel_registry::instance().find("is_prime")->make({}, {});
  // 1..10: ten calls; 2, 3, 5, 7 are prime; among the odd numbers >= 5 only 9 reaches the loop
  // (int(sqrt(9)) = 3: one division, 9 % 3), 5 and 7 have an empty loop.
  CHECK(k->work(1, 10) == range_work{10, 1, 4});
  CHECK(k->work(1, 10) == prime_range_work(1, 10));
  CHECK(k->work(25, 25) == range_work{1, prime_divisions(25), 0});
  CHECK(k->work(1000, 5000) == prime_range_work(1000, 5000));
}

TEST_CASE("kernels: is_prime's single numbers count the divisions trial division finds", "[kernel]")
{
  // one(n) reads sieved windows of 2^16 numbers; each count must be prime_divisions(n) (a
  // trial division), in order across window ends, going back, far ahead, near the range
  // functions' limit, and once the windows are given up because the numbers jump about.
  const auto k = kernel_registry::instance().find("is_prime")->make({}, {});
  // Hand-counted: 9 = 3 x 3 stops at i = 3 (1 division), 25 at i = 5 (2), 49 at i = 7 (3);
  // 97 is prime, int(sqrt(97)) = 9: i = 3, 5, 7, 9 (4); 2, 4 and 1 reach no loop.
  for (auto [n, d] : {std::pair<std::uint64_t, std::uint64_t>{9, 1}, {25, 2}, {49, 3}, {97, 4},
                      {2, 0}, {4, 0}, {1, 0}})
    CHECK(k->one(n) == range_work{1, d, 0});
  std::vector<std::uint64_t> numbers;
  for (std::uint64_t n = 65000; n < 132000; ++n)  // across the end of the first window
    numbers.push_back(n);
  for (std::uint64_t n : {std::uint64_t{3}, std::uint64_t{999999937}, std::uint64_t{1000000007},
                          std::uint64_t{65535}, std::uint64_t{65536}, std::uint64_t{131071},
                          prime_work_max_last - 3, prime_work_max_last})
    numbers.push_back(n);
  for (std::uint64_t i = 0; i < 200; ++i)  // 200 windows of one number each: given up
    numbers.push_back(1000003 + i * 104729);
  numbers.push_back(131073);
  for (std::uint64_t n : numbers) {
    INFO("n = " << n);
    REQUIRE(k->one(n) == range_work{1, prime_divisions(n), 0});
  }
}
