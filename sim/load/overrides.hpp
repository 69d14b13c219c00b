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
// The maps and lists on the path are copied first, so that the change reaches the path's own
// place only, however the file shares values (aliases, merge keys); but for overrides_anchor_block.
void apply_override(YAML::Node& root, const std::string& text, yaml_sources& src);

// An override of a top-level `x-` block ("x-worker.count=4"): applied in place and before merge
// keys are expanded, so that it reaches every map that merges or repeats the block.
bool overrides_anchor_block(const std::string& text);

}  // namespace gilsim::detail
