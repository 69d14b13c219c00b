// gilsim validate: each configuration of the matrix timed for real (median of runs taken in
// rounds), then simulated from the profile in its own gilsim process, as SimGrid allows one
// engine per process; the table gives measured, predicted and the error.
#include "sim/calib/validate.hpp"

#include "models/cost/cost_fit.hpp"
#include "models/cost/prime_work.hpp"
#include "sim/calib/host_measure.hpp"
#include "sim/batch/sweep_detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <unistd.h>

namespace gilsim {
namespace {

struct sizes {
  std::array<std::uint64_t, 2> lasts;  // the ranges are [1, last]
  int runs;
};

sizes sizes_for(calibration_size size)
{
  switch (size) {
  case calibration_size::tiny: return {{20000, 50000}, 1};
  case calibration_size::quick: return {{300000, 1000000}, 5};
  case calibration_size::full: break;
  }
  return {{1000000, 4000000}, 7};
}

std::string describe(const native::parallel_run& r)
{
  return fmt::format("{:<9} {:<6} {:>2} {:<7} {:>12}", native::to_string(r.on),
                     native::to_string(r.how), r.workers, r.workers == 1 ? "worker" : "workers",
                     fmt::format("[{}, {}]", r.first, r.last));
}

std::string seconds(double s) { return fmt::format("{:.6g}us", s * 1e6); }

}  // namespace

namespace detail {

// Runs `gilsim args...` through the pool that runs a sweep's points, passes on what it printed
// on stderr, and returns its stdout; throws when it did not exit with 0.
std::string run_self(const std::vector<std::string>& args, std::ostream& progress,
                     const sweep::point_runner& runner)
{
  sweep::detail::process_pool pool(1);
  sweep::detail::start_gilsim(pool, 0, args, runner, "/proc/self/exe");
  const auto res = pool.wait_one();  // nullopt only once a sweep's interrupt_guard caught one
  if (!res)
    throw std::runtime_error("validate: interrupted");
  progress << res->err;
  if (res->exit_code != 0)
    throw std::runtime_error(
        fmt::format("validate: the simulation `gilsim {}` failed ({})", fmt::join(args, " "),
                    res->term_signal ? fmt::format("signal {}", res->term_signal)
                                     : fmt::format("exit code {}", res->exit_code)));
  return res->out;
}

std::vector<native::parallel_run> validate_matrix(int cores, calibration_size size)
{
  std::vector<int> workers = {1, 2, cores, 2 * cores};
  std::sort(workers.begin(), workers.end());
  workers.erase(std::unique(workers.begin(), workers.end()), workers.end());
  std::vector<native::parallel_run> out;
  for (std::uint64_t last : sizes_for(size).lasts)
    for (auto on : {native::runner::threads, native::runner::processes})
      for (auto how : {native::split::chunks, native::split::shared})
        for (int k : workers)
          out.push_back({1, last, k, how, on, 1000});
  return out;
}

std::string validate_scenario(const native::parallel_run& run, const host_profile& p)
{
  const bool procs = run.on == native::runner::processes;
  // The creator pays the start of each worker in turn; worker i runs once it is created.
  const double start = procs ? p.process_start.median : p.thread_start.median;
  std::string y = fmt::format("# gilsim validate: {}\nname: validate\nmachine: {{speed: host}}\n"
                              "scheduler: {{policy: cfs}}\n",
                              describe(run));
  if (run.how == native::split::shared)
    y += fmt::format("queues:\n  numbers: {{items: {{range: [{}, {}]}}, chunk: {}}}\n", run.first,
                     run.last, run.chunk);
  y += "processes:\n  - name: main\n    runtime: native\n    threads:\n";
  y += fmt::format("      - name: main\n        program: [{{cpu: {}}}]\n",
                   seconds(std::max(1e-9, start * run.workers)));
  const auto slices = split_range(run.first, run.last, std::uint64_t(run.workers));
  for (int i = 0; i < run.workers; ++i) {
    std::string work;
    if (run.how == native::split::shared)
      work = "{for_each: numbers, do: [{cpu: {kernel: is_prime}}]}";
    else if (!slices[size_t(i)].empty())
      work = fmt::format("{{cpu: {{kernel: is_prime, range: [{}, {}]}}}}", slices[size_t(i)].first,
                         slices[size_t(i)].last);
    else
      work = "{cpu: 1ns}";
    const double begins = start * (i + 1);
    if (procs) {
      // A child also pays its exit and its reaping by the parent.
      const double exit = std::max(1e-9, p.process_exit.median);
      y += fmt::format("  - name: worker-{}\n    runtime: native\n    start: {}\n    threads:\n"
                       "      - name: main\n        program: [{}, {{cpu: {}}}]\n",
                       i, seconds(begins), work, seconds(exit));
    } else {
      y += fmt::format("      - name: worker-{}\n        program: [{}{}]\n", i,
                       begins > 0 ? fmt::format("{{sleep: {}}}, ", seconds(begins)) : "", work);
    }
  }
  return y;
}

}  // namespace detail

int validate_command(const validate_options& opt, std::ostream& out, std::ostream& progress)
{
  const auto found = find_host_profile(opt.profile);
  if (!found)
    fail_input({"gilsim validate", 0, 0}, "--profile",
               "validate needs a host profile, and there is none in the default places: run "
               "gilsim calibrate, or give --profile FILE");
  const std::string profile_path = std::filesystem::absolute(*found).string();
  const host_profile p = read_host_profile(profile_path);
  const int cores = measure::online_cores();
  const auto matrix = detail::validate_matrix(cores, opt.size);
  const sizes sz = sizes_for(opt.size);
  const double load_before = measure::load_average();
  fmt::print(progress, "gilsim validate: {} configurations x {} runs on {} cores (profile {}, "
                       "load {:.2f})\n",
             matrix.size(), sz.runs, cores, profile_path, load_before);
  progress << measure::busy_warning(load_before, cores, "before",
                                    "the real timings are not to be trusted");

  // Runs in rounds over the whole matrix, so that a burst of load from elsewhere touches every
  // configuration a little rather than all runs of one.
  std::vector<std::uint64_t> primes;
  for (const auto& run : matrix)
    primes.push_back(prime_range_work(run.first, run.last).primes);
  std::vector<std::vector<double>> times(matrix.size());
  for (int round = 0; round < sz.runs; ++round) {
    fmt::print(progress, "  measuring: round {}/{}\n", round + 1, sz.runs);
    for (size_t k = 0; k < matrix.size(); ++k) {
      const double t0 = measure::wall_seconds();
      const std::uint64_t counted = native::count_primes_parallel(matrix[k]);
      times[k].push_back(measure::wall_seconds() - t0);
      if (counted != primes[k])
        throw std::runtime_error("validate: the kernel miscounted " + describe(matrix[k]));
    }
  }
  const double load_after = measure::load_average();
  progress << measure::busy_warning(load_after, cores, "after",
                                    "the real timings are not to be trusted");

  const auto dir = std::filesystem::temp_directory_path() /
                   fmt::format("gilsim-validate-{}", getpid());
  std::filesystem::create_directories(dir);
  std::vector<double> abs_errors;
  std::string rows;
  size_t worst = 0;
  for (size_t k = 0; k < matrix.size(); ++k) {
    fmt::print(progress, "  simulating {}/{}: {}\n", k + 1, matrix.size(), describe(matrix[k]));
    const auto file = dir / fmt::format("config-{}.yaml", k);
    std::ofstream(file) << detail::validate_scenario(matrix[k], p);
    const auto report = nlohmann::json::parse(
        detail::run_self({"run", file.string(), "--json", "--profile", profile_path}, progress,
                         opt.run_point));
    const double predicted = report.at("makespan_s").get<double>();
    const sample_stats measured = stats_of(times[k]);
    const double error = (predicted - measured.median) / measured.median;
    abs_errors.push_back(std::abs(error));
    if (abs_errors.back() > abs_errors[worst])
      worst = k;
    rows += fmt::format("| {} | {:9.2f} | {:7.1f} | {:9.2f} | {:+6.1f} |\n", describe(matrix[k]),
                        measured.median * 1e3, measured.spread * 100, predicted * 1e3,
                        error * 100);
  }
  std::filesystem::remove_all(dir);

  fmt::print(out, "| {:<40} | {:>9} | {:>7} | {:>9} | {:>6} |\n", "configuration", "measured",
             "spread%", "predicted", "error%");
  fmt::print(out, "| {:-<40} | {:->9} | {:->7} | {:->9} | {:->6} |\n", "", ":", ":", ":", ":");
  fmt::print(out, "{}", rows);
  fmt::print(out, "\nmedian |error| {:.1f}%, worst {:.1f}% ({}); {} configurations, median of "
                  "{} run{} each, times in ms; load {:.2f} before, {:.2f} after\n",
             stats_of(abs_errors).median * 100, abs_errors[worst] * 100, describe(matrix[worst]),
             matrix.size(), sz.runs, sz.runs == 1 ? "" : "s", load_before, load_after);
  return 0;
}

}  // namespace gilsim
