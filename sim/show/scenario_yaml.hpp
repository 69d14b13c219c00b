// The effective scenario as YAML (`gilsim show`): what the loader made of a file, its overrides
// applied, every default written out and a workload expanded, in the core format, so that
// loading the text back gives the same run.
#pragma once

#include "models/core/scenario.hpp"

#include <string>

namespace gilsim {

std::string scenario_yaml(const scenario& sc);

// A duration as the shortest text that reads back to exactly `seconds`: 5ms, 30us, 1.5s, or a
// plain number of seconds.
std::string duration_text(double seconds);

}  // namespace gilsim
