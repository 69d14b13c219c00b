// The simulated operating system, as plain C++: "a batch of events at time t in; orders and
// timers out". It walks the threads' programs, asks the models (scheduler policy, locks, GIL)
// and decides; it never touches SimGrid. Whoever drives it (sim/engine on SimGrid, or a test's
// own driver) carries out its orders, dates their answers and hands them back as events.
// Same-time events are handled in the documented order (docs/semantics.md).
#pragma once

#include "models/core/scenario.hpp"
#include "models/sched/sched_policy.hpp"
#include "sim/os/observer.hpp"
#include "sim/os/run_report.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace gilsim {

// Time inside the OS: integer nanoseconds for dates, durations and CPU accounting, so that a
// long run adds up exactly (a double of seconds loses slivers that cost whole slices). Models
// and the engine speak seconds; the conversions are here and only at those two boundaries.
using ns_t = std::int64_t;
constexpr ns_t forever = std::numeric_limits<ns_t>::max();
// Seconds to the nearest nanosecond; unlimited (or beyond 292 years) is `forever`.
inline ns_t to_ns(double seconds)
{
  if (!(seconds < 9.2e9))
    return forever;
  double ns = seconds * 1e9;  // to the nearest, halves away from zero (as llround)
  return ns_t(ns < 0 ? ns - 0.5 : ns + 0.5);
}
// A work amount or duration already in nanoseconds, to the nearest whole one.
inline ns_t round_ns(double ns)
{
  if (!(ns < 9.2e18))
    return forever;
  return ns_t(ns < 0 ? ns - 0.5 : ns + 0.5);
}
inline double to_seconds(ns_t t)
{
  return t == forever ? std::numeric_limits<double>::infinity() : double(t) / 1e9;
}

// Classes of same-time events, handled in this order (docs/semantics.md).
constexpr int class_timer = 1;    // I/O and timer completions
constexpr int class_release = 2;  // lock releases, GIL drops, the wake-ups they cause; phase ends
constexpr int class_slice = 3;    // quantum / slice expiry
constexpr int class_arrival = 4;  // new threads
// class 5, dispatch of idle cores in core-id order, is the end of every step.

enum class order_kind { none, run, sleep, exit };
enum class event_kind { arrival, timer, exec_done, tick, os_timer };
// The OS's own timers: one per Python process for its GIL (id = the process's index), and one
// for the scheduling policy (id = the number of processes). A timer's event carries
// os_timer_base - id in place of a thread id, so that at one instant it comes after the
// threads' own timer events.
constexpr int os_timer_base = 1 << 30;
// The core of a run on the one shared host of processor sharing.
constexpr int shared_host = -1;

// What the OS tells a thread to do next.
struct order {
  order_kind kind = order_kind::none;
  int core = shared_host;  // run: on which core (shared_host under ps)
  ns_t duration = 0;       // run: how long on that core at full rate; sleep: how long
  int post_class = 0;      // the class of the event posted when it is done
  std::uint64_t gen = 0;   // which order this is, to recognise stale answers
  // When it was given and when it will be done (a run on the shared host has no date of its
  // own: forever). A driver that looks ahead reads these to know what comes next.
  ns_t issued = 0;
  ns_t until = forever;
};

// What a driver tells the OS happened.
struct event {
  int cls = 0;
  thread_id t = no_thread;
  std::uint64_t seq = 0;
  event_kind kind = event_kind::timer;
  std::uint64_t gen = 0;
};

// What the OS asks of whoever carries out its orders.
class os_driver {
public:
  virtual ~os_driver() = default;
  // t's next order; it replaces any order of t not yet carried out.
  virtual void give(thread_id t, const order& o) = 0;
  // Takes back t's run order wherever it stands: not yet picked up, or under way.
  virtual void withdraw(thread_id t) = 0;
  // On the shared host: how much of t's current run (at full rate) is still to do; forever if
  // it is not under way yet.
  virtual ns_t run_left(thread_id t) const = 0;
  // OS timer `id` fires at `at` (forever: never); `earlier` when it moved earlier than the
  // last deadline, so that a timer already waiting must be cut short. Every change of a
  // deadline comes here: the driver knows them all (the OS gives no other way to read them).
  virtual void set_timer(int id, ns_t at, bool earlier) = 0;
};

struct run_limits {
  // A run stops after this many events unless --max-events says otherwise: a runaway scenario
  // (repeat: 1e9 of a nanosecond's work) ends with a message instead of running for hours.
  static constexpr std::uint64_t default_max_events = 200000000;
  std::uint64_t max_events = default_max_events;
  double max_time = std::numeric_limits<double>::infinity();  // simulated seconds
  // And after this many seconds of the host's time unless --max-wall says otherwise: a run
  // whose events are few but slow (or a bound on events raised far) still ends with a message.
  // An hour: no run the engine finishes within its default events needs a tenth of it.
  static constexpr double default_max_wall = 3600;
  double max_wall = default_max_wall;  // seconds of the host's time
  // Let the engine follow the chain of the OS's decisions without SimGrid while nothing else
  // can happen first (sim/engine, the look-ahead). Off: every event goes through SimGrid;
  // slower, the same results (to within SimGrid's nanosecond dating). For checking.
  bool lookahead = true;
};

enum class stop_kind { finished, deadlock, limit };

class os_core;  // the OS's state and rules (sim/os/os_core.hpp)

class simulated_os {
public:
  simulated_os(const scenario& sc, const run_limits& limits, os_driver& driver,
               std::vector<run_observer*> observers);
  ~simulated_os();
  simulated_os(const simulated_os&) = delete;
  simulated_os& operator=(const simulated_os&) = delete;

  // Processor sharing: runs go to one shared host rather than to cores.
  bool fluid() const;
  int thread_count() const;
  // The OS's timers (see os_timer_base): how many, and which of them can ever be set.
  int timer_count() const;
  bool timer_used(int id) const;
  const std::string& thread_name(thread_id t) const;
  // The generation of t's current order: answers to older ones are stale.
  std::uint64_t order_gen(thread_id t) const;

  // At `now`, the run begins: threads of processes that start at 0 arrive (they are returned as
  // events for the first batch), the others are ordered to sleep until their start.
  std::vector<event> begin(ns_t now);
  // A batch of same-time events at `now`; the OS decides and gives its orders to the driver.
  void step(ns_t now, std::vector<event>& batch);
  // The same for a batch of one event, the end of a thread's run, when the driver knows that
  // nothing else (no other order's answer, no timer) comes before `limit`: the OS then also
  // takes that thread's following run ends before `limit` itself, while no step gives another
  // thread an order, takes one back or moves a timer (the look-ahead's run alone).
  void step_alone(ns_t now, std::vector<event>& batch, ns_t limit);

  void stop(stop_kind why, const std::string& message, ns_t now);
  bool stopped() const;
  ns_t now() const;
  // The run is over: the listeners hear its end, and the report is made.
  run_report end();

private:
  std::unique_ptr<os_core> core_;
};

}  // namespace gilsim
