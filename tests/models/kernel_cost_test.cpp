// The kernel's cost by the bit length of n: a range is cut at powers of two and each piece's
// divisions costed at its size; knots interpolate linearly; a cost without knots is the plain
// per_division x divisions + per_item x items. And sleep_taken's table.
#include "models/cost/kernel_cost.hpp"

#include <catch2/catch.hpp>

using namespace gilsim;

namespace {

range_work counted(std::uint64_t a, std::uint64_t b) { return prime_range_work(a, b); }

}  // namespace

TEST_CASE("kernel cost: knots interpolate by bits and hold outside", "[cost]")
{
  kernel_cost c;
  c.by_bits = {{10, 60e-9}, {20, 80e-9}};
  CHECK(c.division_at(1) == Approx(60e-9));
  CHECK(c.division_at(10) == Approx(60e-9));
  CHECK(c.division_at(15) == Approx(70e-9));
  CHECK(c.division_at(20) == Approx(80e-9));
  CHECK(c.division_at(40) == Approx(80e-9));
  kernel_cost flat{37e-9, 70e-9, {}};
  CHECK(flat.division_at(30) == 37e-9);
}

TEST_CASE("kernel cost: a range is costed piece by piece at its numbers' bits", "[cost]")
{
  // 9..20 by hand (seed is_prime): 9: i=3 -> 1 division; 11: b=3 -> 1; 13: 1; 15: 1; 17: b=4 ->
  // 1; 19: 1; evens and no others: 6 divisions. 9..15 have 4 bits (4 divisions), 16..20 have 5
  // (17, 19: 2 divisions).
  REQUIRE(prime_range_work(9, 15).divisions == 4);
  REQUIRE(prime_range_work(16, 20).divisions == 2);
  kernel_cost c;
  c.per_item = 1.0;
  c.by_bits = {{4, 10.0}, {5, 100.0}};
  // 12 calls at 1 s, 4 divisions at 10 s, 2 at 100 s
  CHECK(kernel_range_seconds(c, 9, 20, counted) == Approx(12 + 40 + 200));
  kernel_cost flat{10.0, 1.0, {}};
  CHECK(kernel_range_seconds(flat, 9, 20, counted) == Approx(12 + 60));
  // A range within one bit length is one piece.
  int calls = 0;
  kernel_range_seconds(c, 16, 31, [&](std::uint64_t a, std::uint64_t b) {
    ++calls;
    return prime_range_work(a, b);
  });
  CHECK(calls == 1);
  calls = 0;
  kernel_range_seconds(c, 1, 1000, [&](std::uint64_t a, std::uint64_t b) {
    ++calls;
    return prime_range_work(a, b);
  });
  CHECK(calls == 10);  // 1, 2..3, 4..7, ..., 512..1000
}

TEST_CASE("python costs: sleep overshoot from the measured table", "[cost]")
{
  python_costs p;
  CHECK(p.sleep_taken(1e-3) == 1e-3);  // no table: exact
  p.sleep = {{100e-6, 180e-6}, {1e-3, 1.08e-3}};
  CHECK(p.sleep_taken(50e-6) == Approx(90e-6));                 // proportional below the first
  CHECK(p.sleep_taken(100e-6) == Approx(180e-6));
  CHECK(p.sleep_taken(550e-6) == Approx(180e-6 + 0.5 * 900e-6));  // halfway in between
  CHECK(p.sleep_taken(10e-3) == Approx(10.08e-3));              // the last overshoot beyond
}
