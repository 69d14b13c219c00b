// The shared piece of sjf and stcf: ready threads ordered by their job's length (sjf) or by what
// is left of it (stcf), ties by arrival (the instant the thread first became ready), then by
// thread id. A thread whose length is unknown (it takes work from a queue) comes after every
// known one, among its like by arrival.
#pragma once

#include "models/core/node_spares.hpp"
#include "models/sched/sched_policy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace gilsim {

class length_queue_policy : public sched_policy {
public:
  // preemptive: stcf (a ready thread with less left than a running one takes its core).
  explicit length_queue_policy(bool preemptive) : preemptive_(preemptive) {}

  void add_thread(const sched_thread& t) override
  {
    if (jobs_.size() <= size_t(t.id))
      jobs_.resize(size_t(t.id) + 1);
    job& j = jobs_[size_t(t.id)];
    j.length = t.job_length == unlimited ? unknown : std::llround(t.job_length * 1e9);
  }
  void on_ready(thread_id t, ready_reason, double now) override
  {
    job& j = jobs_.at(size_t(t));
    if (j.arrival < 0)
      j.arrival = std::llround(now * 1e9);
    ready_spares_.insert(ready_, key(t));
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
    if (!preemptive_)
      return;
    job& j = jobs_.at(size_t(t));
    j.slot = on_core_.size();
    on_core_.push_back(t);
    if (built_)
      push_running(t);
  }
  void on_stop(thread_id t, double) override
  {
    if (!preemptive_)
      return;
    job& j = jobs_.at(size_t(t));
    if (j.slot == off_core)
      return;
    ++j.runs;  // its entry in running_keys_, if any, is stale
    jobs_[size_t(on_core_.back())].slot = j.slot;
    on_core_[j.slot] = on_core_.back();
    on_core_.pop_back();
    j.slot = off_core;
  }
  void on_ran(thread_id t, double cpu_s) override
  {
    job& j = jobs_.at(size_t(t));
    j.received += std::llround(cpu_s * 1e9);
    if (preemptive_ && j.slot != off_core)
      built_ = false, charged_ = true;  // a running thread's key moved
  }
  double slice(thread_id) const override { return unlimited; }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override
  {
    if (!preemptive_ || ready_.empty())
      return no_thread;
    std::int64_t least_ready = std::get<0>(*ready_.begin());
    if (!built_) {
      if (std::exchange(charged_, false))
        return scan(running, least_ready);  // new figures, looked at once
      // Asked again with the same figures (a decision's next pass, after a preemption): the
      // running threads' keys as a heap, kept until a running thread's key moves.
      running_keys_.clear();
      for (thread_id r : on_core_)
        running_keys_.push_back({key(r), jobs_[size_t(r)].runs});
      std::make_heap(running_keys_.begin(), running_keys_.end());
      built_ = true;
    }
    while (!running_keys_.empty() && stale(running_keys_.front())) {
      std::pop_heap(running_keys_.begin(), running_keys_.end());
      running_keys_.pop_back();
    }
    if (running_keys_.empty())
      return no_thread;  // no thread on a core, so none in `running`
    // The largest key on a core. `running` is those whose run goes on past now: most often
    // all of them (as many as there are), and then the top is among them.
    const auto& [top, runs] = running_keys_.front();
    if (std::get<0>(top) <= least_ready)
      return no_thread;
    if (running.size() == on_core_.size() ||
        std::find(running.begin(), running.end(), std::get<2>(top)) != running.end())
      return std::get<2>(top);
    return scan(running, least_ready);
  }

private:
  static constexpr std::int64_t unknown = std::numeric_limits<std::int64_t>::max();
  static constexpr size_t off_core = std::numeric_limits<size_t>::max();
  struct job {
    std::int64_t length = unknown;  // ns of CPU work
    std::int64_t received = 0;      // ns of CPU received so far
    std::int64_t arrival = -1;      // ns; -1 until it first becomes ready
    size_t slot = off_core;         // stcf: its place in on_core_, while on a core
    std::uint64_t runs = 0;         // stcf: how many times it has left a core
  };
  using sort_key = std::tuple<std::int64_t, std::int64_t, thread_id>;
  // The running thread with the most left, if a ready one has strictly less (equals keep their
  // order).
  thread_id scan(const std::vector<thread_id>& running, std::int64_t least_ready) const
  {
    thread_id victim = no_thread;
    for (thread_id r : running)
      if (victim == no_thread || key(r) > key(victim))
        victim = r;
    return victim != no_thread && least_ready < std::get<0>(key(victim)) ? victim : no_thread;
  }
  using running_key = std::pair<sort_key, std::uint64_t>;  // and the thread's `runs` then
  void push_running(thread_id t) const
  {
    running_keys_.push_back({key(t), jobs_[size_t(t)].runs});
    std::push_heap(running_keys_.begin(), running_keys_.end());
  }
  bool stale(const running_key& k) const
  {
    const job& j = jobs_[size_t(std::get<2>(k.first))];
    return j.slot == off_core || j.runs != k.second;
  }
  sort_key key(thread_id t) const
  {
    const job& j = jobs_.at(size_t(t));
    std::int64_t k = j.length == unknown ? unknown : preemptive_ ? j.length - j.received : j.length;
    return {k, j.arrival, t};
  }

  bool preemptive_;
  std::vector<job> jobs_;
  std::set<sort_key> ready_;
  node_spares<std::set<sort_key>> ready_spares_;  // no allocation per event
  // stcf: the threads on cores and (built_) a heap of their keys, a cache of preempt_victim's
  // that on_ran makes stale (charged_: with figures not looked at yet); a thread's entry goes
  // stale when it leaves its core, and is dropped when it reaches the top.
  std::vector<thread_id> on_core_;
  mutable std::vector<running_key> running_keys_;
  mutable bool built_ = false, charged_ = true;
};

}  // namespace gilsim
