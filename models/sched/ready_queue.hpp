// A FIFO ready queue: the shared piece of the priority and mlfq policies.
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

}  // namespace gilsim
