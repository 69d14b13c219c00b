// The shared piece of sjf and stcf: ready threads ordered by their job's length (sjf) or by what
// is left of it (stcf), ties by arrival (the instant the thread first became ready), then by
// thread id. A thread whose length is unknown (it takes work from a queue) comes after every
// known one, among its like by arrival.
#pragma once

#include "models/sched/sched_policy.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <tuple>
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
    ready_.insert(key(t));
  }
  thread_id pick_next(int, double) override
  {
    if (ready_.empty())
      return no_thread;
    thread_id t = std::get<2>(*ready_.begin());
    ready_.erase(ready_.begin());
    return t;
  }
  size_t ready_count() const override { return ready_.size(); }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id t, double cpu_s) override
  {
    jobs_.at(size_t(t)).received += std::llround(cpu_s * 1e9);
  }
  double slice(thread_id) const override { return unlimited; }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override
  {
    if (!preemptive_ || ready_.empty())
      return no_thread;
    thread_id victim = no_thread;
    for (thread_id r : running)
      if (victim == no_thread || key(r) > key(victim))
        victim = r;
    // Only strictly less work left preempts: equals keep their order.
    bool shorter = victim != no_thread && std::get<0>(*ready_.begin()) < std::get<0>(key(victim));
    return shorter ? victim : no_thread;
  }

private:
  static constexpr std::int64_t unknown = std::numeric_limits<std::int64_t>::max();
  struct job {
    std::int64_t length = unknown;  // ns of CPU work
    std::int64_t received = 0;      // ns of CPU received so far
    std::int64_t arrival = -1;      // ns; -1 until it first becomes ready
  };
  using sort_key = std::tuple<std::int64_t, std::int64_t, thread_id>;
  sort_key key(thread_id t) const
  {
    const job& j = jobs_.at(size_t(t));
    std::int64_t k = j.length == unknown ? unknown : preemptive_ ? j.length - j.received : j.length;
    return {k, j.arrival, t};
  }

  bool preemptive_;
  std::vector<job> jobs_;
  std::set<sort_key> ready_;
};

}  // namespace gilsim
