// The fits of `calibrate --python` on synthetic timings: the prime kernel's per-division cost by
// bit length and per-item cost come back exactly from timings made with them, 1% noise moves them
// little, a negative coefficient is clamped, knots no range reaches are refused; linear per-task
// costs likewise.
#include "models/cost/kernel_fit.hpp"
#include "models/cost/prime_work.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <stdexcept>

using namespace gilsim;

namespace {

range_work exact(std::uint64_t a, std::uint64_t b) { return prime_range_work(a, b); }

// A CPython-like cost: divisions dearer as n grows (knots at the windows' bit lengths).
kernel_cost known_cost()
{
  return {0, 95e-9, {{11, 52e-9}, {15, 55e-9}, {19, 61e-9}, {21, 70e-9}, {23, 74e-9},
                     {25, 76e-9}, {27, 79e-9}, {29, 80e-9}}};
}

// Ranges like calibrate's: small ones, and windows at 2^k of numbers of k + 1 bits.
const number_range ranges[] = {
    {1, 1u << 8},          {1, 1u << 10},
    {1, 1u << 12},         {1, 1u << 14},
    {1, 1u << 16},         {1u << 10, (1u << 11) - 1},
    {1u << 14, (1u << 14) + (1u << 11)}, {1u << 18, (1u << 18) + (1u << 10)},
    {1u << 20, (1u << 20) + (1u << 10)}, {1u << 22, (1u << 22) + (1u << 9)},
    {1u << 24, (1u << 24) + (1u << 8)},  {1u << 26, (1u << 26) + (1u << 7)},
    {1u << 28, (1u << 28) + (1u << 6)}};

// The ranges timed at `c`, each off by a factor (1 + noise x u), u in [-1, 1].
std::vector<range_timing> timed(const kernel_cost& c, double noise)
{
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<range_timing> out;
  for (const auto& r : ranges)
    out.push_back({r.first, r.last,
                   kernel_range_seconds(c, r.first, r.last, exact) * (1 + noise * u(rng))});
  return out;
}

}  // namespace

TEST_CASE("kernel fit by bits: the knots are the windows' bit lengths", "[fit]")
{
  const auto t = timed(known_cost(), 0);
  // [1, 2^k] spans many bit lengths and gives no knot; [2^k, 2^k + w] gives k + 1.
  CHECK(knots_of(t) == std::vector<int>{11, 15, 19, 21, 23, 25, 27, 29});
}

TEST_CASE("kernel fit by bits: timings made from known costs give them back exactly", "[fit]")
{
  const kernel_cost c = known_cost();
  const auto t = timed(c, 0);
  const auto knots = knots_of(t);
  const kernel_fit f = fit_kernel_by_bits(t, knots, exact);
  CHECK(f.cost.per_item == Approx(c.per_item).epsilon(1e-9));
  REQUIRE(f.cost.by_bits.size() == c.by_bits.size());
  for (size_t k = 0; k < c.by_bits.size(); ++k) {
    CHECK(f.cost.by_bits[k].first == c.by_bits[k].first);
    CHECK(f.cost.by_bits[k].second == Approx(c.by_bits[k].second).epsilon(1e-9));
  }
  CHECK(f.residual < 1e-9);
  CHECK(f.worst < 1e-9);
  CHECK_FALSE(f.clamped);
  CHECK(f.errors.size() == t.size());
}

TEST_CASE("kernel fit by bits: 1% noise moves the costs little and shows in the residual",
          "[fit]")
{
  const kernel_cost c = known_cost();
  const auto t = timed(c, 0.01);
  const kernel_fit f = fit_kernel_by_bits(t, knots_of(t), exact);
  // Each coefficient rests on a range or two with 1% noise each: a few per cent at most.
  CHECK(f.cost.per_item == Approx(c.per_item).epsilon(0.05));
  for (size_t k = 0; k < c.by_bits.size(); ++k)
    CHECK(f.cost.by_bits[k].second == Approx(c.by_bits[k].second).epsilon(0.05));
  CHECK(f.residual > 0);
  CHECK(f.residual < 0.01);  // the fit can only do better than the truth on its own ranges
  CHECK(f.worst < 0.02);
  // A range it was not fitted on, [1, 10^6], is predicted within the noise.
  const double truth = kernel_range_seconds(c, 1, 1000000, exact);
  CHECK(kernel_range_seconds(f.cost, 1, 1000000, exact) == Approx(truth).epsilon(0.02));
}

TEST_CASE("kernel fit by bits: a negative coefficient is clamped, unreachable knots refused",
          "[fit]")
{
  kernel_cost c = known_cost();
  c.per_item = -20e-9;  // no real cost: what a fit of noisy small ranges can come to
  const auto t = timed(c, 0);
  const kernel_fit f = fit_kernel_by_bits(t, knots_of(t), exact);
  CHECK(f.clamped);
  CHECK(f.cost.per_item == 0);
  for (const auto& [bits, sec] : f.cost.by_bits)
    CHECK(sec >= 0);
  CHECK(f.worst > 0);

  const std::vector<int> unreachable{11, 40, 50};  // no range has numbers of 40 to 50 bits
  CHECK_THROWS_AS(fit_kernel_by_bits(t, unreachable, exact), std::invalid_argument);
  const std::vector<range_timing> one{{1, 100, 1e-6}};
  const std::vector<int> knot{7};
  CHECK_THROWS_AS(fit_kernel_by_bits(one, knot, exact), std::invalid_argument);
}

TEST_CASE("linear cost fit: fixed + per_item x chunk comes back exactly, noise moves it little",
          "[fit]")
{
  const double fixed = 40e-6, per_item = 1.5e-6;
  std::vector<std::pair<double, double>> points;
  for (double c : {1.0, 10.0, 100.0})
    points.emplace_back(c, fixed + per_item * c);
  linear_cost f = fit_linear_cost(points);
  CHECK(f.fixed == Approx(fixed).epsilon(1e-9));
  CHECK(f.per_item == Approx(per_item).epsilon(1e-9));

  // +-2% on each point: the fixed part rests on chunk 1 (41.5 us, 2% = 0.8 us), the per-item
  // part on chunk 100 (190 us, 2% = 3.8 us over 100 items).
  points = {{1, (fixed + per_item) * 1.02}, {10, (fixed + 10 * per_item) * 0.98},
            {100, (fixed + 100 * per_item) * 1.02}};
  f = fit_linear_cost(points);
  CHECK(f.fixed == Approx(fixed).epsilon(0.1));
  CHECK(f.per_item == Approx(per_item).epsilon(0.1));

  // A child's cost measured as a difference can come out at or below zero: such a point is left
  // out, the line goes through the others (20 us at 1, 25 us at 10: 5/9 us per item).
  points = {{1, 20e-6}, {10, 25e-6}, {100, 0.0}};
  f = fit_linear_cost(points);
  CHECK(f.per_item == Approx(5e-6 / 9).epsilon(1e-9));
  CHECK(f.fixed == Approx(20e-6 - 5e-6 / 9).epsilon(1e-9));
  points = {{1, 0.0}, {10, 30e-6}, {100, -1e-6}};
  f = fit_linear_cost(points);
  CHECK(f.fixed == Approx(30e-6));
  CHECK(f.per_item == 0);
  points = {{1, 0.0}, {10, 0.0}, {100, -1e-6}};
  f = fit_linear_cost(points);
  CHECK(f.fixed == 0);
  CHECK(f.per_item == 0);
  const std::vector<std::pair<double, double>> one_chunk{{10, 1e-5}, {10, 2e-5}};
  CHECK_THROWS_AS(fit_linear_cost(one_chunk), std::invalid_argument);
}
