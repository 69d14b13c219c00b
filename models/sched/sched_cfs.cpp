// cfs: Linux's completely fair scheduler (kernel/sched/fair.c), on one machine-wide run queue.
// Each thread accrues vruntime = CPU time x 1024 / weight (nice 0 = 1024, each nice step ~1.25x);
// the ready thread with the lowest vruntime runs next. With n runnable threads on c cores a
// slice is max(latency x c / n, min_granularity), scaled by the thread's share of the weight.
// A waking thread is placed at max(its vruntime, min_vruntime - latency / 2), a new one at
// min_vruntime, and it preempts the running thread with the most vruntime when it is behind it
// by more than wakeup_granularity. The three tunables are multiplied by 1 + ilog2(min(cores, 8))
// as the kernel does (SCHED_TUNABLESCALING_LOG). Like the kernel, vruntime is kept in whole
// nanoseconds, so that equal service gives exactly equal vruntimes and ties go by queue order.
#include "models/core/node_spares.hpp"
#include "models/sched/sched_policy.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

namespace gilsim {
namespace {

// Linux's sched_prio_to_weight table, nice -20 .. 19.
constexpr int nice_weights[40] = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
    9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
    1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
    110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

class cfs_policy final : public sched_policy {
public:
  cfs_policy(const param_values& p, const sched_context& ctx) : cores_(ctx.cores)
  {
    double factor = p.flag("scale_with_cores") ? 1 + std::floor(std::log2(std::min(cores_, 8))) : 1;
    latency_ = p.number("latency") * factor;
    min_gran_ = p.number("min_granularity") * factor;
    wakeup_gran_ = p.number("wakeup_granularity") * factor;
  }

  void add_thread(const sched_thread& t) override
  {
    int nice = std::clamp(int(t.attributes.number("nice")), -20, 19);
    if (state_.size() <= size_t(t.id))
      state_.resize(size_t(t.id) + 1);
    state_[size_t(t.id)].weight = nice_weights[nice + 20];
  }
  void on_ready(thread_id t, ready_reason why, double) override
  {
    update_min_vruntime();
    auto& s = state_.at(size_t(t));
    if (why == ready_reason::arrival && !s.started) {
      s.vruntime = std::max(s.vruntime, min_vruntime_);
      s.started = true;
    } else if (why == ready_reason::wakeup || why == ready_reason::arrival) {
      s.vruntime = std::max(s.vruntime, min_vruntime_ - std::llround(latency_ * 1e9 / 2));
    }
    ready_spares_.insert(ready_, {s.vruntime, seq_++, t});
    runnable_weight_ += s.weight;
    ++runnable_;
  }
  thread_id pick_next(int, double) override
  {
    if (ready_.empty())
      return no_thread;
    thread_id t = std::get<2>(*ready_.begin());
    ready_spares_.erase(ready_, ready_.begin());
    return t;
  }
  size_t ready_count() const override { return ready_.size(); }
  void on_run(thread_id t, double) override
  {
    auto& s = state_.at(size_t(t));
    s.running = true;
    running_spares_.insert(running_, {s.vruntime, t});
  }
  void on_stop(thread_id t, double) override
  {
    auto& s = state_.at(size_t(t));
    s.running = false;
    running_spares_.erase(running_, {s.vruntime, t});
    runnable_weight_ -= s.weight;
    --runnable_;
    update_min_vruntime();
  }
  void on_ran(thread_id t, double cpu_s) override
  {
    auto& s = state_.at(size_t(t));
    // A running thread's entry is moved, not freed and made again (one charge per CPU phase).
    auto node = s.running ? running_.extract({s.vruntime, t}) : decltype(running_)::node_type{};
    s.vruntime += std::llround(cpu_s * 1e9 * 1024.0 / s.weight);
    if (node) {
      node.value().first = s.vruntime;
      running_.insert(std::move(node));
    } else if (s.running) {
      running_.insert({s.vruntime, t});
    }
    // min_vruntime is brought up to date where it is read (on_ready), not on every charge.
  }
  double slice(thread_id t) const override
  {
    double load = std::max(1.0, double(runnable_) / cores_);
    double period = std::max(latency_, load * min_gran_);
    double share =
        runnable_weight_ > 0 ? state_.at(size_t(t)).weight * cores_ / double(runnable_weight_) : 1;
    return std::max(period * std::min(share, 1.0), min_gran_);
  }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override
  {
    if (ready_.empty())
      return no_thread;
    const auto& [vr, seq, w] = *ready_.begin();
    double gran = wakeup_gran_ * 1e9 * 1024.0 / state_.at(size_t(w)).weight;
    thread_id victim = no_thread;
    for (thread_id r : running) {
      long long rv = state_.at(size_t(r)).vruntime;
      bool worse = victim == no_thread || rv > state_.at(size_t(victim)).vruntime;
      if (double(rv - vr) > gran && worse)
        victim = r;
    }
    return victim;
  }

private:
  struct thread_state {
    long long vruntime = 0;  // ns
    int weight = 1024;
    bool started = false;
    bool running = false;  // on a core: listed in running_ by its vruntime
  };
  // min_vruntime only moves forward: the smallest vruntime among running and ready threads.
  void update_min_vruntime()
  {
    if (running_.empty() && ready_.empty())
      return;
    long long m = std::numeric_limits<long long>::max();
    if (!running_.empty())
      m = running_.begin()->first;
    if (!ready_.empty())
      m = std::min(m, std::get<0>(*ready_.begin()));
    min_vruntime_ = std::max(min_vruntime_, m);
  }

  int cores_;
  double latency_, min_gran_, wakeup_gran_;
  long long min_vruntime_ = 0;  // ns
  long runnable_weight_ = 0;
  int runnable_ = 0;
  unsigned long seq_ = 0;
  std::vector<thread_state> state_;  // by thread id
  // (vruntime, arrival order, id) of the ready threads
  std::set<std::tuple<long long, unsigned long, thread_id>> ready_;
  std::set<std::pair<long long, thread_id>> running_;  // (vruntime, id) of the threads on cores
  // Their nodes, kept as threads leave the queue or a core (a thread comes back at every switch).
  node_spares<decltype(ready_)> ready_spares_;
  node_spares<decltype(running_)> running_spares_;
};

const bool registered = sched_registry::add({
    "cfs",
    "Linux completely fair scheduler: lowest vruntime runs, weighted by nice",
    {
        {"latency", param_kind::duration, "s", 6e-3, 0, 10, true,
         "sched_latency: the period in which every runnable thread runs once", {}},
        {"min_granularity", param_kind::duration, "s", 0.75e-3, 0, 10, true,
         "the shortest slice", {}},
        {"wakeup_granularity", param_kind::duration, "s", 1e-3, 0, 10, false,
         "how far behind a waking thread must be to preempt", {}},
        {"scale_with_cores", param_kind::boolean, "", 1, 0, 1, false,
         "multiply the tunables by 1 + ilog2(min(cores, 8)) as Linux does", {}},
    },
    [](const param_values& p, const sched_context& ctx) {
      return std::make_unique<cfs_policy>(p, ctx);
    },
    {{"nice", param_kind::integer, "", 0, -20, 19, false,
      "a thread's nice value: its weight, 1024 at 0, about 1.25x less for each step up", {}}},
});

}  // namespace
}  // namespace gilsim
