// The order in which a condition variable like glibc's (nptl, 2.25 and later) lets its waiters
// take signals, for the new GIL's `handoff: condvar`.
// - Every wait takes the next position in one waiter sequence and joins the newer of two
//   groups, G2. A signal goes to the older group, G1, while G1 still has a waiter that has been
//   neither signalled nor has left; only when G1 has none does the signal turn G2 into the new
//   G1 (and open an empty G2) before it is delivered.
// - A waiter leaves its group when its timed wait runs out; if it waits again, it takes a new
//   position, in G2, behind everyone already waiting.
// - Within G1 the signal is a token that any member may take. A member still on its core (it
//   has just registered and not yet blocked in the futex) takes it at once; otherwise the futex
//   wake-up goes to the member blocked longest, which then needs the wake-up latency and a core.
#pragma once

#include "models/sched/sched_policy.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace gilsim {

class condvar {
public:
  struct woken {
    thread_id t = no_thread;
    bool awake = false;  // still on its core: no wake-up needed
  };

  // t waits: the next position, in G2, on its core until just before `awake_until`.
  void wait(thread_id t, double awake_until)
  {
    entries_.push_back({t, g2_, awake_until});
  }
  // t stops waiting without a signal (its timed wait ran out, or it took the GIL another way).
  void cancel(thread_id t)
  {
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [t](const entry& e) { return e.t == t; }),
                   entries_.end());
  }
  // One signal at `now`: the waiter that takes it, if anyone waits.
  woken signal(double now)
  {
    if (entries_.empty())
      return {};
    auto in_g1 = [this](const entry& e) { return e.group != g2_; };
    if (std::none_of(entries_.begin(), entries_.end(), in_g1))
      g2_ ^= 1;  // G1 is spent: G2, which holds everyone, becomes G1
    auto pick = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) {
      return in_g1(e) && e.awake_until > now;
    });
    if (pick == entries_.end())
      pick = std::find_if(entries_.begin(), entries_.end(), in_g1);  // blocked longest
    woken w{pick->t, pick->awake_until > now};
    entries_.erase(pick);
    return w;
  }

private:
  struct entry {
    thread_id t;
    int group;           // the slot it joined, 0 or 1; G2 is slot g2_
    double awake_until;  // on its core until then
  };
  std::vector<entry> entries_;  // in the order of the waiter sequence
  int g2_ = 0;
};

}  // namespace gilsim
