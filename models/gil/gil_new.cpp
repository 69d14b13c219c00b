// gil: new, the GIL of CPython 3.2 and later (Python/ceval_gil.c, take_gil / drop_gil).
// - take: a thread takes a free GIL at once. Otherwise it waits on the GIL's condition variable
//   in passes of `switch_interval`; a pass that times out while the GIL is held and no switch
//   happened during it (switch_number unchanged) sets drop_request; a pass that times out while
//   the GIL is free sends the waiter to take it; every other timeout starts a fresh pass.
// - The holder notices drop_request at its next eval-breaker check, `check_latency` of its own
//   Python execution later; it drops the GIL, signals one waiter, and (FORCE_SWITCHING) waits
//   until another thread has taken it before it may try again.
// - A voluntary drop (I/O, sleep, lock wait, native code, exit) signals one waiter and does not
//   wait. Taking the GIL clears any drop request.
// - Which waiter a signal wakes is the condition variable's and the OS's business. `handoff:
//   random` picks uniformly among the waiters (seeded), `fifo` the longest waiter, `condvar`
//   follows glibc's condition variable (models/gil/condvar.hpp): waiters in two groups, a signal
//   for the older group G1 first, a timed-out waiter re-waiting in the newer G2, and a waiter
//   still on its core after its timeout taking a signal that reaches its group before any
//   blocked one can wake (docs/model.md section 3 compares the three with CPython 3.12).
// A signalled waiter needs the engine's wake-up latency and a core before it tests the GIL
// again; if another thread took it meanwhile, it waits again.
//
// Events: a waiter's passes end at wait_start + k x interval. Most of those timeouts change
// nothing (a switch happened during the pass), so instead of a timer per waiter the model keeps
// one timer per process, set to the first pass end that can matter: the first pass of any waiter
// that began after the last switch (while the GIL is held and no drop is requested), or any pass
// end (while the GIL is free). Ten threads sharing a GIL then cost a few events per hand-off
// instead of ten, with the same outcome. Under `condvar` every timeout re-waits, which moves
// the waiter to the back of the condition variable, so the timer stops at every pass end.
// The waiters are kept ordered by their pass ends (models/gil/pass_ends.hpp): setting that timer,
// and finding the waiters whose pass ends when it fires, cost O(log W), not a scan of them all.
// Each waiter is found by its thread, and the k-th in the order of waiting (the one a signal
// picks) by a Fenwick tree over the order of waiting (models/gil/waiting_order.hpp): a hand-off
// costs O(log W) and no allocation, so 4096 threads on one GIL run in seconds (a list scanned
// or erased from the middle made it quadratic).
#include "models/gil/condvar.hpp"
#include "models/gil/gil_model.hpp"
#include "models/gil/pass_ends.hpp"
#include "models/gil/waiting_order.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace gilsim {
namespace {

class new_gil final : public gil_model {
public:
  new_gil(const param_values& p, const gil_context& ctx)
      : interval_(p.number("switch_interval"))
      , check_latency_(p.number("check_latency"))
      , fifo_(p.choice("handoff") == "fifo")
      , condvar_(p.choice("handoff") == "condvar")
      , rewait_(p.number("rewait_time"))
      , timer_slack_(p.number("timer_slack"))
      , cyclic_(interval_)
  {
    (void)ctx;
  }

  bool needed(cpu_mode mode) const override { return mode != cpu_mode::native; }

  bool want(thread_id t, gil_decisions& out) override
  {
    if (holder_ == t)
      return true;
    const double now = view_->now();
    if (holder_ == no_thread) {
      take(t, out, now);
      arm(out, now);
      return true;
    }
    if (size_t(t) >= wait_of_.size())
      wait_of_.resize(size_t(t) + 1);
    waiter& w = wait_of_[size_t(t)];
    w = {t, now};
    if (condvar_) {
      w.late = lateness();
      cv_.wait(t, now + awake_time());
    }
    index(w);
    out.block(t);
    arm(out, now);
    return false;
  }

  void release(thread_id t, gil_decisions& out) override
  {
    if (holder_ != t)
      return;
    holder_ = no_thread;
    const double now = view_->now();
    signal_one(out, now);
    arm(out, now);
  }

  // Every waiter's timed pass goes through the process timer.
  void on_timer(gil_decisions& out) override
  {
    double now = view_->now();
    // The waiters whose pass ends now, in the order they wait.
    due_.clear();
    if (condvar_)
      single_.ending_at(now, due_);
    else
      cyclic_.ending_at(now, due_);
    if (due_.size() > 1)  // most often one alone
      std::sort(due_.begin(), due_.end(), [this](thread_id a, thread_id b) {
        return waiters_.place(a) < waiters_.place(b);
      });
    for (thread_id t : due_) {
      waiter& w = wait_of_[size_t(t)];
      if (holder_ == no_thread) {
        unindex(w);
        if (condvar_) {
          cv_.cancel(t);
          out.resume(t);  // it is on its core, and finds the GIL free
        } else {
          out.wake(t);  // free: the timed-out waiter goes to take it (it needs a core first)
        }
        continue;
      }
      if (!drop_request_ && pass_start(w, now) >= last_switch_ - same(now)) {
        drop_request_ = true;  // a whole pass with no switch: ask the holder to drop
        out.check_after(holder_, check_latency_);
      }
      if (condvar_)
        rewait(w, now);
    }
    arm(out, now);
  }

  bool on_check(thread_id t, gil_decisions& out) override
  {
    if (!drop_request_ || holder_ != t)
      return false;
    holder_ = no_thread;
    drop_request_ = false;
    ++stats_.forced_switches;
    const double now = view_->now();
    signal_one(out, now);
    // FORCE_SWITCHING: the dropper may not take it back before someone else has had it.
    switch_waiters_.push_back(t);
    out.block(t);
    arm(out, now);
    return true;
  }

  bool holds(thread_id t) const override { return holder_ == t; }

private:
  struct waiter {
    thread_id t;
    double wait_start;  // its passes end at wait_start + k x interval (+ late, under condvar)
    double late = 0;    // under condvar, how late the kernel ends its one pass (timer slack)
  };
  static double same(double t) { return same_instant(t); }

  // The end of the pass of w that is running at time `after` (the first end >= after).
  double next_end(const waiter& w, double after) const
  {
    if (condvar_)
      return single_end(w);  // every timeout waits again: one pass a wait
    return cyclic_.next_end(w.wait_start, after);
  }
  double single_end(const waiter& w) const { return w.wait_start + interval_ + w.late; }
  // Keeps the pass-end order up to date as w starts or stops waiting (or waits again).
  void index(const waiter& w)
  {
    waiters_.push_back(w.t);
    if (condvar_)
      single_.add(w.t, single_end(w));
    else
      cyclic_.add(w.t, w.wait_start);
  }
  void unindex(const waiter& w)
  {
    waiters_.erase(w.t);
    if (condvar_)
      single_.remove(w.t, single_end(w));
    else
      cyclic_.remove(w.t, w.wait_start);
  }
  double pass_start(const waiter& w, double end) const
  {
    if (condvar_)
      return w.wait_start;
    return next_end(w, end - same(end)) - interval_;
  }
  // How long a thread that begins a wait stays on its core before it blocks in the futex: a
  // draw in (0, 2 x rewait_time], none at all when rewait_time is 0.
  double awake_time()
  {
    return rewait_ > 0 ? 2 * rewait_ * double(view_->draw(1024) + 1) / 1024 : 0;
  }
  // How late the kernel ends a timed wait: a draw in [0, timer_slack).
  double lateness() { return timer_slack_ * double(view_->draw(1024)) / 1024; }
  // A timed-out waiter waits again: a fresh pass, at the back of the condition variable (G2).
  void rewait(waiter& w, double now)
  {
    single_.remove(w.t, single_end(w));
    w.wait_start = now;
    w.late = lateness();
    single_.add(w.t, single_end(w));
    cv_.cancel(w.t);
    cv_.wait(w.t, now + awake_time());
  }
  // The one process timer, at the first pass end that can change anything.
  void arm(gil_decisions& out, double now)
  {
    double best = unlimited;
    if (condvar_)
      best = single_.first_end();
    else if (holder_ == no_thread)
      best = cyclic_.first_end(now + same(now));  // any timeout while free sends its waiter
    else if (!drop_request_)  // once asked, timeouts change nothing until the next switch
      // The first pass that begins at or after the last switch.
      best = cyclic_.first_end(std::max(now + same(now), last_switch_ + interval_ - same(now)));
    out.set_timer(best);
  }

  void take(thread_id t, gil_decisions& out, double now)
  {
    holder_ = t;
    drop_request_ = false;
    if (count_switch(t))
      last_switch_ = now;
    // A forced dropper waits for the switch to another thread, which has now happened.
    for (auto it = switch_waiters_.begin(); it != switch_waiters_.end();) {
      if (*it != t) {
        out.wake(*it);
        it = switch_waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void signal_one(gil_decisions& out, double now)
  {
    if (waiters_.empty())
      return;
    if (condvar_) {
      condvar::woken w = cv_.signal(now);
      if (w.t == no_thread)
        return;
      unindex(wait_of_[size_t(w.t)]);
      if (w.awake)
        out.resume(w.t);  // still on its core: it takes the signal and tests the GIL at once
      else
        out.wake(w.t);
      return;
    }
    size_t pick = fifo_ ? 0 : size_t(view_->draw(waiters_.size()));
    thread_id w = waiters_.kth(pick);
    unindex(wait_of_[size_t(w)]);
    out.wake(w);
  }

  double interval_;
  double check_latency_;
  bool fifo_;
  bool condvar_;
  double rewait_;  // how long a timed-out waiter stays on its core, on average, as it waits again
  double timer_slack_;  // under condvar: a timed wait ends up to this late (the kernel's slack)
  condvar cv_;     // under handoff: condvar, the order of the waiters in glibc's groups
  thread_id holder_ = no_thread;
  double last_switch_ = -1;  // when the GIL last went to another thread (CPython's switch_number)
  bool drop_request_ = false;
  // The waiters in the condition variable, in order of waiting, with the k-th found in
  // O(log W) (models/gil/waiting_order.hpp); and each one's wait, by thread.
  waiting_order waiters_;
  std::vector<waiter> wait_of_;
  std::vector<thread_id> switch_waiters_;  // forced droppers waiting for the switch
  cyclic_passes cyclic_;  // the waiters by the phase of their pass ends (random, fifo)
  single_passes single_;  // the waiters by the end of their one pass (condvar)
  std::vector<thread_id> due_;  // on_timer's, kept to spare an allocation per timer
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
         "which waiter a drop wakes: random (seeded, uniform), fifo (longest waiter) or condvar "
         "(glibc's two groups, awake waiters first)",
         {"random", "fifo", "condvar"}},
        {"rewait_time", param_kind::duration, "s", 4.5e-6, 0, 1e-3, false,
         "under handoff: condvar, how long a timed-out waiter stays on its core on average "
         "before it blocks again",
         {}},
        {"timer_slack", param_kind::duration, "s", 50e-6, 0, 1e-2, false,
         "under handoff: condvar, a timed wait ends up to this much late (Linux's default "
         "timer slack: 50 us)",
         {}},
    },
    [](const param_values& p, const gil_context& ctx) { return std::make_unique<new_gil>(p, ctx); },
});

}  // namespace
}  // namespace gilsim
