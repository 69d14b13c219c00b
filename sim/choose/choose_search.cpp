// The points `gilsim choose` simulates: a first round over powers of two, then a second one
// around each approach's best (docs/choose.md, "The search").
#include "sim/choose/choose.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace gilsim::choose {
namespace {

using sets_t = std::vector<std::pair<std::string, std::string>>;

std::string slug(std::string s)
{
  for (char& ch : s)
    ch = (ch == ' ' || ch == ',' || ch == '(' || ch == ')') ? '-' : char(std::tolower(ch));
  std::string out;
  for (char ch : s)
    if (ch != '-' || (!out.empty() && out.back() != '-'))
      out += ch;
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out;
}

candidate make(const std::string& approach, int workers, std::uint64_t chunksize, sets_t sets,
               int per_worker = 0)
{
  if (workers > 0)
    sets.emplace_back("workload.workers", std::to_string(workers));
  if (chunksize > 0)
    sets.emplace_back("workload.chunksize", std::to_string(chunksize));
  if (per_worker > 0)
    sets.emplace_back("workload.inner_workers", std::to_string(per_worker));
  return {approach, workers, chunksize, std::move(sets), per_worker};
}

// The families with workers, by name: what makes a point of it at w workers and chunksize c.
struct family {
  std::string name;
  sets_t sets;
  bool pooled = false;  // a process pool: has a chunksize
};

std::vector<family> worker_families(bool free_threaded)
{
  std::vector<family> f = {
      {"threads (queue.Queue)", {{"workload.model", "threads"}, {"workload.distribution", "queue"}}},
      {"ThreadPoolExecutor", {{"workload.model", "threads"}, {"workload.distribution", "pool"}}},
  };
  if (free_threaded)
    f.push_back({"ThreadPoolExecutor, free-threaded",
                 {{"workload.model", "threads"},
                  {"workload.distribution", "pool"},
                  {"python.gil", "none"}}});
  for (const char* m : {"fork", "forkserver", "spawn"})
    f.push_back({fmt::format("processes {}", m),
                 {{"workload.model", "processes"},
                  {"workload.distribution", "chunks"},
                  {"workload.start_method", m}}});
  return f;
}

family pool_family(const std::string& pool, const std::string& method)
{
  const bool mp = pool == "multiprocessing";
  return {fmt::format("{} {}", mp ? "Pool" : "ProcessPoolExecutor", method),
          {{"workload.model", "processes"},
           {"workload.distribution", "pool"},
           {"workload.pool", pool},
           {"workload.start_method", method}},
          true};
}

family asyncio_family() { return {"asyncio", {{"workload.model", "asyncio"}}}; }

// Forked processes each running its slice with threads or with an event loop of tasks.
std::vector<family> nested_families()
{
  std::vector<family> f;
  for (const char* inner : {"threads", "asyncio"})
    f.push_back({fmt::format("processes of {} fork",
                             std::string(inner) == "threads" ? "threads" : "event loops"),
                 {{"workload.model", "processes"},
                  {"workload.distribution", "chunks"},
                  {"workload.start_method", "fork"},
                  {"workload.inner", inner}}});
  return f;
}

bool of_event_loops(const family& f) { return f.name.find("event loops") != std::string::npos; }

// The most threads or tasks worth giving each of `procs` processes: one item each, at most
// max_workers threads or max_tasks tasks a process, and max_tasks in all (every thread or task
// is a simulated actor, and tens of thousands exceed a process's memory mappings).
int per_worker_cap(const search_space& s, int procs, bool tasks)
{
  const std::uint64_t slice = s.items / std::uint64_t(procs) + (s.items % std::uint64_t(procs) ? 1 : 0);
  const int each = tasks ? s.max_tasks : s.max_workers;
  return int(std::min<std::uint64_t>(
      slice, std::uint64_t(std::max(1, std::min(each, s.max_tasks / procs)))));
}

std::vector<family> all_families(bool free_threaded)
{
  auto f = worker_families(free_threaded);
  f.push_back(asyncio_family());
  for (const char* pool : {"multiprocessing", "executor"})
    for (const char* m : {"fork", "forkserver", "spawn"})
      f.push_back(pool_family(pool, m));
  return f;
}

// The chunksizes tried at w workers: around the textbook rule for Pool, and 1 (its default)
// with the rule for ProcessPoolExecutor.
std::vector<std::uint64_t> chunksizes(const family& f, std::uint64_t items, int w)
{
  const std::uint64_t c0 = textbook_chunksize(items, w);
  std::vector<std::uint64_t> cs;
  if (f.name.rfind("Pool ", 0) == 0)
    cs = {c0 / 4, c0 / 2, c0, 2 * c0, 4 * c0};
  else
    cs = {1, c0 / 2, c0, 2 * c0};
  std::set<std::uint64_t> seen;
  std::vector<std::uint64_t> out;
  for (auto c : cs) {
    c = std::clamp<std::uint64_t>(c, 1, items);
    if (seen.insert(c).second)
      out.push_back(c);
  }
  return out;
}

std::vector<int> powers_of_two(int max)
{
  std::vector<int> v;
  for (int w = 1; w <= max; w *= 2)
    v.push_back(w);
  return v;
}

}  // namespace

std::string candidate::label() const
{
  std::string s = slug(approach);
  if (workers > 0)
    s += fmt::format("-w{}", workers);
  if (chunksize > 0)
    s += fmt::format("-c{}", chunksize);
  if (per_worker > 0)
    s += fmt::format("-t{}", per_worker);
  return s;
}

std::string candidate::workers_text() const
{
  if (workers <= 0)
    return "-";
  return per_worker > 0 ? fmt::format("{}x{}", workers, per_worker) : std::to_string(workers);
}

std::uint64_t textbook_chunksize(std::uint64_t items, int workers)
{
  const std::uint64_t per = 4 * std::uint64_t(std::max(1, workers));
  return std::max<std::uint64_t>(1, items / per + (items % per ? 1 : 0));
}

std::vector<candidate> first_round(const search_space& s)
{
  std::vector<candidate> out;
  out.push_back(make("sync", 0, 0, {{"workload.model", "sync"}}));
  out.push_back(make("cooperative", 0, 0, {{"workload.model", "cooperative"}}));
  const int most = int(std::min<std::uint64_t>(std::uint64_t(s.max_workers), s.items));
  std::set<int> tasks;
  for (int t : {1, 16, 256})
    if (std::uint64_t(t) <= s.items && t <= s.max_tasks)
      tasks.insert(t);
  tasks.insert(int(std::min<std::uint64_t>(s.items, std::uint64_t(s.max_tasks))));
  for (int t : tasks)
    out.push_back(make("asyncio", t, 0, asyncio_family().sets));
  for (const auto& f : worker_families(s.free_threaded))
    for (int w : powers_of_two(most))
      out.push_back(make(f.name, w, 0, f.sets));
  for (const char* pool : {"multiprocessing", "executor"}) {
    const family f = pool_family(pool, "fork");
    for (int w : powers_of_two(most))
      for (auto c : chunksizes(f, s.items, w))
        out.push_back(make(f.name, w, c, f.sets));
  }
  for (const auto& f : nested_families())
    for (int p : powers_of_two(std::min(most, 2 * std::max(1, s.cores)))) {
      const int cap = per_worker_cap(s, p, of_event_loops(f));
      std::set<int> each;
      for (int k : of_event_loops(f) ? std::vector<int>{1, 16, 256, cap}
                                     : std::vector<int>{1, 4, 16, 64})
        each.insert(std::clamp(k, 1, cap));
      for (int k : each)
        out.push_back(make(f.name, p, 0, f.sets, k));
    }
  return out;
}

std::vector<candidate> second_round(const search_space& s, const std::vector<candidate>& ran,
                                    const std::vector<double>& makespans)
{
  // Each approach's best point of the first round (the first listed among equals).
  std::map<std::string, std::size_t> best;
  std::set<std::string> done;
  for (std::size_t i = 0; i < ran.size(); ++i) {
    done.insert(ran[i].label());
    if (makespans[i] < 0)
      continue;
    auto it = best.find(ran[i].approach);
    if (it == best.end() || makespans[i] < makespans[it->second])
      best[ran[i].approach] = i;
  }
  std::vector<candidate> out;
  auto add = [&](const family& f, int w, std::uint64_t c, int each = 0) {
    candidate k =
        make(f.name, w, f.pooled ? std::clamp<std::uint64_t>(c, 1, s.items) : 0, f.sets, each);
    if (done.insert(k.label()).second)
      out.push_back(std::move(k));
  };
  const int most = int(std::min<std::uint64_t>(std::uint64_t(s.max_workers), s.items));
  for (const auto& f : nested_families()) {
    auto it = best.find(f.name);
    if (it == best.end())
      continue;
    const candidate& b = ran[it->second];
    for (int p : {b.workers / 2, b.workers * 2, b.workers - 1, b.workers + 1})
      if (p >= 1 && p <= most && p != b.workers)
        add(f, p, 0, std::min(b.per_worker, per_worker_cap(s, p, of_event_loops(f))));
    for (int k : {b.per_worker / 2, b.per_worker * 2})
      if (k >= 1 && k <= per_worker_cap(s, b.workers, of_event_loops(f)) && k != b.per_worker)
        add(f, b.workers, 0, k);
  }
  for (const auto& f : all_families(s.free_threaded)) {
    auto it = best.find(f.name);
    if (it == best.end())
      continue;
    const candidate& b = ran[it->second];
    const bool asyncio = f.name == "asyncio";
    const int top = asyncio ? int(std::min<std::uint64_t>(s.items, std::uint64_t(s.max_tasks)))
                            : int(std::min<std::uint64_t>(std::uint64_t(s.max_workers), s.items));
    const int w = b.workers;
    std::set<int> near = {w * 3 / 4, w * 3 / 2, w - 1, w + 1};
    for (int v : near) {
      if (v < 1 || v > top || v == w)
        continue;
      // A pool keeps its best chunksize's ratio to the textbook rule at the new worker count.
      std::uint64_t c = 0;
      if (f.pooled)
        c = std::uint64_t(double(b.chunksize) * double(textbook_chunksize(s.items, v)) /
                              double(textbook_chunksize(s.items, w)) +
                          0.5);
      add(f, v, c);
    }
    if (f.pooled) {
      add(f, w, b.chunksize * 2 / 3);
      add(f, w, b.chunksize * 3 / 2);
      for (const char* m : {"forkserver", "spawn"}) {
        const bool mp = f.name.rfind("Pool ", 0) == 0;
        add(pool_family(mp ? "multiprocessing" : "executor", m), w, b.chunksize);
      }
    }
  }
  return out;
}

}  // namespace gilsim::choose
