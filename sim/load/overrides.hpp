// --set overrides: "key.path=VALUE" grafted into the scenario's YAML tree before it is read, with
// every node it adds placed in the override's own text for messages.
#pragma once

#include "sim/load/yaml_check.hpp"

#include <string>
#include <yaml-cpp/yaml.h>

namespace gilsim::detail {

// Grafts one "key.path=VALUE" into `root`, creating the maps the path needs; a numeric segment
// indexes a list, another segment on a list selects the element with that `name`. A mistake is
// an input_error against "--set <text>", line 1, at the column of the bad segment or value.
void apply_override(YAML::Node& root, const std::string& text, yaml_sources& src);

}  // namespace gilsim::detail
