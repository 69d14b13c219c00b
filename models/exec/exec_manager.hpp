// The manager distribution of the processes model: worker processes getting their items from a
// multiprocessing.Manager().Queue(), served by the manager's own server process.
#pragma once

#include "models/core/scenario.hpp"

namespace gilsim::exec {

struct manager_costs {
  int workers = 1;
  double parent_start = 0;       // s: the parent's work to start one child (or the manager)
  double child_start = 0;        // s: a child's start-up (the manager's too), by start method
  double per_item_overhead = 0;  // s of Python work per item
  double round_trip = 0;         // s: a get as a child sees it from an idle server
  double server_cpu = 0;         // s: the server's Python work per request
  double wakeup_latency = 0;     // s: the machine's, two of which are in every round trip
  std::uint64_t chunksize = 1;   // the items of a queue element
};

// Adds the parent, the manager process and the workers to `f` (models/exec/exec_manager.cpp).
void expand_manager(const workload_spec& w, scenario_fragment& f, const manager_costs& c);

}  // namespace gilsim::exec
