// The seam between the engine and a process's interpreter lock (the GIL variants: new, old,
// none). Like the OS policies, a GIL model is plain C++ that decides; it acts on threads only
// through gil_host, which the engine implements with SimGrid. Every Python process has its own.
#pragma once

#include "models/core/registry.hpp"
#include "models/sched/sched_policy.hpp"
#include "models/core/scenario.hpp"

#include <cstdint>
#include <string>

namespace gilsim {

struct gil_context {
  std::string process;     // the process's name, for messages
  std::uint64_t seed = 1;  // the scenario's seed, for seeded hand-off picks
  int process_index = 0;   // so that every process draws from its own stream
  double wakeup_latency = 30e-6;  // the machine's, for models that reason about wake-ups
};

// What a GIL model may do to the threads of its process.
class gil_host {
public:
  virtual ~gil_host() = default;
  virtual double now() const = 0;
  // t, on a core, could not have the GIL: it leaves its core and waits, OS-blocked. After
  // `timeout` seconds (unlimited: never) the engine calls on_timeout(t), unless woken first.
  virtual void block_for_gil(thread_id t, double timeout) = 0;
  // Signals t, which waits: it becomes runnable after the wake-up latency, and once the OS has
  // put it on a core the engine calls want(t) again.
  virtual void wake(thread_id t) = 0;
  // The holder must reach an eval-breaker check after `cpu_delay` seconds of its own Python
  // execution; the engine then calls on_check(holder).
  virtual void request_check(thread_id holder, double cpu_delay) = 0;
  // A seeded draw, uniform in [0, n).
  virtual std::uint64_t draw(std::uint64_t n) = 0;
  // The process's one GIL timer: at `at` (unlimited: never) the engine calls on_timer(). A new
  // call replaces the previous deadline.
  virtual void set_timer(int process, double at) = 0;
  // Is t on a core (or, under ps, running) right now?
  virtual bool running(thread_id t) const = 0;
  // Makes t, which waits for the GIL, runnable at once (no wake-up latency: it was awake).
  virtual void resume(thread_id t) = 0;
  // t's work takes `factor` times longer from now on (1: normal speed).
  virtual void set_slowdown(thread_id t, double factor) = 0;
};

struct gil_stats {
  long switches = 0;         // the GIL went to a thread other than its last holder
  long forced_switches = 0;  // drops made on a drop request
};

class gil_model {
public:
  virtual ~gil_model() = default;
  // Does a CPU phase of this kind need the GIL? And how much longer is its work under this
  // interpreter (free threading's single-thread overhead)?
  virtual bool needed(cpu_mode mode) const = 0;
  virtual double work_factor(cpu_mode mode) const { (void)mode; return 1.0; }
  // t, on a core, wants to run Python. True: it holds the GIL now. False: the model has called
  // host.block_for_gil(t, ...).
  virtual bool want(thread_id t) = 0;
  // t, holding the GIL, stops running Python of its own accord (I/O, sleep, a lock wait, a
  // native phase, its end).
  virtual void release(thread_id t) = 0;
  virtual void on_timeout(thread_id t) = 0;
  // The process timer set with host.set_timer came due.
  virtual void on_timer() {}
  // The holder reached the check asked for by request_check. True: it dropped the GIL and the
  // model has blocked it (host.block_for_gil); false: it goes on.
  virtual bool on_check(thread_id t) = 0;
  virtual bool holds(thread_id t) const = 0;
  const gil_stats& stats() const { return stats_; }
  void set_host(gil_host* host) { host_ = host; }

protected:
  // The GIL goes to t: a switch unless t held it last. True if it was one.
  bool count_switch(thread_id t)
  {
    if (t == last_holder_)
      return false;
    if (last_holder_ != no_thread)
      ++stats_.switches;
    last_holder_ = t;
    return true;
  }

  gil_host* host_ = nullptr;
  gil_stats stats_;

private:
  thread_id last_holder_ = no_thread;
};

using gil_registry = registry<gil_model, gil_context>;

}  // namespace gilsim
