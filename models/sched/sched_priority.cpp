// priority: static priorities, preemptive, round robin among equals (like Linux SCHED_RR with
// rt priorities). A thread's `priority` (higher runs first) never changes. A ready thread of
// higher priority than a running one takes that core at once (the lowest-priority running
// thread is the victim); equals share in slices of `quantum`, lower ones wait.
#include "models/sched/ready_queue.hpp"

#include <map>

namespace gilsim {
namespace {

class priority_policy final : public sched_policy {
public:
  explicit priority_policy(double quantum) : quantum_(quantum) {}

  void add_thread(const sched_thread& t) override
  {
    prio_[t.id] = int(t.attributes.number("priority"));
  }
  void on_ready(thread_id t, ready_reason, double) override
  {
    queues_[prio_.at(t)].push_back(t);
    ++ready_;
  }
  thread_id pick_next(int, double) override
  {
    if (ready_ == 0)
      return no_thread;
    --ready_;
    return queues_.at(best_ready()).pop_front();
  }
  size_t ready_count() const override { return ready_; }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id, double) override {}
  // Slicing only matters while an equal-priority thread waits; higher ones preempt instead.
  double slice(thread_id t) const override
  {
    auto it = queues_.find(prio_.at(t));
    return it != queues_.end() && !it->second.empty() ? quantum_ : unlimited;
  }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override
  {
    int best = best_ready();
    thread_id victim = no_thread;
    for (thread_id r : running)
      if (prio_.at(r) < best && (victim == no_thread || prio_.at(r) < prio_.at(victim)))
        victim = r;
    return victim;
  }

private:
  int best_ready() const
  {
    for (auto it = queues_.rbegin(); it != queues_.rend(); ++it)
      if (!it->second.empty())
        return it->first;
    return std::numeric_limits<int>::min();
  }
  double quantum_;
  std::map<thread_id, int> prio_;
  std::map<int, ready_queue> queues_;
  size_t ready_ = 0;
};

const bool registered = sched_registry::add({
    "priority",
    "static priorities, preemptive, round robin among equals",
    {{"quantum", param_kind::duration, "s", 4e-3, 0, 3600, true,
      "the time slice among threads of equal priority", {}}},
    [](const param_values& p, const sched_context&) {
      return std::make_unique<priority_policy>(p.number("quantum"));
    },
    {{"priority", param_kind::integer, "", 0, -1000, 1000, false,
      "a thread's static priority: higher runs first", {}}},
});

}  // namespace
}  // namespace gilsim
