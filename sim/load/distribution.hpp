// Reading random durations ({exp: 5ms}, {uniform: [1ms, 3ms]}, {lognormal: {mean: 5ms, sd:
// 2ms}}, {normal: {mean: 5ms, sd: 1ms}}, or a constant as before) and the open arrivals of a
// workload or a work queue ({poisson: 300/s, count: N}, {every: 2ms, count: N}, {file: a.csv}).
#pragma once

#include "models/core/distribution.hpp"
#include "sim/load/yaml_check.hpp"

#include <string>
#include <utility>

namespace gilsim::detail {

// Is f a random duration (a map with one of exp, uniform, lognormal, normal)?
bool is_distribution(const field& f);

// A duration, constant or random: its mean in seconds and its distribution. Zero is refused
// unless allow_zero (a constant; a random one must have a mean above zero).
std::pair<double, duration_dist> read_timed(const field& f, bool allow_zero);

// workload.arrivals or queues.NAME.arrivals; a file is read relative to the directory of
// `scenario_file`.
arrival_spec read_arrivals(const field& f, const std::string& scenario_file);

} // namespace gilsim::detail
