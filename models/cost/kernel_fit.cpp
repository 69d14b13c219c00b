// Relative least squares for the prime kernel by bit length and for linear per-task costs.
#include "models/cost/kernel_fit.hpp"

#include "models/cost/cost_fit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gilsim {
namespace {

using matrix = std::vector<std::vector<double>>;

// Solves the normal equations of rows . x = 1 over the unknowns in `free` (the others are 0).
// Returns false when they are singular.
bool solve_free(const matrix& rows, const std::vector<size_t>& free, std::vector<double>& x)
{
  const size_t m = free.size();
  matrix a(m, std::vector<double>(m + 1, 0.0));
  for (const auto& r : rows)
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = 0; j < m; ++j)
        a[i][j] += r[free[i]] * r[free[j]];
      a[i][m] += r[free[i]];
    }
  double scale = 0;
  for (size_t i = 0; i < m; ++i)
    scale = std::max(scale, a[i][i]);
  for (size_t c = 0; c < m; ++c) {  // Gaussian elimination, partial pivoting
    size_t p = c;
    for (size_t i = c + 1; i < m; ++i)
      if (std::abs(a[i][c]) > std::abs(a[p][c]))
        p = i;
    if (!(std::abs(a[p][c]) > 1e-13 * scale))
      return false;
    std::swap(a[p], a[c]);
    for (size_t i = 0; i < m; ++i)
      if (i != c) {
        const double f = a[i][c] / a[c][c];
        for (size_t j = c; j <= m; ++j)
          a[i][j] -= f * a[c][j];
      }
  }
  std::fill(x.begin(), x.end(), 0.0);
  for (size_t i = 0; i < m; ++i)
    x[free[i]] = a[i][m] / a[i][i];
  return true;
}

// Least squares of rows . x = 1 with x >= 0: the most negative unknown is fixed at 0 and the
// rest refitted until none is negative.
std::vector<double> nonnegative_fit(const matrix& rows, size_t unknowns, bool& clamped)
{
  std::vector<size_t> free;
  for (size_t j = 0; j < unknowns; ++j)
    free.push_back(j);
  std::vector<double> x(unknowns, 0.0);
  clamped = false;
  while (!free.empty()) {
    if (!solve_free(rows, free, x))
      throw std::invalid_argument("the timed ranges cannot determine every coefficient of the "
                                  "fit (a knot no range reaches, or too few ranges)");
    auto worst = std::min_element(free.begin(), free.end(),
                                  [&](size_t a, size_t b) { return x[a] < x[b]; });
    if (x[*worst] >= 0)
      return x;
    clamped = true;
    x[*worst] = 0;
    free.erase(worst);
  }
  return x;
}

kernel_cost unit_cost(std::span<const int> knots, size_t j)
{
  kernel_cost c;
  c.per_item = j == 0 ? 1.0 : 0.0;
  for (size_t k = 0; k < knots.size(); ++k)
    c.by_bits.emplace_back(knots[k], j == k + 1 ? 1.0 : 0.0);
  return c;
}

}  // namespace

std::vector<int> knots_of(std::span<const range_timing> timings)
{
  std::vector<int> knots;
  for (const auto& t : timings)
    if (bit_length(t.first) == bit_length(t.last))
      knots.push_back(bit_length(t.first));
  std::sort(knots.begin(), knots.end());
  knots.erase(std::unique(knots.begin(), knots.end()), knots.end());
  return knots;
}

kernel_fit fit_kernel_by_bits(std::span<const range_timing> timings, std::span<const int> knots,
                              const range_work_fn& work)
{
  if (knots.empty() || !std::is_sorted(knots.begin(), knots.end()))
    throw std::invalid_argument("fit_kernel_by_bits: needs increasing knots");
  const size_t unknowns = knots.size() + 1;
  if (timings.size() < unknowns)
    throw std::invalid_argument("fit_kernel_by_bits: fewer ranges than coefficients");
  // Each range's prediction is linear in the coefficients: the row of its work under each unit
  // cost, divided by its time so that the residuals are relative.
  matrix rows;
  for (const auto& t : timings) {
    if (!(t.seconds > 0) || t.first > t.last)
      throw std::invalid_argument("fit_kernel_by_bits: a range with no time or no numbers");
    std::vector<double> r;
    for (size_t j = 0; j < unknowns; ++j)
      r.push_back(kernel_range_seconds(unit_cost(knots, j), t.first, t.last, work) / t.seconds);
    rows.push_back(std::move(r));
  }
  kernel_fit f;
  const std::vector<double> x = nonnegative_fit(rows, unknowns, f.clamped);
  f.cost.per_item = x[0];
  for (size_t k = 0; k < knots.size(); ++k)
    f.cost.by_bits.emplace_back(knots[k], x[k + 1]);
  double sum_sq = 0;
  for (const auto& t : timings) {
    const double e = (kernel_range_seconds(f.cost, t.first, t.last, work) - t.seconds) / t.seconds;
    f.errors.push_back(e);
    sum_sq += e * e;
    f.worst = std::max(f.worst, std::abs(e));
  }
  f.residual = std::sqrt(sum_sq / double(timings.size()));
  return f;
}

linear_cost fit_linear_cost(std::span<const std::pair<double, double>> points)
{
  // seconds = per_item x items + fixed x 1: the kernel fit's two terms. A point at or below zero
  // (a difference of noisy timings) says only "small": it is left out, and with one point left
  // the cost is all per task, with none there is none.
  std::vector<timing_sample> samples;
  for (const auto& [items, seconds] : points)
    if (seconds > 0)
      samples.push_back({items, 1.0, seconds});
  if (points.size() < 2)
    throw std::invalid_argument("fit_linear_cost: needs two points or more");
  if (samples.size() < 2)
    return {samples.empty() ? 0.0 : samples[0].seconds, 0};
  const cost_fit f = fit_kernel_cost(samples);
  return {f.per_item, f.per_division};
}

}  // namespace gilsim
