// Runs a scenario on SimGrid: the one entry point of the engine, the only folder that includes
// SimGrid. Every simulated thread is an actor that only carries out the OS's orders (run so much
// work on that core, sleep so long); the OS (sim/os) decides everything.
#pragma once

#include "sim/os/os.hpp"

#include <vector>

namespace gilsim {

// Runs the scenario in this process's one SimGrid engine: call it once per process. Every
// observer hears the run's set-up, each state change and GIL hand-over, and its end.
run_report simulate(const scenario& sc, const run_limits& limits = {},
                    std::vector<run_observer*> observers = {});

}  // namespace gilsim
