// An interpreter's costs from the probe's timings: the medians of their runs, the prime kernel
// fitted by the bit length of n, and the pools' per-task costs fitted against their chunk size.
#include "sim/calib/python_probe.hpp"

#include "models/cost/kernel_fit.hpp"
#include "sim/load/profile_python.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <stdexcept>

namespace gilsim::detail {
namespace {

using section = host_profile::python_section;

// The knots the kernel's cost is fitted at: one for every n below 2^17 (the cost per division
// is flat there: about 64 ns on CPython 3.12 up to 2^18, docs/model.md section 6, and the short
// windows of small numbers are too noisy to set a knot each), then one at each window's bit
// length from 19 bits on, where it grows.
std::vector<int> prime_knots(const std::vector<int>& windows)
{
  std::vector<int> knots;
  for (int b : windows)
    if (b >= 19)
      knots.push_back(b);
  if (windows.empty() || windows.front() < 19)
    knots.insert(knots.begin(), 17);
  return knots;
}

// The is_prime ranges: each count checked against the exact work, the medians of those not held
// out fitted by bits; the residual and worst are over every range, held out or not.
void fit_prime(const std::vector<const probe_figure*>& ranges,
               const std::vector<number_range>& held_out, section& s)
{
  std::vector<range_timing> timings, checks;
  std::vector<timing_sample> line;
  const auto work = [](std::uint64_t a, std::uint64_t b) { return prime_range_work(a, b); };
  for (const probe_figure* f : ranges) {
    const range_work w = prime_range_work(f->first, f->last);
    // The count proves the probe ran the same kernel over the same numbers.
    if (f->primes != w.primes)
      throw std::runtime_error(fmt::format("the probe counted {} primes in [{}, {}], not {}: "
                                           "not the seed's is_prime",
                                           f->primes, f->first, f->last, w.primes));
    const sample_stats st = stats_of(f->runs);
    const number_range r{f->first, f->last};
    const bool check = std::find(held_out.begin(), held_out.end(), r) != held_out.end();
    s.stats[(check ? prime_check_stats_key : prime_stats_key)(f->first, f->last)] = st;
    (check ? checks : timings).push_back({f->first, f->last, st.median});
    if (!check)
      line.push_back({double(w.divisions), double(w.items), st.median});
  }
  const kernel_fit fit = fit_kernel_by_bits(timings, prime_knots(knots_of(timings)), work);
  const cost_fit straight = fit_kernel_cost(line);
  s.costs.prime = fit.cost;
  s.costs.prime->per_division = straight.per_division;  // for reading: by_bits is what counts
  double sum_sq = fit.residual * fit.residual * double(timings.size()), worst = fit.worst;
  for (const auto& t : checks) {
    const double predicted = kernel_range_seconds(fit.cost, t.first, t.last, work);
    const double e = (predicted - t.seconds) / t.seconds;
    sum_sq += e * e;
    worst = std::max(worst, std::abs(e));
  }
  const double residual = std::sqrt(sum_sq / double(timings.size() + checks.size()));
  s.prime_fit = {straight.per_division, straight.per_item, residual, worst, fit.clamped};
}

// fixed + per_item x chunk for each pool and side, from the per-task medians by chunk size.
// The sleep table a probe figure fills ("sleep", "asyncio_sleep"), or none.
const python_sleep_table* sleep_table_named(const std::string& figure)
{
  for (const auto& t : python_sleep_tables())
    if (figure == t.key)
      return &t;
  return nullptr;
}

void fit_pools(const std::vector<const probe_figure*>& figures, section& s)
{
  std::map<std::string, std::vector<std::pair<double, double>>> points;
  for (const probe_figure* f : figures) {
    const auto dot = f->figure.find('.');
    const sample_stats st = stats_of(f->runs);
    s.stats[pool_stats_key(f->figure.substr(0, dot), f->figure.substr(dot + 1), f->chunksize)] =
        st;
    points[f->figure].emplace_back(double(f->chunksize), st.median);
  }
  for (auto& [name, pool] : std::map<std::string, pool_task_costs*>{
           {"executor_pool", &s.costs.executor_pool}, {"mp_pool", &s.costs.mp_pool}}) {
    if (points.count(name + ".parent"))
      pool->parent = fit_linear_cost(points[name + ".parent"]);
    if (points.count(name + ".child"))
      pool->child = fit_linear_cost(points[name + ".child"]);
  }
}

// Whether a figure is CPU work that follows the host's speed (python_figure::cpu).
bool cpu_figure(const probe_figure& f)
{
  if (f.figure == "prime" || f.chunksize > 0)
    return true;
  const python_figure* p = python_scalar_figure(f.figure);
  return p && p->cpu;
}

// The figures with every CPU run timed beside speed marks brought to the host's speed of the
// whole calibration (the median of every mark): run x reference / speed. The host's speed
// drifts by 10-20% over minutes; without this, each figure would carry the speed of the moment
// it was timed, and the figures of one profile would disagree with each other.
std::vector<probe_figure> normalised(const probe_output& out)
{
  std::vector<double> marks;
  for (const auto& f : out.figures)
    if (f.figure == "reference")
      marks = f.runs;
  std::vector<probe_figure> figures = out.figures;
  if (marks.empty())
    return figures;
  const double reference = stats_of(marks).median;
  for (auto& f : figures)
    if (!f.speeds.empty() && cpu_figure(f))
      for (size_t k = 0; k < f.runs.size(); ++k)
        f.runs[k] *= reference / f.speeds[k];
  return figures;
}

}  // namespace

host_profile::python_section python_section_of(const probe_output& out,
                                               const std::vector<number_range>& held_out)
{
  section s;
  s.costs.interpreter = out.interpreter;
  s.costs.version = out.version;
  s.implementation = out.implementation;
  s.executable = out.executable;
  std::vector<const probe_figure*> primes, pools;
  const std::vector<probe_figure> figures = normalised(out);
  for (const auto& f : figures) {
    if (f.figure == "prime") {
      primes.push_back(&f);
    } else if (f.chunksize > 0) {
      pools.push_back(&f);
    } else if (const auto* t = sleep_table_named(f.figure)) {
      const sample_stats st = stats_of(f.runs);
      s.stats[sleep_stats_key(f.requested, t->key)] = st;
      (s.costs.*t->member).emplace_back(f.requested, st.median);
    } else {
      const python_figure* it = python_scalar_figure(f.figure);
      if (!it)
        throw std::runtime_error("the probe gave an unknown figure: " + f.figure);
      const sample_stats st = stats_of(f.runs);
      s.stats[f.figure] = st;
      s.costs.*it->member = st.median;
    }
  }
  for (const auto& t : python_sleep_tables())
    std::sort((s.costs.*t.member).begin(), (s.costs.*t.member).end());
  if (!primes.empty())
    fit_prime(primes, held_out, s);
  if (!pools.empty())
    fit_pools(pools, s);
  return s;
}

std::string python_summary(const host_profile::python_section& s)
{
  std::string y = fmt::format("  {} {} ({}):", s.implementation, s.costs.version, s.executable);
  if (s.costs.prime) {
    std::vector<std::string> knots;
    for (const auto& [bits, sec] : s.costs.prime->by_bits)
      knots.push_back(fmt::format("{}: {:.1f}", bits, sec * 1e9));
    y += fmt::format("\n    is_prime: {:.1f} ns per item; ns per division by bits of n {{{}}}; "
                     "residual {:.1f}%, worst {:.1f}%",
                     s.costs.prime->per_item * 1e9, fmt::join(knots, ", "),
                     s.prime_fit.residual * 100, s.prime_fit.worst * 100);
  }
  auto pool = [](const pool_task_costs& c) {
    return fmt::format("parent {:.1f} + {:.2f} x c us, child {:.1f} + {:.2f} x c us",
                       c.parent.fixed * 1e6, c.parent.per_item * 1e6, c.child.fixed * 1e6,
                       c.child.per_item * 1e6);
  };
  y += "\n    ProcessPoolExecutor per task: " + pool(s.costs.executor_pool);
  y += "\n    multiprocessing.Pool per task: " + pool(s.costs.mp_pool);
  y += fmt::format("\n    start: fork {:.2f} ms, forkserver {:.2f} ms, spawn {:.2f} ms; "
                   "GIL hand-off {:.1f} us\n",
                   s.costs.fork_start * 1e3, s.costs.forkserver_start * 1e3,
                   s.costs.spawn_start * 1e3, s.costs.gil_handoff * 1e6);
  if (const auto it = s.stats.find("reference"); it != s.stats.end())
    y += fmt::format("    speed marks: is_prime over [1, {}] {:.1f} ms, spread {:.1f}% over {} "
                     "marks (the CPU figures are normalised to the median)\n",
                     python_reference_last, it->second.median * 1e3, it->second.spread * 100,
                     it->second.runs);
  return y;
}

}  // namespace gilsim::detail
