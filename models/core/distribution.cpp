// Draws of random durations and arrival times (distribution.hpp).
#include "models/core/distribution.hpp"

#include <cmath>
#include <numbers>

namespace gilsim {

double unit_draw(std::mt19937_64& rng)
{
  return double(rng() >> 11) * 0x1p-53;
}

namespace {
// A standard normal draw (Box-Muller, the cosine half).
double normal_draw(std::mt19937_64& rng)
{
  const double r = std::sqrt(-2 * std::log1p(-unit_draw(rng)));
  return r * std::cos(2 * std::numbers::pi * unit_draw(rng));
}
} // namespace

double duration_dist::draw(std::mt19937_64& rng) const
{
  switch (kind) {
  case dist_kind::constant: return a;
  case dist_kind::exp: return -a * std::log1p(-unit_draw(rng));
  case dist_kind::uniform: return a + (b - a) * unit_draw(rng);
  case dist_kind::lognormal: {
    // ln X ~ N(mu, s2) with E[X] = a and sd(X) = b: s2 = ln(1 + b^2 / a^2), mu = ln a - s2 / 2
    const double s2 = std::log1p((b * b) / (a * a));
    return std::exp(std::log(a) - s2 / 2 + std::sqrt(s2) * normal_draw(rng));
  }
  case dist_kind::normal:
    // Truncated at 0 by redrawing: the loader asks for a mean > 0, so a draw is kept at
    // least half the time.
    for (;;)
      if (const double x = a + b * normal_draw(rng); x >= 0)
        return x;
  }
  return a;
}

std::vector<double> arrival_spec::make(std::uint64_t seed) const
{
  if (kind == arrival_kind::file)
    return times;
  std::vector<double> out;
  out.reserve(count);
  if (kind == arrival_kind::every) {
    for (std::uint64_t i = 0; i < count; ++i)
      out.push_back(double(i) * interval);
    return out;
  }
  // Poisson: exponential gaps of mean 1 / rate, the first request one gap after 0.
  std::mt19937_64 rng(seed ^ 0xA0761D6478BD642FULL);
  double t = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    t += -std::log1p(-unit_draw(rng)) / rate;
    out.push_back(t);
  }
  return out;
}

} // namespace gilsim
