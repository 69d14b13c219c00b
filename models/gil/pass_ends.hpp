// The new GIL's waiters ordered by when their timed passes end, so that the model finds the next
// pass end that matters, and the waiters whose pass ends now, in O(log W) rather than by a scan
// of every waiter with a ceil each.
// - `cyclic_passes` (handoff random or fifo): a waiter that began waiting at s has its passes end
//   at s + k x interval, k >= 1, for as long as it waits. Its ends repeat with the period of the
//   interval, so the waiters are kept in the order of their phase, s modulo the interval: the
//   next end after a date is that of the first phase at or after the date's phase, cyclically.
//   The order only picks the candidates; each candidate's end is then computed by the very
//   formula a scan uses (next_end), so that the answers are the scan's to the last bit. A few
//   waiters (up to `few`) are kept in a plain list and scanned: for them the order costs more
//   than it saves.
// - `single_passes` (handoff condvar): each wait is one pass, ending at a fixed date.
#pragma once

#include "models/core/node_spares.hpp"
#include "models/sched/sched_policy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory_resource>
#include <set>
#include <vector>

namespace gilsim {

// Two dates this close are the same instant: the OS dates events to the nanosecond and hands
// them over as doubles of seconds, which at a large date are coarser than that (a double's step
// is 15 ns at 1e8 s). So the tolerance is 2 ns or 8 steps of a double at t, whichever is larger:
// a fixed 2 ns fell below one step past about 65,536 s, a pass end then never compared equal to
// the timer that marked it, and the timer was set again for the same instant for ever.
// Below 2^21 s a double's step is at most 2^-32 s, so 8 steps are less than 2 ns: the answer is
// 2 ns without asking for the step.
inline double same_instant(double t)
{
  const double a = std::fabs(t);
  if (a < 2097152.0)
    return 2e-9;
  return std::max(2e-9, 8 * (std::nextafter(a, 2 * a + 1) - a));
}

// x modulo y (y > 0) to the last bit, as std::fmod, without its long division: the quotient's
// integer part (exact below 2^53) and one fused multiply-add, which is exact when the quotient is
// right because the remainder is representable; a quotient off by one is put right.
inline double exact_fmod(double x, double y)
{
  if (!(x >= 0) || !(x < y * 9007199254740992.0))
    return std::fmod(x, y);
  double q = std::trunc(x / y);
  double r = std::fma(-q, y, x);
  if (r < 0)
    r = std::fma(-(q - 1), y, x);
  else if (r >= y)
    r = std::fma(-(q + 1), y, x);
  return r;
}

class cyclic_passes {
public:
  explicit cyclic_passes(double interval)
      : interval_(interval)
  {
  }

  // The end of the pass running at `after` of a waiter since `start` (the first end >= after).
  // A quarter of the tolerance, so that a pass end asked for just after now is later than now
  // by at least three quarters of it: a timer set for it always moves on.
  double next_end(double start, double after) const
  {
    double k = std::max(1.0, std::ceil((after - start - same_instant(after) / 4) / interval_));
    return start + k * interval_;
  }

  void add(thread_id t, double start)
  {
    if (memo_.valid) {  // the least end at memo_.after, with the newcomer's
      const double end = next_end(start, memo_.after);
      if (end < memo_.best)
        memo_ = {true, memo_.after, memo_.tol, end, t, start};
    }
    if (by_phase_.empty() && few_.size() < few) {
      few_.push_back({0, t, start});
      return;
    }
    for (const entry& e : few_)
      insert({phase(e.start), e.t, e.start});
    few_.clear();
    insert({phase(start), t, start});
  }
  void remove(thread_id t, double start)
  {
    if (memo_.t == t && memo_.start == start)
      memo_.valid = false;  // another may have the least end now
    for (auto it = few_.begin(); it != few_.end(); ++it)
      if (it->t == t && it->start == start) {
        few_.erase(it);
        return;
      }
    // Its place in the order, kept as it was added (else found by its key).
    auto it = size_t(t) < where_.size() && where_[size_t(t)].in &&
                      where_[size_t(t)].at->start == start
                  ? where_[size_t(t)].at
                  : by_phase_.find({phase(start), t, start});
    if (it == by_phase_.end())
      return;
    if (size_t(t) < where_.size() && where_[size_t(t)].at == it)
      where_[size_t(t)].in = false;
    if (finger_.valid && finger_.at == it)
      ++finger_.at;  // the next one is now the first at or after the finger's phase
    spares_.erase(by_phase_, it);
  }
  bool empty() const { return by_phase_.empty() && few_.empty(); }

  // The first pass end at or after `after` of any waiter (infinity when none waits): the least
  // next_end(start, after).
  // The last answer is remembered with the waiter that gave it: every waiter's next_end only
  // grows with `after` (at the same tolerance), so while that waiter's end stays the same it is
  // still the least, and a timer armed again and again between two switches costs no walk.
  double first_end(double after) const
  {
    const double win = same_instant(after);
    if (memo_.valid && after >= memo_.after && win == memo_.tol &&
        next_end(memo_.start, after) == memo_.best) {
      memo_.after = after;
      return memo_.best;
    }
    memo_ = {false, after, win, std::numeric_limits<double>::infinity(), no_thread, 0};
    const double from = after - win / 4 - win;  // every candidate's end is later
    if (!few_.empty() || !(interval_ > 4 * win)) {
      for (const entry& e : few_)
        consider(e, after);
      for (const entry& e : by_phase_)
        consider(e, after);
    } else {
      walk(from, [&](const entry& e, double offset) {
        if (from + offset > memo_.best + win)
          return false;  // this one's end and all those after it come after the best
        consider(e, after);
        return true;
      });
    }
    memo_.valid = memo_.t != no_thread;
    return memo_.best;
  }

  // The waiters whose pass ends at `now` (within same_instant(now)), added to `out` in no
  // particular order.
  void ending_at(double now, std::vector<thread_id>& out) const
  {
    const double tol = same_instant(now);
    const double from = now - 2 * tol;
    if (!few_.empty() || !(interval_ > 8 * tol)) {
      for (const entry& e : few_)
        if (ends_at(e, now, tol))
          out.push_back(e.t);
      for (const entry& e : by_phase_)
        if (ends_at(e, now, tol))
          out.push_back(e.t);
      return;
    }
    walk(from, [&](const entry& e, double offset) {
      if (offset > 4 * tol)
        return false;
      if (ends_at(e, now, tol))
        out.push_back(e.t);
      return true;
    });
  }

private:
  struct entry {
    double phase;  // start modulo the interval, in [0, interval)
    thread_id t;
    double start;
    bool operator<(const entry& o) const
    {
      if (phase != o.phase)
        return phase < o.phase;
      if (t != o.t)
        return t < o.t;
      return start < o.start;
    }
  };

  double phase(double t) const
  {
    double p = exact_fmod(t, interval_);
    return p < 0 ? p + interval_ : p;
  }
  bool ends_at(const entry& e, double now, double tol) const
  {
    return std::fabs(next_end(e.start, now - tol) - now) <= tol;
  }
  // first_end's step: e's end, kept if it is the least so far.
  void consider(const entry& e, double after) const
  {
    const double end = next_end(e.start, after);
    if (end < memo_.best)
      memo_ = {false, after, memo_.tol, end, e.t, e.start};
  }
  // Visits every waiter once, in the cyclic order of phases from the phase of `from`, with how
  // far (in [0, interval)) its phase lies past that of `from`, until `visit` returns false.
  template <class Visit>
  void walk(double from, Visit visit) const
  {
    if (by_phase_.empty())
      return;
    const double p0 = phase(from);
    const auto first = first_from(p0);
    auto it = first;
    bool wrapped = false;
    do {
      if (it == by_phase_.end()) {
        it = by_phase_.begin();
        wrapped = true;
        if (it == first)
          break;
      }
      const double offset = wrapped ? it->phase + interval_ - p0 : it->phase - p0;
      if (!visit(*it, offset))
        return;
      ++it;
    } while (it != first);
  }

  // first_end's last answer: the least end after `after`, `best`, is waiter t's (since start).
  struct memo {
    bool valid = false;
    double after = 0, tol = 0, best = 0;
    thread_id t = no_thread;
    double start = 0;
  };

  // The first waiter whose phase is p or later (end(): none). Walks follow the clock, so each
  // starts at or a little past the last one's phase: from the last answer, a step or two finds
  // the next one without a descent of the tree.
  std::set<entry>::const_iterator first_from(double p) const
  {
    auto it = finger_.at;
    bool found = false;
    if (finger_.valid && p >= finger_.phase) {
      found = true;
      for (int steps = 0; it != by_phase_.end() && it->phase < p; ++it)
        if (++steps > 4) {
          found = false;
          break;
        }
    }
    if (!found)
      it = by_phase_.lower_bound(
          {p, std::numeric_limits<thread_id>::min(), -std::numeric_limits<double>::infinity()});
    finger_ = {true, p, it};
    return it;
  }
  // Adds e to the order, and keeps the finger on the first at or after its phase.
  void insert(const entry& e)
  {
    auto it = spares_.insert(by_phase_, e);
    if (size_t(e.t) >= where_.size())
      where_.resize(size_t(e.t) + 1);
    where_[size_t(e.t)] = {true, it};
    if (finger_.valid && e.phase >= finger_.phase &&
        (finger_.at == by_phase_.end() || e < *finger_.at))
      finger_.at = it;
  }

  static constexpr std::size_t few = 16;
  double interval_;
  mutable memo memo_;
  std::vector<entry> few_;  // while no more than `few` wait (by_phase_ is then empty)
  std::set<entry> by_phase_;
  node_spares<std::set<entry>> spares_;  // the nodes of waiters gone, for the next ones
  // The last walk's start: at, the first waiter whose phase is `phase` or later.
  struct finger {
    bool valid = false;
    double phase = 0;
    std::set<entry>::const_iterator at;
  };
  mutable finger finger_;
  // By thread, where its latest entry stands in by_phase_ (while `in`): removed without a search.
  struct place {
    bool in = false;
    std::set<entry>::const_iterator at;
  };
  std::vector<place> where_;
};

// Waiters whose one pass ends at a date fixed when they begin it.
class single_passes {
public:
  void add(thread_id t, double end) { by_end_.insert({end, t}); }
  void remove(thread_id t, double end) { by_end_.erase({end, t}); }
  double first_end() const
  {
    return by_end_.empty() ? std::numeric_limits<double>::infinity() : by_end_.begin()->first;
  }
  // The waiters whose pass ends at `now` (within same_instant(now)), added to `out`.
  void ending_at(double now, std::vector<thread_id>& out) const
  {
    const double tol = same_instant(now);
    for (auto it = by_end_.lower_bound({now - 2 * tol, std::numeric_limits<thread_id>::min()});
         it != by_end_.end() && it->first <= now + 2 * tol; ++it)
      if (std::fabs(it->first - now) <= tol)
        out.push_back(it->second);
  }

private:
  std::pmr::unsynchronized_pool_resource pool_;
  std::pmr::set<std::pair<double, thread_id>> by_end_{&pool_};
};

}  // namespace gilsim
