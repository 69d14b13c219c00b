// gilsim calibrate: the kernel's cost fitted on one core, multi-thread scaling, thread and process
// start, wake-up and switch costs, each repeated with its median and spread, into a host profile.
#include "sim/calib/calibrate.hpp"

#include "sim/calib/host_measure.hpp"
#include "sim/calib/native_kernel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fstream>
#include <functional>
#include <unistd.h>

namespace gilsim {
namespace {

// What each size does: runs per figure, and how long one timed run of the kernel lasts.
struct plan {
  int runs;                  // timings of every figure
  double fit_seconds;        // CPU time of one timing of a fit range
  std::uint64_t scaling_to;  // the scaling range is [1, scaling_to]
  int micro_batch;           // threads / processes per start sample
  int round_trips;           // per wake-up and switch sample
};

plan plan_for(calibration_size size)
{
  switch (size) {
  case calibration_size::tiny: return {3, 0.001, 1u << 16, 4, 200};
  case calibration_size::quick: return {5, 0.01, 1u << 20, 10, 2000};
  case calibration_size::full: break;
  }
  return {11, 0.04, 1u << 21, 20, 5000};
}

// A rough native cost, only to choose how many passes make a timing long enough.
double rough_seconds(const range_work& w)
{
  return double(w.divisions) * 3e-9 + double(w.items) * 2e-9;
}

volatile std::uint64_t sink;  // keeps the kernel's answers alive

// A kernel cost fitted to the ranges' median timings; `spreads` are the ranges' spreads.
fitted_cost fitted(const std::vector<timing_sample>& samples, const std::vector<double>& spreads,
                   std::string runtime)
{
  fitted_cost c;
  c.fit = fit_kernel_cost(samples);
  c.cost = {c.fit.per_division, c.fit.per_item, {}};
  c.ranges = int(samples.size());
  c.spread = stats_of(spreads).median;
  c.runtime = std::move(runtime);
  return c;
}

// The fit: every range timed `runs` times in rounds (so a burst of noise from other processes
// hits all ranges alike rather than all runs of one), each timing `passes` passes in thread CPU
// time, so that time the OS gives to others is not counted.
fitted_cost fit_native(const plan& pl, std::ostream& progress)
{
  const auto ranges = detail::native_fit_ranges();
  std::vector<range_work> work;
  std::vector<long> passes;
  for (const auto& r : ranges) {
    work.push_back(prime_range_work(r));
    passes.push_back(std::max(1L, std::lround(pl.fit_seconds / rough_seconds(work.back()))));
  }
  std::vector<std::vector<double>> times(ranges.size());
  for (int run = 0; run < pl.runs; ++run) {
    for (size_t k = 0; k < ranges.size(); ++k) {
      const double t0 = measure::thread_cpu_seconds();
      for (long p = 0; p < passes[k]; ++p)
        sink = native::count_primes(ranges[k].first, ranges[k].last);
      times[k].push_back((measure::thread_cpu_seconds() - t0) / double(passes[k]));
    }
  }
  std::vector<timing_sample> samples;
  std::vector<double> spreads;
  for (size_t k = 0; k < ranges.size(); ++k) {
    const sample_stats s = stats_of(times[k]);
    samples.push_back({double(work[k].divisions), double(work[k].items), s.median});
    spreads.push_back(s.spread);
  }
  const fitted_cost c = fitted(samples, spreads, "C++ is_prime (" + measure::compiler() + ")");
  fmt::print(progress, "  per division {:.3f} ns, per item {:.3f} ns (residual {:.1f}%, worst "
                       "{:.1f}%, spread of runs {:.1f}%)\n",
             c.cost.per_division * 1e9, c.cost.per_item * 1e9, c.fit.residual * 100,
             c.fit.worst * 100, c.spread * 100);
  return c;
}

std::vector<double> samples(int runs, const std::function<double()>& sample)
{
  std::vector<double> v;
  for (int i = 0; i < runs; ++i)
    v.push_back(sample());
  return v;
}

sample_stats repeat(int runs, const std::function<double()>& sample)
{
  return stats_of(samples(runs, sample));
}

void print_figure(std::ostream& progress, const char* name, const sample_stats& s)
{
  fmt::print(progress, "  {:<15} {:8.2f} us  (spread {:.1f}%, {} runs)\n", name, s.median * 1e6,
             s.spread * 100, s.runs);
}

// The same range on 1 .. 2 x cores threads taking chunks from a shared counter, wall clock.
std::vector<scaling_point> measure_scaling(const plan& pl, int cores, std::ostream& progress)
{
  const int most = 2 * cores;
  std::vector<std::vector<double>> times(static_cast<size_t>(most));
  for (int run = 0; run < pl.runs; ++run) {
    for (int k = 1; k <= most; ++k) {
      native::parallel_run r{1, pl.scaling_to, k, native::split::shared, native::runner::threads};
      const double t0 = measure::wall_seconds();
      sink = native::count_primes_parallel(r);
      times[size_t(k - 1)].push_back(measure::wall_seconds() - t0);
    }
  }
  std::vector<scaling_point> out;
  for (int k = 1; k <= most; ++k) {
    scaling_point s{k, stats_of(times[size_t(k - 1)]), 0};
    s.speedup = out.empty() ? 1.0 : out[0].seconds.median / s.seconds.median;
    out.push_back(s);
    fmt::print(progress, "  {} thread{}: {:.2f} ms, speedup {:.2f} (spread {:.1f}%)\n", k,
               k == 1 ? " " : "s", s.seconds.median * 1e3, s.speedup, s.seconds.spread * 100);
  }
  return out;
}

// A warning when the machine is busy: other processes' load makes every figure slower and
// noisier.
void warn_if_busy(const char* when, int cores, std::ostream& progress)
{
  progress << measure::busy_warning(measure::load_average(), cores, when,
                                    "the figures will be slow and noisy");
}

std::string utc_now()
{
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string to_string(calibration_size s)
{
  return s == calibration_size::full ? "full" : s == calibration_size::quick ? "quick" : "tiny";
}

namespace detail {

std::vector<number_range> native_fit_ranges()
{
  // Small numbers (10 to 30 divisions per item), where the per-item cost weighs most, and
  // windows of large ones (50 to 1400), where divisions dominate; all below 2^32, where the
  // kernel divides in 32 bits as it does for any range a scenario is likely to use. Ranges of
  // smaller numbers are left out: there most loops run 0 to 3 turns, which the branch predictor
  // learns, and their cost falls 10-20% below any line through the others (docs/calibration.md).
  return {{1, 1u << 14},
          {1, 1u << 16},
          {1, 1u << 18},
          {1u << 18, (1u << 18) + (1u << 16)},
          {1u << 20, (1u << 20) + (1u << 14)},
          {1u << 22, (1u << 22) + (1u << 13)},
          {1u << 24, (1u << 24) + (1u << 12)},
          {1u << 28, (1u << 28) + (1u << 11)},
          {1u << 31, (1u << 31) + (1u << 10)}};
}

}  // namespace detail

host_profile calibrate_host(calibration_size size, const std::vector<std::string>& pythons,
                            std::ostream& progress)
{
  const plan pl = plan_for(size);
  host_profile p;
  p.cpu = measure::cpu_model();
  p.cores = measure::online_cores();
  p.kernel = measure::kernel_version();
  p.compiler = measure::compiler();
  p.gilsim = measure::gilsim_version();
  p.date = utc_now();
  p.mode = to_string(size);
  p.repetitions = pl.runs;
  p.load_average = measure::load_average();
  fmt::print(progress, "gilsim calibrate ({}): {}, {} cores, load {:.2f}\n", p.mode, p.cpu,
             p.cores, p.load_average);
  warn_if_busy("before calibration", p.cores, progress);

  fmt::print(progress, "[1/5] the prime kernel on one core: {} ranges x {} runs\n",
             detail::native_fit_ranges().size(), pl.runs);
  p.native = fit_native(pl, progress);

  fmt::print(progress, "[2/5] scaling on 1 .. {} threads over [1, {}]\n", 2 * p.cores,
             pl.scaling_to);
  p.scaling = measure_scaling(pl, p.cores, progress);

  fmt::print(progress, "[3/5] thread and process start\n");
  p.thread_start = repeat(pl.runs, [&] { return measure::thread_start(pl.micro_batch); });
  print_figure(progress, "thread start", p.thread_start);
  p.process_start = repeat(pl.runs, [&] { return measure::process_start(pl.micro_batch); });
  print_figure(progress, "fork", p.process_start);
  // The exit and reaping: what each whole round trip costs beyond the fork call's median.
  auto exits = samples(pl.runs, [&] { return measure::process_round_trip(pl.micro_batch); });
  for (double& v : exits)
    v = std::max(0.0, v - p.process_start.median);
  p.process_exit = stats_of(exits);
  print_figure(progress, "exit and reap", p.process_exit);

  fmt::print(progress, "[4/5] wake-up latency and context switch\n");
  p.wakeup_latency = repeat(pl.runs, [&] { return measure::wakeup_latency(pl.round_trips); });
  print_figure(progress, "wake-up", p.wakeup_latency);
  p.context_switch = repeat(pl.runs, [&] { return measure::context_switch(pl.round_trips); });
  if (p.context_switch.median < 0) {
    p.context_switch = {2e-6, 2e-6, 2e-6, 0, 0};
    fmt::print(progress, "  context switch: threads cannot be pinned here; keeping 2 us\n");
  } else {
    print_figure(progress, "context switch", p.context_switch);
  }

  fmt::print(progress, "[5/5] Python: the probe's micro-programs under {} interpreter{}\n",
             pythons.size(), pythons.size() == 1 ? "" : "s");
  detail::measure_pythons(pythons, size, pl.runs, p, progress);
  warn_if_busy("after calibration", p.cores, progress);
  return p;
}

int calibrate_command(const calibrate_options& opt, std::ostream& out, std::ostream& progress)
{
  const std::filesystem::path path =
      opt.out.empty() ? default_profile_path() : std::filesystem::path(opt.out);
  // A place that cannot take the profile is found out before a minute of measuring.
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (access(dir.c_str(), W_OK) != 0)
    fail_input({path.string(), 0, 0}, "--out", "cannot write the host profile there");
  const double t0 = measure::wall_seconds();
  const std::vector<std::string> pythons =
      opt.pythons.empty() ? std::vector<std::string>{"python3"} : opt.pythons;
  for (const auto& py : opt.pythons)  // a named interpreter that is not there: before measuring
    if (detail::resolve_python(py).empty())
      fail_input({py, 0, 0}, "--python", "no such interpreter (not a file, not on the PATH)");
  const host_profile p = calibrate_host(opt.size, pythons, progress);
  std::ofstream file(path, std::ios::binary);
  file << profile_yaml(p);
  file.close();
  if (!file)
    fail_input({path.string(), 0, 0}, "--out", "cannot write the host profile there");
  fmt::print(out, "wrote {} in {:.1f} s: native {:.3f} ns/division, {:.3f} ns/item", path.string(),
             measure::wall_seconds() - t0, p.native.cost.per_division * 1e9,
             p.native.cost.per_item * 1e9);
  for (const auto& s : p.pythons)
    fmt::print(out, "; {} {} {:.2f} ns/division (one line), {:.2f} ns/item", s.implementation,
               s.costs.interpreter, s.costs.prime->per_division * 1e9,
               s.costs.prime->per_item * 1e9);
  fmt::print(out, "\n");
  return 0;
}

}  // namespace gilsim
