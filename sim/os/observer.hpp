// What the simulated OS tells those who listen: the run's set-up, every state change of every
// thread, every change of GIL holder, and the run's end. The trace recorder, and through it
// every picture and trace writer, is such a listener (sim/out); the OS knows none of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gilsim {

// A thread's state as the outputs show it. A wait on a lock is named for what the lock stands
// for: a scenario's lock (lock_wait), the event loop that an asyncio task waits to run on
// (loop_wait), a join of a child that has not ended (join_wait); a worker's wait for the next
// request of its work queue to arrive is work_wait.
enum class trace_state {
  running, ready, io, sleep, lock_wait, gil_wait, idle, done, loop_wait, join_wait, work_wait
};

const char* trace_state_name(trace_state s);

struct setup_thread {
  std::string name;
  int process;
};

// A lock of the run, by its index: its name, what it stands for (scenario.hpp's lock_role:
// 0 a scenario's lock, 1 an event loop, 2 a join) and whether it is held (a mutex, a
// semaphore, a condition's lock) rather than only waited on (a queue, an event, a barrier).
struct setup_lock {
  std::string name;
  int role = 0;
  bool holdable = true;
};

// What the run is made of, told once before the first event.
struct run_setup {
  std::string scenario;
  int cores = 0;
  bool fluid = false;  // ps: threads run on the pooled host, not on a given core
  std::vector<std::string> processes;
  std::vector<bool> has_gil;  // per process: Python under a GIL model with a lock
  std::vector<setup_thread> threads;
  std::uint64_t seed = 0;
  std::vector<setup_lock> locks = {};
};

class run_observer {
public:
  virtual ~run_observer() = default;
  virtual void started(const run_setup& setup) { (void)setup; }
  // At simulated time t, `thread` entered `state`; `core` is its core while running (-1
  // otherwise, and under ps, where nothing is placed).
  virtual void state_changed(double t, int thread, trace_state state, int core) = 0;
  // At t the GIL of `process` went to `holder` (-1: free).
  virtual void gil_changed(double t, int process, int holder) = 0;
  // At t the GIL holder `dropper` of `process` dropped it because another thread asked for it
  // (a forced switch); told just before the gil_changed that frees it.
  virtual void gil_forced(double t, int process, int dropper)
  {
    (void)t, (void)process, (void)dropper;
  }
  // At t `from` released `lock` and handed it to the waiter `to`.
  virtual void lock_handed(double t, const std::string& lock, int from, int to)
  {
    (void)t, (void)lock, (void)from, (void)to;
  }
  // At t a thread waiting for the GIL of `process` asked its holder to drop it (CPython's
  // gil_drop_request; the old GIL's winning attempt): the holder drops it at its next check.
  virtual void gil_drop_requested(double t, int process, int holder)
  {
    (void)t, (void)process, (void)holder;
  }
  // At t the holders of lock `lock` (its index in run_setup::locks) became `holders` (empty:
  // free), told for the locks that are held.
  virtual void lock_holders(double t, int lock, const std::vector<int>& holders)
  {
    (void)t, (void)lock, (void)holders;
  }
  // At t `thread` began to wait on lock `lock`: told just before the state_changed that says so.
  virtual void lock_waited(double t, int thread, int lock)
  {
    (void)t, (void)thread, (void)lock;
  }
  // At t a workload's requests were done, `count` of them, each `latency` after it arrived.
  virtual void requests_done(double t, double latency, std::uint64_t count)
  {
    (void)t, (void)latency, (void)count;
  }
  // At t `core` started running `to` after `from` ran on it last: a charged context switch.
  virtual void context_switched(double t, int core, int from, int to)
  {
    (void)t, (void)core, (void)from, (void)to;
  }
  // The run ended at `end` (its makespan).
  virtual void finished(double end) { (void)end; }
};

}  // namespace gilsim
