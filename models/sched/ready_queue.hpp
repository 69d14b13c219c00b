// A FIFO ready queue: the shared piece of the fifo, rr and priority policies.
#pragma once

#include "models/sched/sched_policy.hpp"

#include <deque>

namespace gilsim {

class ready_queue {
public:
  void push_back(thread_id t) { q_.push_back(t); }
  thread_id pop_front()
  {
    if (q_.empty())
      return no_thread;
    thread_id t = q_.front();
    q_.pop_front();
    return t;
  }
  bool empty() const { return q_.empty(); }
  size_t size() const { return q_.size(); }

private:
  std::deque<thread_id> q_;
};

// A policy whose only state is one FIFO queue and a fixed slice: fifo and rr.
class queue_policy : public sched_policy {
public:
  explicit queue_policy(double slice) : slice_(slice) {}
  void add_thread(const sched_thread&) override {}
  void on_ready(thread_id t, ready_reason, double) override { queue_.push_back(t); }
  thread_id pick_next(int, double) override { return queue_.pop_front(); }
  size_t ready_count() const override { return queue_.size(); }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id, double) override {}
  double slice(thread_id) const override { return slice_; }

private:
  ready_queue queue_;
  double slice_;
};

}  // namespace gilsim
