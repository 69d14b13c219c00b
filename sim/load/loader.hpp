// Loading a v1 scenario (docs/design.md, "Scenario format") from YAML into a validated, expanded
// `scenario`, with --set overrides applied first. Every mistake is an input_error at its position.
#pragma once

#include "models/core/error.hpp"
#include "models/core/scenario.hpp"
#include "sim/load/host_profile.hpp"

#include <string>
#include <vector>

namespace gilsim {

// Reads, overrides, validates and expands the scenario file at `path`. Each override is
// "key.path=VALUE": VALUE is YAML (4, 2ms, [1, 2], {native: 5ms}); a numeric segment indexes a
// list, another segment on a list selects the element with that `name`; missing map keys are
// created. Errors inside an override are reported against "--set <override>", line 1.
//
// Notes on the rules that are not obvious from the format:
// - A process's `python:` map replaces the top-level one wholesale (no merging of keys); without
//   either, the GIL model is `new` with its defaults. A native process has no GIL (empty `gil`)
//   and may not have a `python:` key.
// - Lock use is checked statically along each program: lock a declared lock that the thread
//   does not hold, unlock one it holds; a repeat body must leave the held locks as it found them.
//   A lock still held when the program ends is allowed: the thread exits holding it, and what
//   happens to its waiters is the engine's business.
// - A lock's `kind` defaults to `mutex`.
// - A `workload:` is read and checked into sc.workload; its execution model's fields
//   (distribution, chunksize, start_method) are declared by the models (models/exec): a field
//   some model declares is accepted under any model, checked by the chosen model's declaration
//   when it has one. Once every section is read, the model expands the workload into processes,
//   queues and locks added after the scenario's own; a lock or queue name both use is refused.
// - A thread's attributes (nice, priority) are declared by the policies, in the same way.
// - `machine.speed: host` takes the machine and the costs from the host profile that `profile`
//   names (--profile), or from the default places (sim/load/host_profile.hpp); the scenario's own
//   machine and cost keys win.
scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {},
                       const std::string& profile = {});

// Parses the scenario file at `path` now and keeps its tree for the next load of the same path
// and the same text, in this process or in a child forked from it: that load takes the tree (and
// grafts its overrides into it) instead of parsing the text again. A sweep keeps its scenario
// before it forks its points, so that each point reads its file but parses no YAML.
void keep_parsed_scenario(const std::string& path);

// The same from YAML text; `file_label` names it in messages and gives the default name (its stem).
// `host`, when given, is the profile `machine.speed: host` uses instead of finding one (tests).
scenario load_scenario_text(const std::string& yaml, const std::string& file_label,
                            const std::vector<std::string>& overrides = {},
                            const std::string& profile = {}, const host_profile* host = nullptr);

// The range of a duration: simulated spans are 0 or 1 ns .. 1e9 s (about 31 years, so that any
// date of a run fits the OS's 64-bit nanoseconds); costs per operation may be below 1 ns.
constexpr double min_duration = 1e-9;
constexpr double max_duration = 1e9;

// Seconds from "2ms", "1.5 s", "250us", "3ns", "1min" or a plain number of seconds. Raises an
// input_error at pos / key_path on anything else, on a negative value, on one above
// max_duration, and on zero unless allow_zero.
double parse_duration(const std::string& text, const source_pos& pos = {},
                      const std::string& key_path = {}, bool allow_zero = true);

}  // namespace gilsim
