// The seam between the OS and a process's interpreter lock (the GIL variants: new, old, none).
// Like the OS policies, a GIL model is plain C++ that decides: it reads the OS through a
// gil_view and returns its decisions (block, wake, resume, a check, its timer, a thread's rate),
// which the OS carries out once the model's call is over. Every Python process has its own.
#pragma once

#include "models/core/registry.hpp"
#include "models/sched/sched_policy.hpp"
#include "models/core/scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gilsim {

struct gil_context {
  std::string process;     // the process's name, for messages
  std::uint64_t seed = 1;  // the scenario's seed, for seeded hand-off picks
  int process_index = 0;   // so that every process draws from its own stream
  double wakeup_latency = 30e-6;  // the machine's, for models that reason about wake-ups
};

// What a GIL model may read of the OS while it decides. Each Python process has its own view,
// and with it its own seeded random stream.
class gil_view {
public:
  virtual ~gil_view() = default;
  virtual double now() const = 0;
  // Is t on a core (or, under ps, running) right now?
  virtual bool running(thread_id t) const = 0;
  // A draw from the process's own stream, uniform in [0, n).
  virtual std::uint64_t draw(std::uint64_t n) = 0;
};

// What a GIL model decides in one call. The model changes no OS state itself: the OS carries
// the decisions out, in the order they were made, once the call has returned.
struct gil_decision {
  enum class kind {
    block,   // t, on a core, could not have the GIL: it leaves its core and waits
    wake,    // signals t, which waits: runnable after the wake-up latency, then it asks again
    resume,  // t, which waits but was awake on its core, runs on at once
    check,   // the holder t must reach an eval-breaker check after `value` s of its Python
    timer,   // the process's one GIL timer fires at `value` (unlimited: never); replaces the last
    rate,    // t's work takes `value` times longer from now on (1: normal speed)
  };
  kind what;
  thread_id t = no_thread;
  double value = 0;
};

class gil_decisions {
public:
  void block(thread_id t) { list_.push_back({gil_decision::kind::block, t, 0}); }
  void wake(thread_id t) { list_.push_back({gil_decision::kind::wake, t, 0}); }
  void resume(thread_id t) { list_.push_back({gil_decision::kind::resume, t, 0}); }
  void check_after(thread_id holder, double cpu_delay)
  {
    list_.push_back({gil_decision::kind::check, holder, cpu_delay});
  }
  void set_timer(double at) { list_.push_back({gil_decision::kind::timer, no_thread, at}); }
  void set_rate(thread_id t, double factor) { list_.push_back({gil_decision::kind::rate, t, factor}); }
  const std::vector<gil_decision>& list() const { return list_; }
  void clear() { list_.clear(); }

private:
  std::vector<gil_decision> list_;
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
  // t, on a core, wants to run Python. True: it holds the GIL now. False: the model has
  // decided to block it (out.block(t)).
  virtual bool want(thread_id t, gil_decisions& out) = 0;
  // t, holding the GIL, stops running Python of its own accord (I/O, sleep, a lock wait, a
  // native phase, its end).
  virtual void release(thread_id t, gil_decisions& out) = 0;
  // The process timer set with out.set_timer came due.
  virtual void on_timer(gil_decisions& out) { (void)out; }
  // The holder reached the check asked for by out.check_after. True: it dropped the GIL and
  // the model has decided to block it; false: it goes on.
  virtual bool on_check(thread_id t, gil_decisions& out) = 0;
  virtual bool holds(thread_id t) const = 0;
  const gil_stats& stats() const { return stats_; }
  void set_view(gil_view* view) { view_ = view; }

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

  gil_view* view_ = nullptr;
  gil_stats stats_;

private:
  thread_id last_holder_ = no_thread;
};

using gil_registry = registry<gil_model, gil_context>;

}  // namespace gilsim
