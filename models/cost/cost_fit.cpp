// Relative least squares for the kernel's two costs, and medians with their spread.
#include "models/cost/cost_fit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gilsim {
namespace {

double median_of(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void measure_errors(std::span<const timing_sample> samples, cost_fit& f)
{
  double sum_sq = 0;
  f.worst = 0;
  for (const auto& s : samples) {
    const double e = (s.divisions * f.per_division + s.items * f.per_item - s.seconds) / s.seconds;
    sum_sq += e * e;
    f.worst = std::max(f.worst, std::abs(e));
  }
  f.residual = std::sqrt(sum_sq / double(samples.size()));
}

}  // namespace

cost_fit fit_kernel_cost(std::span<const timing_sample> samples)
{
  if (samples.size() < 2)
    throw std::invalid_argument("fit_kernel_cost: needs two samples or more");
  // Dividing each equation d a + n b = t by t makes every residual relative: the normal
  // equations of sum (d/t a + n/t b - 1)^2.
  double dd = 0, dn = 0, nn = 0, d1 = 0, n1 = 0;
  for (const auto& s : samples) {
    if (!(s.seconds > 0) || s.divisions < 0 || s.items < 0)
      throw std::invalid_argument("fit_kernel_cost: a sample with no time or negative work");
    const double d = s.divisions / s.seconds, n = s.items / s.seconds;
    dd += d * d;
    dn += d * n;
    nn += n * n;
    d1 += d;
    n1 += n;
  }
  const double det = dd * nn - dn * dn;
  // Collinear work (every sample the same divisions per item) leaves det at rounding level.
  if (!(std::abs(det) > 1e-9 * dd * nn))
    throw std::invalid_argument("fit_kernel_cost: the samples cannot separate per_division from "
                                "per_item (they all have the same divisions per item)");
  cost_fit f;
  f.per_division = (d1 * nn - n1 * dn) / det;
  f.per_item = (n1 * dd - d1 * dn) / det;
  if (f.per_item < 0) {
    f = {d1 / dd, 0, 0, 0, true};
  } else if (f.per_division < 0) {
    f = {0, n1 / nn, 0, 0, true};
  }
  measure_errors(samples, f);
  return f;
}

sample_stats stats_of(std::vector<double> values)
{
  if (values.empty())
    throw std::invalid_argument("stats_of: no values");
  sample_stats s;
  s.runs = int(values.size());
  s.median = median_of(values);
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  std::vector<double> dev;
  dev.reserve(values.size());
  for (double v : values)
    dev.push_back(std::abs(v - s.median));
  s.spread = s.median != 0 ? median_of(dev) / std::abs(s.median) : 0;
  return s;
}

}  // namespace gilsim
