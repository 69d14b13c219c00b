// gil: old, the GIL of Python 2 and CPython <= 3.1 (Python/ceval.c, PyThread locks on POSIX
// semaphores). Every check_interval ticks (sys.setcheckinterval, default 100 bytecodes at
// tick_cost each) the holder releases the lock and at once takes it again, with no hand-off.
// - While another thread waits for the lock, each release is a sem_post with a sleeper: a futex
//   wake of `signal_cost` that the holder pays. So the holder's Python runs at
//   check / (check + signal_cost) of its speed while anyone waits.
// - A woken waiter runs (after the wake-up latency, on its own core), finds the lock taken
//   again, and sleeps: a futile wake-up. It wins only when its attempt falls inside the
//   holder's release, while the post has freed the lock and the wake syscall is still running:
//   with probability signal_cost / (check + signal_cost) per attempt, one attempt per wake-up
//   latency plus a release cycle. The first winning attempt is drawn at once (a geometric
//   number of attempts), so no event is spent on the futile ones.
// - With one core a waiter cannot run while the holder does. The OS preempts the holder where it
//   enters the kernel, which is at a release's futex wake, with the lock free: whoever the OS
//   puts on the core next takes the lock. So threads switch at the OS's slices.
// Reference (docs/model.md section 8): two CPU-bound threads on 2 cores run 1.5-1.9x slower than
// sequential (Beazley 2009: 1.8x; Python 2.7.18 on a 2-vCPU VM: 1.47-1.90x), on one core about
// as fast; measured on 2.7.18 here, the lock changes hands every ~0.25 ms on 2 cores and at the
// OS's ~4 ms slices on one.
#include "models/gil/gil_model.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace gilsim {
namespace {

class old_gil final : public gil_model {
public:
  old_gil(const param_values& p, const gil_context& ctx)
      : check_(p.number("check_interval") * p.number("tick_cost"))
      , signal_(p.number("signal_cost"))
      , latency_(ctx.wakeup_latency)
  {
  }

  bool needed(cpu_mode mode) const override { return mode != cpu_mode::native; }

  bool want(thread_id t, gil_decisions& out) override
  {
    if (holder_ == t)
      return true;
    if (holder_ == no_thread || !view_->running(holder_)) {
      // Free, or held by a thread the OS took off its core at a release: the lock is free.
      take(t, out);
      return true;
    }
    sleepers_.push_back(t);
    out.block(t);
    update(out);
    return false;
  }

  void release(thread_id t, gil_decisions& out) override
  {
    if (holder_ != t)
      return;
    out.set_rate(t, 1.0);
    holder_ = no_thread;
    winner_ = no_thread;
    if (!sleepers_.empty()) {
      // The post wakes one sleeper, which will find the lock free.
      size_t pick = size_t(view_->draw(sleepers_.size()));
      thread_id w = sleepers_[pick];
      sleepers_.erase(sleepers_.begin() + long(pick));
      out.wake(w);
    }
    update(out);
  }

  void on_timer(gil_decisions& out) override
  {
    if (holder_ == no_thread || sleepers_.empty())
      return;
    if (!view_->running(holder_)) {
      update(out);  // no releases while the holder is off its core: try again later
      return;
    }
    // A sleeper's attempt lands in a release: it wins the lock at the holder's next check.
    winner_ = sleepers_[size_t(view_->draw(sleepers_.size()))];
    out.check_after(holder_, 0);
  }

  bool on_check(thread_id h, gil_decisions& out) override
  {
    if (h != holder_ || winner_ == no_thread)
      return false;
    thread_id w = winner_;
    winner_ = no_thread;
    sleepers_.erase(std::find(sleepers_.begin(), sleepers_.end(), w));
    ++stats_.forced_switches;
    take(w, out);  // which puts the loser back to full speed
    // The loser's next acquire finds the lock taken: it sleeps in its turn.
    sleepers_.push_back(h);
    out.block(h);
    out.resume(w);  // it was awake, on its core, when it won
    update(out);
    return true;
  }

  bool holds(thread_id t) const override { return holder_ == t; }

private:
  void take(thread_id t, gil_decisions& out)
  {
    if (holder_ != no_thread && holder_ != t)
      out.set_rate(holder_, 1.0);
    holder_ = t;
    count_switch(t);
    update(out);
  }

  // The holder's speed and the next winning attempt, whenever who waits or who holds changes.
  void update(gil_decisions& out)
  {
    if (holder_ == no_thread || sleepers_.empty()) {
      if (holder_ != no_thread)
        out.set_rate(holder_, 1.0);
      out.set_timer(unlimited);
      return;
    }
    out.set_rate(holder_, (check_ + signal_) / check_);
    if (winner_ != no_thread)
      return;
    // Each sleeper attempts once per wake-up latency and release cycle; an attempt wins with
    // probability p. The first win among n sleepers comes after a geometric number of rounds.
    double p = signal_ / (check_ + signal_);
    double any = 1 - std::pow(1 - p, double(sleepers_.size()));
    double u = (double(view_->draw(1ULL << 53)) + 0.5) / double(1ULL << 53);
    double rounds = any >= 1 ? 1 : 1 + std::floor(std::log(u) / std::log(1 - any));
    double period = latency_ + check_ + signal_;
    out.set_timer(view_->now() + rounds * period);
  }

  double check_;    // seconds of Python between two releases
  double signal_;   // a release's futex wake while someone sleeps
  double latency_;  // a woken sleeper's wake-up
  thread_id holder_ = no_thread;
  thread_id winner_ = no_thread;  // a sleeper whose attempt has won, until the holder's check
  std::deque<thread_id> sleepers_;
};

const bool registered = gil_registry::add({
    "old",
    "the Python 2 GIL: release and re-acquire every check interval, futile wake-ups",
    {
        {"check_interval", param_kind::integer, "ticks", 100, 1, 1e9, false,
         "sys.setcheckinterval: bytecodes between two releases", {}},
        {"tick_cost", param_kind::duration, "s", 20e-9, 0, 1e-3, true,
         "the Python work of one tick (a bytecode)", {}},
        {"signal_cost", param_kind::duration, "s", 1.5e-6, 0, 1e-3, false,
         "a release's futex wake, paid by the holder while another thread waits", {}},
    },
    [](const param_values& p, const gil_context& ctx) { return std::make_unique<old_gil>(p, ctx); },
});

}  // namespace
}  // namespace gilsim
