// Processor sharing between events, for the look-ahead under ps: R runs on one N-core host each
// progress at min(1, N / R) of a core (what SimGrid's max-min model gives runs of equal weight,
// each bounded by one core). Between two events nothing changes R, so every run's end is known:
// a virtual clock V advances at that rate, a run of work w given when V was v ends when V
// reaches v + w, and the first of those ends is the next event. Adding, removing and finding
// the next end cost O(log R). Times are the OS's nanoseconds; V is in nanoseconds of work at
// full rate, a double, so that ends are dated to within a nanosecond.
#pragma once

#include "sim/engine/keyed_heap.hpp"
#include "sim/os/os.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gilsim {

class fluid_share {
public:
  void reset(std::size_t threads, int cores)
  {
    ends_.reset(threads);
    cores_ = cores;
    virtual_ = 0;
    last_ = 0;
  }
  bool empty() const { return ends_.empty(); }
  bool contains(thread_id t) const { return ends_.contains(int(t)); }

  // Brings the virtual clock to the OS's time `now` (never backwards).
  void advance(ns_t now)
  {
    if (now > last_)
      virtual_ = virtual_at(now);
    last_ = std::max(last_, now);
    if (ends_.empty())
      virtual_ = 0;  // nothing runs: start afresh, so that V stays small
  }
  // t starts a run of `work` ns at full rate now (replacing any run of t).
  void add(thread_id t, ns_t now, ns_t work)
  {
    advance(now);
    ends_.set(int(t), virtual_ + double(work));
  }
  void remove(thread_id t, ns_t now)
  {
    advance(now);
    ends_.erase(int(t));
  }
  // The work left of t's run at `now`, in ns at full rate, to the nearest nanosecond.
  ns_t left(thread_id t, ns_t now) const
  {
    return std::max(ns_t(0), ns_t(std::llround(ends_.value(int(t)) - virtual_at(now))));
  }
  // When the first run ends (forever if none runs), to the nearest nanosecond.
  ns_t next_end() const
  {
    if (ends_.empty())
      return forever;
    double wait = std::max(0.0, ends_.top_value() - virtual_) / rate();
    return last_ + ns_t(std::llround(wait));
  }
  // The runs that end at `now` (their ends within half a nanosecond of work), by end then by
  // thread; they leave the share.
  void pop_ended(ns_t now, std::vector<thread_id>& out)
  {
    advance(now);
    while (!ends_.empty() && ends_.top_value() <= virtual_ + 0.5) {
      out.push_back(thread_id(ends_.top_key()));
      ends_.pop();
    }
    advance(now);
  }
  // Every run still in the share, each with its work left at `now`; the share is then empty.
  template <class F>
  void drain(ns_t now, F&& each)
  {
    advance(now);
    while (!ends_.empty()) {
      thread_id t = thread_id(ends_.top_key());
      each(t, left(t, now));
      ends_.pop();
    }
  }

private:
  double rate() const
  {
    double runs = double(ends_.size());
    return runs <= cores_ ? 1.0 : double(cores_) / runs;
  }
  double virtual_at(ns_t now) const { return virtual_ + double(now - last_) * rate(); }

  keyed_heap<double> ends_;  // each run's end on the virtual clock, by thread
  int cores_ = 1;
  double virtual_ = 0;  // V at last_
  ns_t last_ = 0;
};

}  // namespace gilsim
