// The python sections of a host profile: written with a comment per figure, read back strictly.
#include "sim/load/profile_python.hpp"

#include "models/cost/kernel_cost.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fmt/format.h>
#include <set>

namespace gilsim {

std::span<const python_figure> python_scalar_figures()
{
  static const std::array<python_figure, 22> figures{{
      {"thread_start", &python_costs::thread_start, "creator's wall time in Thread.start()"},
      {"thread_join", &python_costs::thread_join, "join() of a thread that has finished"},
      {"queue_put", &python_costs::queue_put, "queue.Queue put, one thread, CPU", true},
      {"queue_get", &python_costs::queue_get, "queue.Queue get of a waiting item, CPU", true},
      {"executor_submit", &python_costs::executor_submit,
       "ThreadPoolExecutor().map: the submitter's share of the wall time per call", true},
      {"executor_worker", &python_costs::executor_worker,
       "ThreadPoolExecutor().map: the workers' share of the wall time per call", true},
      {"fork_start", &python_costs::fork_start, "a pool worker's start, fork (wall)"},
      {"forkserver_start", &python_costs::forkserver_start,
       "a pool worker's start, forkserver running (wall)"},
      {"spawn_start", &python_costs::spawn_start, "a pool worker's start, spawn (wall)"},
      {"pool_shutdown", &python_costs::pool_shutdown, "Pool close() + join(), per worker (wall)"},
      {"fork_exit", &python_costs::fork_exit,
       "a forked Process: from its target's return to join() returning (wall)"},
      {"forkserver_exit", &python_costs::forkserver_exit,
       "a Process through the fork server: from its target's return to join() returning (wall)"},
      {"spawn_exit", &python_costs::spawn_exit,
       "a spawned Process: from its target's return to join() returning (wall)"},
      {"gil_handoff", &python_costs::gil_handoff,
       "waking a thread blocked on a lock until it runs with the GIL (wall)"},
      {"task_step", &python_costs::task_step, "asyncio: one `await asyncio.sleep(0)` turn, CPU",
       true},
      {"call_soon", &python_costs::call_soon, "asyncio: one callback through call_soon, CPU",
       true},
      {"sleep_await", &python_costs::sleep_await,
       "asyncio: one `await asyncio.sleep(d > 0)` cycle of a looping task, CPU", true},
      {"run_in_executor", &python_costs::run_in_executor,
       "asyncio: run_in_executor round trip of a trivial call (wall)"},
      {"asyncio_run", &python_costs::asyncio_run,
       "asyncio: asyncio.run() of a coroutine that returns at once, CPU", true},
      {"asyncio_queue_put", &python_costs::asyncio_queue_put,
       "asyncio: asyncio.Queue put_nowait, CPU", true},
      {"asyncio_queue_get", &python_costs::asyncio_queue_get,
       "asyncio: asyncio.Queue get_nowait of a waiting item, CPU", true},
      {"reference", &python_costs::reference,
       "is_prime over [1, 50000], CPU: the host's speed the CPU figures are normalised to"},
  }};
  return figures;
}

const python_figure* python_scalar_figure(const std::string& key)
{
  for (const auto& f : python_scalar_figures())
    if (key == f.key)
      return &f;
  return nullptr;
}

std::string prime_stats_key(std::uint64_t first, std::uint64_t last)
{
  return fmt::format("prime:{}-{}", first, last);
}

std::string prime_check_stats_key(std::uint64_t first, std::uint64_t last)
{
  return fmt::format("prime_check:{}-{}", first, last);
}

std::string sleep_stats_key(double requested, const std::string& table)
{
  return fmt::format("{}:{:.6g}", table, requested);
}

std::span<const python_sleep_table> python_sleep_tables()
{
  static const std::array<python_sleep_table, 2> tables{{
      {"sleep", &python_costs::sleep, "time.sleep(requested): the wall time it took"},
      {"asyncio_sleep", &python_costs::asyncio_sleep,
       "await asyncio.sleep(requested), one task: the wall time it took"},
  }};
  return tables;
}

std::string pool_stats_key(const std::string& pool, const std::string& side, int chunksize)
{
  return fmt::format("{}.{}:{}", pool, side, chunksize);
}

namespace detail {
namespace {

// A figure's value: its runs when measured, else the bare value (a hand-written profile).
std::string figure_value(const host_profile::python_section& s, const std::string& key,
                         double value)
{
  const auto it = s.stats.find(key);
  return it == s.stats.end() ? profile_duration(value) : profile_stats_map(it->second);
}

// The timed ranges whose stats keys start with `prefix` ("prime:1-256"), in increasing order,
// each with its miss from the exact work of its numbers at the fitted cost: a comment, since it
// follows from the figures.
std::string ranges_yaml(const host_profile::python_section& s, const char* prefix,
                        const char* key, const char* what)
{
  std::vector<std::pair<std::pair<std::uint64_t, std::uint64_t>, sample_stats>> ranges;
  const std::string format = std::string(prefix) + "%llu-%llu";
  for (const auto& [name, st] : s.stats) {
    unsigned long long first = 0, last = 0;
    if (name.starts_with(prefix) && std::sscanf(name.c_str(), format.c_str(), &first, &last) == 2)
      ranges.push_back({{first, last}, st});
  }
  if (ranges.empty())
    return {};
  std::sort(ranges.begin(), ranges.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string y = fmt::format("      {}:  # {}: CPU seconds per pass over [first, last]\n", key,
                              what);
  const auto work = [](std::uint64_t a, std::uint64_t b) { return prime_range_work(a, b); };
  for (const auto& [r, st] : ranges) {
    const double predicted = kernel_range_seconds(*s.costs.prime, r.first, r.second, work);
    y += fmt::format("        - {{first: {}, last: {}, {}}}  # fit error {:+.1f}%\n", r.first,
                     r.second, profile_stats_fields(st),
                     st.median > 0 ? (predicted - st.median) / st.median * 100 : 0.0);
  }
  return y;
}

std::string prime_yaml(const host_profile::python_section& s)
{
  const kernel_cost& c = *s.costs.prime;
  std::string y = "    prime:  # the seed's is_prime: CPU per number tested and per trial division,"
                  " by the bit length of n\n";
  y += fmt::format("      per_item: {}\n", profile_duration(c.per_item));
  y += fmt::format("      per_division: {}  # one straight line through the ranges; not used "
                   "while by_bits is given\n",
                   profile_duration(c.per_division));
  std::vector<std::string> knots;
  for (const auto& [bits, sec] : c.by_bits)
    knots.push_back(fmt::format("{}: {}", bits, profile_duration(sec)));
  y += fmt::format("      by_bits: {{{}}}  # bits of n: seconds per division\n",
                   fmt::join(knots, ", "));
  y += fmt::format("      fit: {{residual: {:.4g}, worst: {:.4g}, clamped: {}}}\n",
                   s.prime_fit.residual, s.prime_fit.worst, s.prime_fit.clamped);
  y += ranges_yaml(s, "prime:", "ranges", "each range of the fit timed");
  y += ranges_yaml(s, "prime_check:", "checks", "ranges timed alike but held out of the fit");
  return y;
}

std::string pool_yaml(const host_profile::python_section& s, const std::string& key,
                      const pool_task_costs& c, const std::string& what)
{
  auto line = [](const linear_cost& l) {
    return fmt::format("{{fixed: {}, per_item: {}}}", profile_duration(l.fixed),
                       profile_duration(l.per_item));
  };
  std::string y = fmt::format("    {}:  # {}: CPU per task of c items = fixed + per_item x c\n",
                              key, what);
  y += "      parent: " + line(c.parent) + "  # the parent: main and manager threads\n";
  y += "      child: " + line(c.child) + "  # a worker, beyond the call itself\n";
  std::string chunks;
  for (int chunk : {1, 10, 100}) {
    const auto p = s.stats.find(pool_stats_key(key, "parent", chunk));
    const auto q = s.stats.find(pool_stats_key(key, "child", chunk));
    if (p != s.stats.end() && q != s.stats.end())
      chunks += fmt::format("        - {{chunksize: {}, parent: {}, child: {}}}\n", chunk,
                            profile_stats_map(p->second), profile_stats_map(q->second));
  }
  if (!chunks.empty())
    y += "      chunks:  # per task, by chunksize\n" + chunks;
  return y;
}

std::string section_yaml(const host_profile::python_section& s)
{
  std::string y = fmt::format("  - interpreter: {}  # the key scenarios name\n",
                              profile_quoted(s.costs.interpreter));
  y += fmt::format("    version: {}\n    implementation: {}\n    executable: {}\n",
                   profile_quoted(s.costs.version), profile_quoted(s.implementation),
                   profile_quoted(s.executable));
  if (s.costs.prime)
    y += prime_yaml(s);
  for (const auto& f : python_scalar_figures())
    y += fmt::format("    {}: {}  # {}\n", f.key, figure_value(s, f.key, s.costs.*f.member),
                     f.what);
  y += pool_yaml(s, "executor_pool", s.costs.executor_pool, "ProcessPoolExecutor.map");
  y += pool_yaml(s, "mp_pool", s.costs.mp_pool, "multiprocessing.Pool.map");
  for (const auto& t : python_sleep_tables()) {
    const sleep_table& table = s.costs.*t.member;
    if (table.empty())
      continue;
    y += fmt::format("    {}:  # {}\n", t.key, t.what);
    for (const auto& [asked, taken] : table)
      y += fmt::format("      - {{requested: {}, taken: {}}}\n", profile_duration(asked),
                       figure_value(s, sleep_stats_key(asked, t.key), taken));
  }
  return y;
}

}  // namespace

std::string pythons_yaml(const std::vector<host_profile::python_section>& sections)
{
  std::string y = "pythons:  # one section per interpreter calibrated (--python), by major.minor; "
                  "the first is the default\n";
  for (const auto& s : sections)
    y += section_yaml(s);
  return y;
}

namespace {

// ---- reading

kernel_cost read_prime(const field& f, host_profile::python_section& s)
{
  map_view m(f, "a map like {per_item: 90ns, by_bits: {11: 55ns, 21: 70ns}}");
  m.allow_only({"per_item", "per_division", "by_bits", "fit", "ranges", "checks"});
  kernel_cost c;
  c.per_item = read_unit_cost(m.require("per_item"));
  if (auto v = m.get("per_division"))
    c.per_division = read_unit_cost(*v);
  if (auto v = m.get("by_bits")) {
    map_view knots(*v, "a map of bit lengths to durations like {11: 55ns, 21: 70ns}");
    for (const auto& e : knots.entries()) {
      const int bits = int(read_int(e.key, 1, 64));
      if (!c.by_bits.empty() && bits <= c.by_bits.back().first)
        e.key.fail("the bit lengths must increase");
      c.by_bits.emplace_back(bits, read_unit_cost(e.value));
    }
  }
  if (c.by_bits.empty() && !m.get("per_division"))
    m.self().fail("the prime cost needs per_division or by_bits");
  if (auto v = m.get("fit")) {
    map_view fit(*v, "a map like {residual: 0.01, worst: 0.02, clamped: false}");
    fit.allow_only({"residual", "worst", "clamped"});
    for (auto [key, out] : {std::pair{"residual", &s.prime_fit.residual},
                            std::pair{"worst", &s.prime_fit.worst}})
      if (auto r = fit.get(key)) {
        *out = read_number(*r);
        check_range(*r, *out, 0, 1e6, false);
      }
    if (auto r = fit.get("clamped"))
      s.prime_fit.clamped = read_bool(*r);
  }
  s.prime_fit.per_division = c.per_division;
  s.prime_fit.per_item = c.per_item;
  for (auto [name, key] : {std::pair{"ranges", &prime_stats_key},
                           std::pair{"checks", &prime_check_stats_key}})
    if (auto v = m.get(name))
      for (const auto& item : list_items(*v, "{first: A, last: B, median: ...}", false)) {
        map_view r(item, "a map like {first: 1, last: 16384, median: 12ms}");
        r.allow_only({"first", "last", "median", "spread", "min", "max", "runs"});
        const std::uint64_t first = read_uint64(r.require("first"));
        const std::uint64_t last = read_uint64(r.require("last"));
        s.stats[key(first, last)] = profile_stats_from(r);
      }
  return c;
}

linear_cost read_linear(const field& f)
{
  map_view m(f, "a map like {fixed: 40us, per_item: 1us}");
  m.allow_only({"fixed", "per_item"});
  return {read_duration(m.require("fixed"), true), read_unit_cost(m.require("per_item"))};
}

pool_task_costs read_pool(const field& f, const std::string& key,
                          host_profile::python_section& s)
{
  map_view m(f, "a map like {parent: {fixed: 40us, per_item: 1us}, child: {...}}");
  m.allow_only({"parent", "child", "chunks"});
  pool_task_costs c{read_linear(m.require("parent")), read_linear(m.require("child"))};
  if (auto v = m.get("chunks"))
    for (const auto& item : list_items(*v, "{chunksize: C, parent: ..., child: ...}", false)) {
      map_view r(item, "a map like {chunksize: 10, parent: {median: 50us}, child: 20us}");
      r.allow_only({"chunksize", "parent", "child"});
      const int chunk = int(read_int(r.require("chunksize"), 1, 1000000000));
      s.stats[pool_stats_key(key, "parent", chunk)] = profile_read_stats(r.require("parent"));
      s.stats[pool_stats_key(key, "child", chunk)] = profile_read_stats(r.require("child"));
    }
  return c;
}

void read_sleep(const field& f, const python_sleep_table& t, host_profile::python_section& s)
{
  sleep_table& table = s.costs.*t.member;
  for (const auto& item : list_items(f, "{requested: 1ms, taken: ...}", false)) {
    map_view r(item, "a map like {requested: 1ms, taken: 1.08ms}");
    r.allow_only({"requested", "taken"});
    const field asked = r.require("requested");
    const double d = read_duration(asked, false);
    if (!table.empty() && d <= table.back().first)
      asked.fail("the requested durations must increase");
    const field taken = r.require("taken");
    const sample_stats st = profile_read_stats(taken);
    if (taken.node.IsMap())
      s.stats[sleep_stats_key(d, t.key)] = st;
    table.emplace_back(d, st.median);
  }
}

host_profile::python_section read_section(const field& f)
{
  map_view m(f, "an interpreter's section like {interpreter: \"3.12\", ...}");
  std::vector<std::string> allowed{"interpreter", "version", "implementation", "executable",
                                   "prime", "executor_pool", "mp_pool"};
  for (const auto& t : python_sleep_tables())
    allowed.push_back(t.key);
  for (const auto& fig : python_scalar_figures())
    allowed.push_back(fig.key);
  m.allow_only(allowed);
  host_profile::python_section s;
  const field key = m.require("interpreter");
  s.costs.interpreter = key.node.IsScalar() ? key.node.Scalar() : read_string(key, "a version");
  const auto dot = s.costs.interpreter.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.costs.interpreter.size() ||
      s.costs.interpreter.find_first_not_of("0123456789.") != std::string::npos ||
      s.costs.interpreter.find('.', dot + 1) != std::string::npos)
    key.fail(fmt::format("{} is not a major.minor version like \"3.12\"", key.shown()));
  for (auto [name, out] : {std::pair{"version", &s.costs.version},
                           std::pair{"implementation", &s.implementation},
                           std::pair{"executable", &s.executable}})
    if (auto v = m.get(name))
      *out = v->node.IsScalar() ? v->node.Scalar() : read_string(*v, "a text");
  if (auto v = m.get("prime"))
    s.costs.prime = read_prime(*v, s);
  for (const auto& fig : python_scalar_figures())
    if (auto v = m.get(fig.key)) {
      const sample_stats st = profile_read_stats(*v);
      s.costs.*fig.member = st.median;
      if (v->node.IsMap())
        s.stats[fig.key] = st;
    }
  if (auto v = m.get("executor_pool"))
    s.costs.executor_pool = read_pool(*v, "executor_pool", s);
  if (auto v = m.get("mp_pool"))
    s.costs.mp_pool = read_pool(*v, "mp_pool", s);
  for (const auto& t : python_sleep_tables())
    if (auto v = m.get(t.key))
      read_sleep(*v, t, s);
  return s;
}

}  // namespace

void read_pythons(const field& f, host_profile& p)
{
  std::set<std::string> seen;
  for (const auto& item : list_items(f, "an interpreter's section", false)) {
    host_profile::python_section s = read_section(item);
    if (!seen.insert(s.costs.interpreter).second)
      map_view(item).require("interpreter").fail(
          fmt::format("interpreter {} is calibrated twice", s.costs.interpreter));
    p.pythons.push_back(std::move(s));
  }
}

}  // namespace detail
}  // namespace gilsim
