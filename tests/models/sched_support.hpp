// Shared by the scheduling-policy tests: a policy made through its registry entry, threads
// told to it in one place, and a one-core driver that records who ran when.
#pragma once

#include "models/sched/sched_policy.hpp"
#include "tests/models/model_support.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gilsim::test {

inline std::unique_ptr<sched_policy>
make_sched(const std::string& name, const std::map<std::string, double>& params, int cores = 1)
{
  return make_model<sched_registry>(name, params, sched_context{cores});
}

// The per-thread attributes a policy may read.
struct thread_attrs {
  int nice = 0;
  int priority = 0;
};

// The one place where the tests tell a policy about a thread: its attributes as the loader
// fills them, by the names the policies declare.
inline void add_thread(sched_policy& p, thread_id t, thread_attrs a = {})
{
  sched_thread st{t, {}};
  st.attributes.set_number("nice", a.nice);
  st.attributes.set_number("priority", a.priority);
  p.add_thread(st);
}

inline void ready(sched_policy& p, const ids& ts, ready_reason why = ready_reason::arrival)
{
  for (thread_id t : ts)
    p.on_ready(t, why, 0);
}

// Picks for core 0 until nothing is ready: the order in which the ready threads would run.
inline ids drain(sched_policy& p)
{
  ids out;
  for (thread_id t = p.pick_next(0, 0); t != no_thread; t = p.pick_next(0, 0))
    out.push_back(t);
  return out;
}

// t leaves its core with its slice used up and queues again.
inline void slice_ends(sched_policy& p, thread_id t)
{
  p.on_stop(t, 0);
  p.on_ready(t, ready_reason::slice_end, 0);
}

// t runs for `ms` milliseconds of CPU after being picked, then its slice ends.
inline void run_for(sched_policy& p, thread_id t, double ms)
{
  p.on_run(t, 0);
  p.on_ran(t, ms * 1e-3);
  slice_ends(p, t);
}

struct job {
  thread_id id;
  long long work_us;
};

// Runs the jobs on one core as the OS does, with no switch cost and no blocking: all are ready
// at 0 in the order given; the picked thread runs for its slice, or to its end when nobody
// waits, then queues again if work is left. Each line: "id start-end" in ms, "end" when done.
inline lines run_one_core(sched_policy& p, const std::vector<job>& jobs)
{
  std::map<thread_id, long long> left;
  for (const auto& j : jobs) {
    left[j.id] = j.work_us;
    p.on_ready(j.id, ready_reason::arrival, 0);
  }
  lines log;
  long long now = 0; // us
  for (thread_id t = p.pick_next(0, 0); t != no_thread; t = p.pick_next(0, now * 1e-6)) {
    p.on_run(t, now * 1e-6);
    double s = p.slice(t);
    long long run = left[t];
    if (p.ready_count() > 0 && std::isfinite(s))
      run = std::min(run, std::llround(s * 1e6));
    p.on_ran(t, run * 1e-6);
    left[t] -= run;
    bool done = left[t] == 0;
    log.push_back(
        fmt::format("{} {:g}-{:g}{}", t, now / 1e3, (now + run) / 1e3, done ? " end" : ""));
    now += run;
    p.on_stop(t, now * 1e-6);
    if (!done)
      p.on_ready(t, ready_reason::slice_end, now * 1e-6);
  }
  return log;
}

}  // namespace gilsim::test
