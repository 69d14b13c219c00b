// What the simulated OS tells those who listen: the run's set-up, every state change of every
// thread, every change of GIL holder, and the run's end. The trace recorder, and through it
// every picture and trace writer, is such a listener (sim/out); the OS knows none of them.
#pragma once

#include <string>
#include <vector>

namespace gilsim {

// A thread's state as the outputs show it.
enum class trace_state { running, ready, io, sleep, lock_wait, gil_wait, idle, done };

const char* trace_state_name(trace_state s);

struct setup_thread {
  std::string name;
  int process;
};

// What the run is made of, told once before the first event.
struct run_setup {
  std::string scenario;
  int cores = 0;
  bool fluid = false;  // ps: threads run on the pooled host, not on a given core
  std::vector<std::string> processes;
  std::vector<bool> has_gil;  // per process: Python under a GIL model with a lock
  std::vector<setup_thread> threads;
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
  // The run ended at `end` (its makespan).
  virtual void finished(double end) { (void)end; }
};

}  // namespace gilsim
