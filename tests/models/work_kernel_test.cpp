// The registry of work kernels: is_prime is found by name and counts the same exact work as the
// prime work model it stands on.
#include "models/cost/work_kernel.hpp"

#include <catch2/catch.hpp>

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
