// The seam between the engine and a user lock (mutex, semaphore, ...). A lock model is plain C++
// that decides who holds it and who gets it next; the engine blocks and wakes the threads.
// A Python thread blocked on a user lock has released its GIL (the engine sees to that).
#pragma once

#include "models/core/registry.hpp"
#include "models/sched/sched_policy.hpp"

#include <string>
#include <vector>

namespace gilsim {

struct lock_context {
  std::string name;  // the lock's name in the scenario, for messages
};

class lock_model {
public:
  virtual ~lock_model() = default;
  // t asks for the lock: true if it has it now; false if it must wait (it is queued).
  virtual bool acquire(thread_id t) = 0;
  // t gives the lock back. Returns the threads that now hold it in t's place (FIFO hand-off),
  // each of which the engine wakes.
  virtual std::vector<thread_id> release(thread_id t) = 0;
  // For unlock checks and deadlock reports.
  virtual bool held_by(thread_id t) const = 0;
  virtual std::vector<thread_id> holders() const = 0;
  virtual std::vector<thread_id> waiters() const = 0;
};

using lock_registry = registry<lock_model, lock_context>;

}  // namespace gilsim
