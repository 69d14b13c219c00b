#include "sim/os/run_report.hpp"

#include <algorithm>
#include <cmath>

namespace gilsim {

sample_summary summarize(std::vector<double> samples)
{
  sample_summary s;
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  s.count = long(samples.size());
  double sum = 0;
  for (double x : samples)
    sum += x;
  s.mean = sum / double(samples.size());
  // Nearest rank: the smallest sample with at least p% of the samples at or below it.
  auto rank = [&](double p) {
    size_t k = size_t(std::ceil(p / 100.0 * double(samples.size())));
    return samples[std::clamp<size_t>(k, 1, samples.size()) - 1];
  };
  s.p50 = rank(50);
  s.p99 = rank(99);
  s.max = samples.back();
  return s;
}

}  // namespace gilsim
