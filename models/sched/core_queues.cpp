// fifo's and rr's ready queues: shared or per core, affinity, stealing, aligned slices
// (models/sched/core_queues.hpp says the rules).
#include "models/sched/core_queues.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace gilsim {

namespace {
std::int64_t ns_of(double s) { return s == unlimited ? -1 : std::llround(s * 1e9); }
}  // namespace

std::vector<param_decl> core_queue_params()
{
  return {
      {"queues", param_kind::choice, "", 0, 0, 1, false,
       "shared: one ready queue for every core; per_core: one per core, a new thread on the least "
       "loaded core it may run on",
       {"shared", "per_core"}},
      {"steal_every", param_kind::duration, "s", 30e-3, 0, 3600, false,
       "under queues: per_core, how often a core with an empty queue takes a thread from the "
       "longest other queue (0: never)",
       {}},
      {"steal_from", param_kind::choice, "", 0, 0, 1, false,
       "longest: a stealing core takes from the longest other queue the first thread it may run; "
       "multi_py: the homework multi.py's peek, bug for bug (a random other core, seeded by the "
       "scenario's seed, and only threads without affinity)",
       {"longest", "multi_py"}},
  };
}

core_queue_options core_queue_options_of(const param_values& p)
{
  core_queue_options o;
  o.per_core = p.choice("queues") == "per_core";
  o.steal_every = p.number("steal_every");
  o.multi_py_peek = p.choice("steal_from") == "multi_py";
  if (p.has("aligned"))
    o.aligned = p.flag("aligned");
  return o;
}

core_queue_policy::core_queue_policy(double slice, const core_queue_options& o,
                                     const sched_context& ctx)
    : slice_(slice)
    , opt_(o)
    , steal_ns_(ns_of(o.steal_every))
    , cores_(std::max(1, ctx.cores))
    , queues_(o.per_core ? size_t(cores_) : 1)
    , running_(size_t(cores_), no_thread)
    , tick_(ctx.tick)
    , draws_(ctx.seed)
{
}

void core_queue_policy::add_thread(const sched_thread& t)
{
  if (jobs_.size() <= size_t(t.id))
    jobs_.resize(size_t(t.id) + 1);
  job& j = jobs_[size_t(t.id)];
  j.affinity = t.affinity;
  j.working_set = t.working_set;
  if (tick_ > 0 && t.job_length != unlimited)
    j.ticks = double(std::llround(t.job_length / tick_));  // whole ticks, as multi.py's lengths
}

bool core_queue_policy::allowed(thread_id t, int core) const
{
  const auto& a = jobs_[size_t(t)].affinity;
  return a.empty() || std::find(a.begin(), a.end(), core) != a.end();
}

// The allowed core with the fewest threads queued or running there, ties to the lowest id.
int core_queue_policy::least_loaded(thread_id t) const
{
  int best = -1;
  size_t best_load = 0;
  for (int c = 0; c < cores_; ++c) {
    if (!allowed(t, c))
      continue;
    size_t load = queues_[size_t(c)].size() + (running_[size_t(c)] != no_thread ? 1 : 0);
    if (best < 0 || load < best_load) {
      best = c;
      best_load = load;
    }
  }
  return best < 0 ? 0 : best;
}

void core_queue_policy::on_ready(thread_id t, ready_reason why, double now)
{
  job& j = jobs_[size_t(t)];
  ++ready_;
  if (opt_.per_core) {
    bool back_home = j.core >= 0 && allowed(t, j.core) && why != ready_reason::arrival;
    queues_[size_t(back_home ? j.core : least_loaded(t))].push_back(t);
    return;
  }
  auto& q = queues_[0];
  if (!opt_.aligned || why != ready_reason::slice_end) {
    q.push_back(t);
    return;
  }
  // Quanta that end at one instant: their threads queue in the order of their cores.
  std::int64_t at = ns_of(now);
  j.requeued_at = at;
  auto pos = q.end();
  while (pos != q.begin()) {
    const job& prev = jobs_[size_t(*std::prev(pos))];
    if (prev.requeued_at != at || prev.core < j.core)
      break;
    --pos;
  }
  q.insert(pos, t);
}

thread_id core_queue_policy::pick_next(int core, double)
{
  auto& q = queue_of(core);
  if (!q.empty() && allowed(q.front(), core)) {  // the common case: the head may run here
    thread_id t = q.front();
    q.pop_front();
    --ready_;
    return t;
  }
  for (auto it = q.begin(); it != q.end(); ++it) {
    if (!allowed(*it, core))
      continue;
    thread_id t = *it;
    q.erase(it);
    --ready_;
    return t;
  }
  return no_thread;
}

void core_queue_policy::on_dispatch(thread_id t, int core)
{
  jobs_[size_t(t)].core = core;
  running_[size_t(core)] = t;
}

void core_queue_policy::on_stop(thread_id t, double)
{
  int c = jobs_[size_t(t)].core;
  if (c >= 0 && running_[size_t(c)] == t)
    running_[size_t(c)] = no_thread;
}

bool core_queue_policy::waits_for(int core) const
{
  // A tick ends every quantum: all queue again, in core order, and the cores take them in id
  // order, so a thread moves to a lower idle core, or is stolen from its queue (multi.py's
  // interrupt, peek and assignment).
  if (opt_.aligned)
    return true;
  const auto& q = queue_of(core);
  return std::any_of(q.begin(), q.end(), [&](thread_id t) { return allowed(t, core); });
}

double core_queue_policy::next_timer(double now) const
{
  std::int64_t n = ns_of(now);
  return double((n / steal_ns_ + 1) * steal_ns_) / 1e9;
}

void core_queue_policy::on_timer(double now) { steal_due_ = ns_of(now); }

void core_queue_policy::before_dispatch(double now)
{
  std::int64_t n = ns_of(now);
  if (steal_due_ < 0 || steal_due_ != n)
    return;
  steal_due_ = -1;
  steal();
}

// multi.py's test of whether `core` may steal t: `len(affinity) == 0 or cpu in job`, where job
// is its tuple (name, run_time, working_set_size, affinity, time_left).
bool core_queue_policy::multi_py_takes(thread_id t, int core) const
{
  const job& j = jobs_[size_t(t)];
  return j.affinity.empty() || j.working_set == double(core) || j.ticks == double(core);
}

void core_queue_policy::steal()
{
  for (int c = 0; c < cores_; ++c) {
    auto& own = queues_[size_t(c)];
    if (!own.empty())
      continue;
    int victim = -1;
    if (opt_.multi_py_peek) {
      if (cores_ < 2)
        continue;  // no other core (multi.py's random.choice fails there)
      victim = int(draws_.randbelow(std::uint32_t(cores_ - 1)));
      if (victim >= c)
        ++victim;  // the others, in id order, without c
    } else {
      for (int o = 0; o < cores_; ++o)
        if (o != c && (victim < 0 || queues_[size_t(o)].size() > queues_[size_t(victim)].size()))
          victim = o;
    }
    if (victim < 0)
      continue;
    auto& theirs = queues_[size_t(victim)];
    auto it = std::find_if(theirs.begin(), theirs.end(), [&](thread_id t) {
      return opt_.multi_py_peek ? multi_py_takes(t, c) : allowed(t, c);
    });
    if (it == theirs.end())
      continue;
    own.push_back(*it);
    theirs.erase(it);
  }
}

}  // namespace gilsim
