// gil: new, the GIL of CPython 3.2 and later (Python/ceval_gil.c, take_gil / drop_gil).
// - take: a thread takes a free GIL at once. Otherwise it waits on the GIL's condition variable
//   for `switch_interval`; when such a wait times out while the same holder still has it
//   (switch_number unchanged), it sets drop_request and waits again for a fresh full interval.
// - The holder notices drop_request at its next eval-breaker check, `check_latency` of its own
//   Python execution later; it drops the GIL, signals one waiter, and (FORCE_SWITCHING) waits
//   until another thread has taken it before it may try again.
// - A voluntary drop (I/O, sleep, lock wait, native code, exit) signals one waiter and does not
//   wait. Taking the GIL clears any drop request.
// - Which waiter a signal wakes is the condition variable's and the OS's business. `handoff:
//   random` picks uniformly among the waiters (seeded), `fifo` the longest waiter; measured on
//   CPython 3.12, an I/O thread beside two CPU-bound ones wins only about half the forced
//   hand-offs, which the random pick reproduces and strict FIFO gets wrong by 2x (MODEL.md s.3).
// A signalled waiter needs the engine's wake-up latency and a core before it tests the GIL
// again; if another thread took it meanwhile, it waits again.
#include "models/gil_model.hpp"

#include <algorithm>
#include <deque>
#include <vector>

namespace gilsim {
namespace {

class new_gil final : public gil_model {
public:
  new_gil(const param_values& p)
      : interval_(p.number("switch_interval"))
      , check_latency_(p.number("check_latency"))
      , fifo_(p.choice("handoff") == "fifo")
  {
  }

  bool needed(cpu_mode mode) const override { return mode != cpu_mode::native; }

  bool want(thread_id t) override
  {
    if (holder_ == t)
      return true;
    if (holder_ == no_thread) {
      take(t);
      return true;
    }
    wait(t);
    return false;
  }

  void release(thread_id t) override
  {
    if (holder_ != t)
      return;
    holder_ = no_thread;
    signal_one();
  }

  void on_timeout(thread_id t) override
  {
    auto it = std::find_if(waiters_.begin(), waiters_.end(),
                           [t](const waiter& w) { return w.t == t; });
    if (it == waiters_.end())
      return;  // already signalled: the signal won the race with the timer
    if (holder_ == no_thread) {
      waiters_.erase(it);
      host_->wake(t);  // free: the timed-out waiter goes to take it (it needs a core first)
      return;
    }
    if (switch_number_ == it->saved_switch && !drop_request_) {
      drop_request_ = true;
      host_->request_check(holder_, check_latency_);
    }
    // A fresh full interval; the waiter keeps its place in line (it has waited since it first
    // asked), which is what "longest waiter" means for the fifo hand-off.
    it->saved_switch = switch_number_;
    host_->block_for_gil(t, interval_);
  }

  bool on_check(thread_id t) override
  {
    if (!drop_request_ || holder_ != t)
      return false;
    holder_ = no_thread;
    drop_request_ = false;
    ++stats_.forced_switches;
    signal_one();
    // FORCE_SWITCHING: the dropper may not take it back before someone else has had it.
    switch_waiters_.push_back(t);
    host_->block_for_gil(t, unlimited);
    return true;
  }

  bool holds(thread_id t) const override { return holder_ == t; }
  const gil_stats& stats() const override { return stats_; }

private:
  struct waiter {
    thread_id t;
    std::uint64_t saved_switch;  // switch_number when this pass of the wait began
  };

  void take(thread_id t)
  {
    holder_ = t;
    drop_request_ = false;
    if (t != last_holder_) {
      if (last_holder_ != no_thread)
        ++stats_.switches;
      last_holder_ = t;
      ++switch_number_;
    }
    // A forced dropper waits for the switch to another thread, which has now happened.
    for (auto it = switch_waiters_.begin(); it != switch_waiters_.end();) {
      if (*it != last_holder_) {
        host_->wake(*it);
        it = switch_waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // A new wait, at the back of the line.
  void wait(thread_id t)
  {
    waiters_.push_back({t, switch_number_});
    host_->block_for_gil(t, interval_);
  }

  void signal_one()
  {
    if (waiters_.empty())
      return;
    size_t pick = fifo_ ? 0 : size_t(host_->draw(waiters_.size()));
    thread_id w = waiters_[pick].t;
    waiters_.erase(waiters_.begin() + long(pick));
    host_->wake(w);
  }

  double interval_;
  double check_latency_;
  bool fifo_;
  thread_id holder_ = no_thread;
  thread_id last_holder_ = no_thread;
  std::uint64_t switch_number_ = 0;
  bool drop_request_ = false;
  std::deque<waiter> waiters_;          // in the condition variable, in order of waiting
  std::vector<thread_id> switch_waiters_;  // forced droppers waiting for the switch
  gil_stats stats_;
};

const bool registered = gil_registry::add({
    "new",
    "the CPython 3.2+ GIL: timed waits, drop requests, forced switching",
    {
        {"switch_interval", param_kind::duration, "s", 5e-3, 0, 10, true,
         "sys.setswitchinterval: how long a waiter waits before asking for a drop", {}},
        {"check_latency", param_kind::duration, "s", 5e-6, 0, 1, false,
         "Python execution between a drop request and the holder's eval-breaker check", {}},
        {"handoff", param_kind::choice, "", 0, 0, 1, false,
         "which waiter a drop wakes: random (seeded, uniform) or fifo (longest waiter)",
         {"random", "fifo"}},
    },
    [](const param_values& p, const gil_context&) { return std::make_unique<new_gil>(p); },
});

}  // namespace
}  // namespace gilsim
