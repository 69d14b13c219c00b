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

latency_report summarize_latency(const std::vector<std::pair<double, std::uint64_t>>& given,
                                 double span_s)
{
  latency_report r;
  // In order already when every request was queued at the start (their latencies are the
  // times they were done): a copy to sort only otherwise.
  std::vector<std::pair<double, std::uint64_t>> sorted;
  if (!std::is_sorted(given.begin(), given.end())) {
    sorted = given;
    std::sort(sorted.begin(), sorted.end());
  }
  const auto& samples = sorted.empty() ? given : sorted;
  double sum = 0;
  for (const auto& [x, n] : samples) {
    r.count += n;
    sum += x * double(n);
  }
  if (r.count == 0)
    return r;
  r.mean_s = sum / double(r.count);
  // Nearest rank over the requests (a sample stands for n of them), as summarize's.
  auto rank = [&](double p) {
    const std::uint64_t k =
        std::clamp<std::uint64_t>(std::uint64_t(std::ceil(p / 100.0 * double(r.count))), 1, r.count);
    std::uint64_t seen = 0;
    for (const auto& [x, n] : samples)
      if ((seen += n) >= k)
        return x;
    return samples.back().first;
  };
  r.p50_s = rank(50);
  r.p90_s = rank(90);
  r.p99_s = rank(99);
  r.throughput_per_s = span_s > 0 ? double(r.count) / span_s : 0;
  return r;
}

}  // namespace gilsim

namespace gilsim {

job_figures job_of(const thread_report& t)
{
  job_figures j;
  j.response_s = (t.first_run_s < 0 ? t.end_s : t.first_run_s) - t.start_s;
  j.turnaround_s = t.end_s - t.start_s;
  j.wait_s = t.ready_wait_s;
  return j;
}

bool is_job(const thread_report& t) { return !t.daemon; }

jobs_summary summarize_jobs(const run_report& r)
{
  jobs_summary s;
  for (const auto& t : r.threads) {
    if (!is_job(t))
      continue;
    job_figures j = job_of(t);
    ++s.count;
    s.mean_response_s += j.response_s;
    s.mean_turnaround_s += j.turnaround_s;
    s.mean_wait_s += j.wait_s;
  }
  if (s.count > 0) {
    s.mean_response_s /= double(s.count);
    s.mean_turnaround_s /= double(s.count);
    s.mean_wait_s /= double(s.count);
  }
  return s;
}

}  // namespace gilsim
