// The seam between the engine and a process's interpreter lock (the GIL variants: new, old,
// none). Like the OS policies, a GIL model is plain C++ that decides; the engine carries out
// its decisions with SimGrid. Every Python process has its own instance.
#pragma once

#include "models/registry.hpp"
#include "models/sched_policy.hpp"

#include <cstdint>
#include <string>

namespace gilsim {

struct gil_context {
  std::string process;     // the process's name, for messages
  std::uint64_t seed = 1;  // the scenario's seed, for seeded hand-off picks
  int process_index = 0;   // so that every process draws from its own stream
};

class gil_model;
using gil_registry = registry<gil_model, gil_context>;

}  // namespace gilsim
