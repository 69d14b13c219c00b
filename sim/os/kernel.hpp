// The simulated operating system: it runs a scenario on SimGrid. Every simulated thread is an
// actor that only carries out orders (run so much work on that core, sleep so long); one kernel
// actor decides everything, asking the models (scheduler policy, locks, GIL) at each step.
// Same-time events are handled in the documented order (docs/semantics.md, MODEL.md section 1).
#pragma once

#include "models/lock/lock_model.hpp"
#include "models/sched/sched_policy.hpp"
#include "sim/os/observer.hpp"
#include "sim/os/run_report.hpp"
#include "models/core/scenario.hpp"

#include <cstdint>
#include <limits>

namespace gilsim {

struct run_limits {
  std::uint64_t max_events = std::numeric_limits<std::uint64_t>::max();
  double max_time = std::numeric_limits<double>::infinity();  // simulated seconds
  // Let the kernel follow the chain of its own decisions without SimGrid while nothing else can
  // happen first (sim/os/kernel.cpp, look_ahead). Off: every event goes through SimGrid; slower,
  // the same results (to within SimGrid's nanosecond dating). For checking the look-ahead.
  bool lookahead = true;
};

// Runs the scenario in this process's one SimGrid engine: call it once per process. Every
// observer hears the run's set-up, each state change and GIL hand-over, and its end.
run_report simulate(const scenario& sc, const run_limits& limits = {},
                    std::vector<run_observer*> observers = {});

}  // namespace gilsim
