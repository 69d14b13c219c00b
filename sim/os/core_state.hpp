// A dedicated core's state, and the sets that dedicated cores (sim/os/cpu_cores.cpp) keep up
// to date instead of finding them again core by core at every step or pass of a decision,
// which cost O(cores) each (issue 14: stcf on 256 cores spent most of its time there, and one
// thread on 256 cores looked at every core at every step for its slice ticks):
// - core_occupancy: the idle cores, in the order idle cores take threads (fastest first, ties by
//   id), as bits by that rank, and the busy ones as bits by id: a pass reads a word per 64
//   cores and one bit per core it visits.
// - pass_candidates: the running threads a preemption pass offers the policy, in core order,
//   kept from one pass of a decision to the next. Between two passes at one instant only the
//   threads that moved since (put on a core, taken off one, given a new run) can differ: every
//   other one has had its charge at this instant and keeps its run, so whether that run ends
//   now is unchanged too.
#pragma once

#include "models/sched/sched_policy.hpp"
#include "sim/os/os.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace gilsim {

struct core_state {
  int id = 0;
  double speed = 1;   // relative to the reference core
  std::string group;  // its group's name ("" when the machine gave a number of cores)
  thread_id current = no_thread;
  thread_id last = no_thread;  // the thread that ran here last: switching away from it costs
  ns_t busy = 0;
  ns_t warm = 0;  // of which its threads ran warm in its cache
  long switches = 0;
};

class core_occupancy {
public:
  // by_speed: core ids in the order idle cores take threads; all start idle.
  void init(const std::vector<int>& by_speed)
  {
    order_ = by_speed;
    place_.assign(by_speed.size(), {});
    idle_.assign((by_speed.size() + 63) / 64, 0);
    busy_.assign(idle_.size(), 0);
    for (size_t r = 0; r < by_speed.size(); ++r) {
      place_[size_t(by_speed[r])] = {r / 64, std::uint64_t(1) << (r % 64)};
      idle_[r / 64] |= std::uint64_t(1) << (r % 64);
    }
  }
  void busy(int core)
  {
    idle_[place_[size_t(core)].word] &= ~place_[size_t(core)].bit;
    busy_[size_t(core) / 64] |= std::uint64_t(1) << (size_t(core) % 64);
  }
  void idle(int core)
  {
    idle_[place_[size_t(core)].word] |= place_[size_t(core)].bit;
    busy_[size_t(core) / 64] &= ~(std::uint64_t(1) << (size_t(core) % 64));
  }
  // The idle cores' ids, in their order.
  void list_idle(std::vector<int>& out) const
  {
    out.clear();
    for (size_t w = 0; w < idle_.size(); ++w)
      for (std::uint64_t b = idle_[w]; b != 0; b &= b - 1)
        out.push_back(order_[w * 64 + size_t(std::countr_zero(b))]);
  }
  // f(core id) for every busy core, in id order; f must not make a core busy or idle.
  template <class F>
  void each_busy(F f) const
  {
    for (size_t w = 0; w < busy_.size(); ++w)
      for (std::uint64_t b = busy_[w]; b != 0; b &= b - 1)
        f(int(w * 64 + size_t(std::countr_zero(b))));
  }

private:
  struct place {
    size_t word = 0;
    std::uint64_t bit = 0;
  };
  std::vector<int> order_;    // by rank
  std::vector<place> place_;  // by core id: its rank's bit among the idle
  std::vector<std::uint64_t> idle_;  // by rank
  std::vector<std::uint64_t> busy_;  // by core id
};

class pass_candidates {
public:
  // A decision begins (and ends): its first pass lists every core.
  void reset()
  {
    kept_ = false;
    moved_.clear();
  }
  // t, on core `core`, is about to be taken off it, or was put on it or given a new run there,
  // since the last pass. The first such note after a pass names the core t was listed on.
  void moved(thread_id t, int core)
  {
    if (kept_)
      moved_.push_back({t, core});
  }
  // The candidates of a pass, charged. each_running(f) calls f(thread, core) for every busy
  // core in core order; core_of(t) is t's core (-1: none); charge(t) charges t's CPU so far and
  // says whether its run goes on past now. Threads are charged in core order either way.
  template <class EachRunning, class CoreOf, class Charge>
  const std::vector<thread_id>& pass(EachRunning each_running, CoreOf core_of, Charge charge)
  {
    if (!kept_) {
      list_.clear();
      cores_.clear();
      moved_.clear();
      kept_ = true;
      each_running([&](thread_id t, int core) {
        if (charge(t)) {
          list_.push_back(t);
          cores_.push_back(core);
        }
      });
      return list_;
    }
    // Out of the list until put back: each moved thread, found by the core of its first note.
    for (auto [t, core] : moved_)
      if (auto i = std::lower_bound(cores_.begin(), cores_.end(), core) - cores_.begin();
          size_t(i) < list_.size() && list_[size_t(i)] == t) {
        cores_.erase(cores_.begin() + i);
        list_.erase(list_.begin() + i);
      }
    for (auto& m : moved_)
      m.second = core_of(m.first);
    std::sort(moved_.begin(), moved_.end(), [](const note& a, const note& b) {
      return std::tie(a.second, a.first) < std::tie(b.second, b.first);
    });
    moved_.erase(std::unique(moved_.begin(), moved_.end()), moved_.end());
    for (auto [t, core] : moved_)
      if (core >= 0 && charge(t)) {
        auto at = std::lower_bound(cores_.begin(), cores_.end(), core) - cores_.begin();
        cores_.insert(cores_.begin() + at, core);
        list_.insert(list_.begin() + at, t);
      }
    moved_.clear();
    return list_;
  }

private:
  using note = std::pair<thread_id, int>;
  bool kept_ = false;
  std::vector<thread_id> list_;  // in core order
  std::vector<int> cores_;       // list_'s cores
  std::vector<note> moved_;
};

}  // namespace gilsim
