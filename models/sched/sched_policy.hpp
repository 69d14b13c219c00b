// The seam between the engine and an OS scheduling policy. A policy is plain C++ that decides:
// it hears that threads became ready, ran, stopped; it picks the next thread for a core and
// says how long a slice is and whom a newly ready thread preempts. It never touches SimGrid.
#pragma once

#include "models/core/registry.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace gilsim {

using thread_id = int;
constexpr thread_id no_thread = -1;
constexpr double unlimited = std::numeric_limits<double>::infinity();

// What a policy is told about a thread once, before the run: its id and the per-thread
// attributes that the policies declare in their registry entries (`attributes`: cfs's nice,
// priority's priority), each holding its value or its default.
struct sched_thread {
  thread_id id = no_thread;
  param_values attributes;
  // The total CPU work of its program in reference seconds, repeats multiplied: the oracle that
  // sjf and stcf assume. `unlimited` when the program takes chunks from a work queue (for_each),
  // whose length only the run decides.
  double job_length = unlimited;
  // The cores it may run on (`affinity: [0, 2]`); empty: any. Only the policies that declare
  // `queues` (fifo, rr) accept it; the loader checked every id against the machine.
  std::vector<int> affinity = {};
  // Its working set, in the units of machine.cache.size (multi.py's peek looks at it).
  double working_set = 0;
};

enum class ready_reason {
  arrival,    // a new thread, or a thread that needs a core after running nothing since it blocked
  wakeup,     // back from I/O, sleep or a lock wait
  preempted,  // taken off its core by a higher-priority / more deserving thread
  slice_end,  // its slice ran out while others waited
};

struct sched_context {
  int cores = 1;
  std::vector<double> core_speeds;  // by core id, relative to the reference core
  std::uint64_t seed = 1;           // the scenario's: a policy that draws seeds its stream with it
  double tick = 0;                  // machine.tick, seconds (0: continuous time)
};

class sched_policy {
public:
  virtual ~sched_policy() = default;

  // Processor sharing is not dispatched: every thread runs on SimGrid's fluid N-core host.
  virtual bool fluid() const { return false; }

  virtual void add_thread(const sched_thread& t) = 0;
  // t is now runnable and waits for a core.
  virtual void on_ready(thread_id t, ready_reason why, double now) = 0;
  // Removes and returns the ready thread that core `core` should run next (no_thread if none).
  virtual thread_id pick_next(int core, double now) = 0;
  virtual size_t ready_count() const = 0;
  // t was put on a core / left it (blocked, exited, preempted or its slice ended).
  virtual void on_run(thread_id t, double now) = 0;
  virtual void on_stop(thread_id t, double now) = 0;
  // t received `cpu_s` of CPU while running (fair-share accounting).
  virtual void on_ran(thread_id t, double cpu_s) = 0;
  // How long t may run after its dispatch while other threads wait; `unlimited` if forever.
  virtual double slice(thread_id t) const = 0;
  // A policy whose slice is what is left of the running thread's quantum (mlfq keeps a job's
  // unused quantum across preemptions and I/O) says so: the OS then asks slice(t) after
  // charging the thread's CPU and arms the slice at now + slice(t), re-arming it whenever the
  // answer moves, instead of at the next multiple of the slice since dispatch.
  virtual bool slice_is_left() const { return false; }
  // A policy may keep one timer of its own (an MLFQ boost, a periodic tick): the OS asks for
  // its next deadline (unlimited: none) after every step and calls on_timer when it comes due;
  // what the policy then changes (a thread's queue or level) takes effect through pick_next and
  // preempt_victim at the end of that step.
  virtual bool uses_timer() const { return false; }
  virtual double next_timer(double now) const { (void)now; return unlimited; }
  virtual void on_timer(double now) { (void)now; }
  // Placement (as Linux's select_task_rq): the order in which the idle cores take their next
  // thread at the end of a step. They come sorted fastest first, ties by core id, so that a
  // thread goes onto the fastest idle core; a policy that places threads itself reorders them.
  virtual void order_idle_cores(std::vector<int>& idle) const { (void)idle; }
  // t was put on core `core` (just before on_run): a policy with queues per core learns where
  // its threads run.
  virtual void on_dispatch(thread_id t, int core) { (void)t; (void)core; }
  // Does some ready thread wait for core `core`? A thread whose slice ends there goes on while
  // none does. A policy with one queue for every core: whether anybody waits at all.
  virtual bool waits_for(int core) const { (void)core; return ready_count() > 0; }
  // The end of a step, after its events and before the idle cores pick (work stealing).
  virtual void before_dispatch(double now) { (void)now; }
  // Whether a dispatch pass with nobody ready changes nothing (pick_next, order_idle_cores and
  // before_dispatch keep no state of it): a thread's run ends may then be taken without one
  // (sim/os/os_walk.cpp). mlfq notes the time of every pass.
  virtual bool empty_pass_is_void() const { return true; }
  // Slices that end at multiples of slice() on the machine's clock (a timer tick), rather than
  // at multiples since the thread's dispatch.
  virtual bool slices_aligned() const { return false; }
  // The running thread that the best ready thread should preempt right now, or no_thread.
  // `running`: the candidates, each once, in the order of their cores; threads on cores (told
  // by on_run and not yet by on_stop), all of them but those whose run ends at this instant.
  virtual thread_id preempt_victim(const std::vector<thread_id>& running) const
  {
    (void)running;
    return no_thread;
  }
};

using sched_registry = registry<sched_policy, sched_context>;

}  // namespace gilsim
