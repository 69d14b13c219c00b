// The seam between the engine and a user lock (mutex, semaphore, condition, queue, barrier,
// event). A lock model is plain C++ that decides who holds it, who may go on and who is woken;
// the engine blocks and wakes the threads.
// A Python thread blocked on a user lock has released its GIL (the engine sees to that).
#pragma once

#include "models/core/registry.hpp"
#include "models/core/scenario.hpp"
#include "models/sched/sched_policy.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gilsim {

struct lock_context {
  std::string name;  // the lock's name in the scenario, for messages
};

// What a program step does to a lock; each spelt in YAML as its name (`put: q`, `wait: cv`).
enum class lock_op { lock, unlock, put, get, wait, notify, notify_all, set, clear };
const char* lock_op_name(lock_op op);

// What came of a step: whether the thread goes on at once (else it is queued and blocks), and
// the blocked threads that may now go on, in the order they were woken.
struct lock_outcome {
  bool goes_on = true;
  std::vector<thread_id> woken;
};

class lock_model {
public:
  virtual ~lock_model() = default;
  // Kinds that take `lock` (mutex, semaphore, condition):
  // t asks for the lock: true if it has it now; false if it must wait (it is queued).
  virtual bool acquire(thread_id t)
  {
    (void)t;
    return true;
  }
  // t gives the lock back. Returns the threads that now hold it in t's place (FIFO hand-off),
  // each of which the engine wakes.
  virtual std::vector<thread_id> release(thread_id t)
  {
    (void)t;
    return {};
  }
  // For unlock checks and deadlock reports.
  virtual bool held_by(thread_id t) const
  {
    (void)t;
    return false;
  }
  virtual std::vector<thread_id> holders() const { return {}; }
  // Every kind: the threads blocked here, in the order they came.
  virtual std::vector<thread_id> waiters() const = 0;

  // The steps this kind takes (lock and unlock unless it says otherwise); the loader refuses
  // the others.
  virtual bool takes(lock_op op) const { return op == lock_op::lock || op == lock_op::unlock; }
  // Does `lock` make the thread hold it until its `unlock` (so the loader tracks it)?
  virtual bool holdable() const { return takes(lock_op::lock); }
  // Carries out a step of t; lock and unlock are acquire and release.
  virtual lock_outcome act(lock_op op, thread_id t)
  {
    if (op == lock_op::lock)
      return {acquire(t), {}};
    return {true, release(t)};
  }
  // For the loader's checks before the run: the steps that end a wait at `op` (a queue's get
  // is ended by a put): a program that waits so while no thread ever takes one of them can
  // never go on. Empty: nothing to check (a lock's own holders end its waits).
  virtual std::vector<lock_op> ended_by(lock_op op) const
  {
    (void)op;
    return {};
  }
  // How many threads must wait together before any goes on (a barrier's parties); 0: none.
  virtual long long parties() const { return 0; }
  // How long a thread handed this lock (or woken by it) takes to be runnable; none: the
  // machine's wakeup_latency.
  virtual std::optional<double> wakeup() const { return std::nullopt; }
  // An event loop's timer granularity: a `lock` step by_timer that finds the lock free, idle
  // since some instant, waits until the loop's wait for its first timer ends, that wait rounded
  // up to a whole multiple of this (asyncio's epoll selector waits in whole milliseconds);
  // none: taken at once.
  virtual std::optional<double> timer_resolution() const { return std::nullopt; }
  // For a deadlock report: what t, blocked here, waits for ("" : the lock to be released).
  virtual std::string waits_for(thread_id t) const
  {
    (void)t;
    return "";
  }
};

using lock_registry = registry<lock_model, lock_context>;

// A lock of a registered kind with its parameters (lock_op.cpp).
std::unique_ptr<lock_model> make_lock_model(const model_choice& kind, const std::string& name);
// What a program step does to its lock (lock .. clear; nothing for cpu, io, ...).
std::optional<lock_op> lock_op_of(step_kind k);

}  // namespace gilsim
