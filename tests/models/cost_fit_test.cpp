// The kernel cost fit on synthetic timings: exact coefficients come back with no residual, noise
// moves them little and shows in the residual, a negative cost is clamped, one ratio is refused;
// and the median and spread of repeated runs.
#include "models/cost/cost_fit.hpp"
#include "models/cost/prime_work.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <stdexcept>

using namespace gilsim;

namespace {

// The work of ranges like calibrate's: small numbers and windows of large ones.
std::vector<timing_sample> synthetic(double per_division, double per_item)
{
  const number_range ranges[] = {{1, 1024},       {1, 8192},          {1, 65536},
                                 {1u << 20, (1u << 20) + 4096}, {1u << 28, (1u << 28) + 512}};
  std::vector<timing_sample> out;
  for (const auto& r : ranges) {
    const range_work w = prime_range_work(r);
    const double d = double(w.divisions), n = double(w.items);
    out.push_back({d, n, d * per_division + n * per_item});
  }
  return out;
}

}  // namespace

TEST_CASE("cost fit: timings made from known costs give them back with no residual", "[fit]")
{
  const auto samples = synthetic(2.3e-9, 1.7e-9);
  const cost_fit f = fit_kernel_cost(samples);
  CHECK(f.per_division == Approx(2.3e-9).epsilon(1e-9));
  CHECK(f.per_item == Approx(1.7e-9).epsilon(1e-9));
  CHECK(f.residual < 1e-9);
  CHECK(f.worst < 1e-9);
  CHECK_FALSE(f.clamped);
}

TEST_CASE("cost fit: CPython-like costs, with per-item weighing more, come back too", "[fit]")
{
  const cost_fit f = fit_kernel_cost(synthetic(37.2e-9, 71.2e-9));
  CHECK(f.per_division == Approx(37.2e-9).epsilon(1e-9));
  CHECK(f.per_item == Approx(71.2e-9).epsilon(1e-9));
}

TEST_CASE("cost fit: 3% noise moves per_division by less than that and shows in the residual",
          "[fit]")
{
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> noise(-0.03, 0.03);
  auto samples = synthetic(2.3e-9, 1.7e-9);
  for (auto& s : samples)
    s.seconds *= 1 + noise(rng);
  const cost_fit f = fit_kernel_cost(samples);
  CHECK(f.per_division == Approx(2.3e-9).epsilon(0.03));
  // per_item is pinned down by the small ranges only, so it moves more, but stays a cost.
  CHECK(f.per_item >= 0);
  CHECK(f.per_item == Approx(1.7e-9).epsilon(0.5));
  CHECK(f.residual > 0.001);
  CHECK(f.residual < 0.03);
  CHECK(f.worst <= 0.06);
}

TEST_CASE("cost fit: a negative per-item cost is clamped to zero and per_division refitted",
          "[fit]")
{
  const cost_fit f = fit_kernel_cost(synthetic(2.5e-9, -0.5e-9));
  CHECK(f.clamped);
  CHECK(f.per_item == 0);
  CHECK(f.per_division > 2.3e-9);
  CHECK(f.per_division < 2.5e-9);
  CHECK(f.residual > 0);
}

TEST_CASE("cost fit: samples that cannot separate the costs are refused", "[fit]")
{
  // The same divisions per item everywhere: any mix of the two costs fits.
  const std::vector<timing_sample> same_ratio = {{100, 10, 1e-6}, {200, 20, 2.1e-6}};
  CHECK_THROWS_AS(fit_kernel_cost(same_ratio), std::invalid_argument);
  CHECK_THROWS_AS(fit_kernel_cost(std::vector<timing_sample>{{100, 10, 1e-6}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(fit_kernel_cost(std::vector<timing_sample>{{100, 10, 0}, {5, 10, 1e-6}}),
                  std::invalid_argument);
}

TEST_CASE("stats: median, extremes and the median absolute deviation over the median", "[fit]")
{
  const sample_stats s = stats_of({3, 1, 100, 2, 4});
  CHECK(s.median == 3);
  CHECK(s.min == 1);
  CHECK(s.max == 100);
  CHECK(s.spread == Approx(1.0 / 3));  // deviations 0 1 1 2 97: median 1
  CHECK(s.runs == 5);
  CHECK(stats_of({2, 4}).median == 3);
  CHECK(stats_of({7}).spread == 0);
  CHECK_THROWS_AS(stats_of({}), std::invalid_argument);
}
