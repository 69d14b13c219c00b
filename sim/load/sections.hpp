// The loader's sections: each top-level key of a scenario is read by one function into the
// scenario being built, in a fixed order (sim/load/loader.cpp), so that a section can rely on
// what earlier ones read (processes on the locks and the python defaults).
#pragma once

#include "models/core/scenario.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/yaml_check.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gilsim::detail {

// What later sections need from earlier ones, beside the scenario being built.
struct load_state {
  scenario sc;
  std::string label;                           // the file's name in messages
  std::optional<model_choice> python_default;  // the top-level python map, when given
  std::map<std::string, field> process_names;  // for "used twice" messages
  std::string profile;                         // --profile, for machine.speed: host
  const host_profile* given_profile = nullptr;  // a profile already read, for speed: host
  std::optional<host_profile> host;            // the profile speed: host used
  std::optional<field> interpreter;            // the top-level python.interpreter, when given
  bool cost_python = false;                    // the scenario writes cost.python
  // The policies' per-thread attributes (attribute_decls), the chosen policy's first.
  std::vector<param_decl> thread_attributes;
};

// The most threads a run can hold on this host (sim/load/thread_limit.cpp), and the check of
// the scenario's threads, its workload's included, against it: an input_error at the workload
// or the processes.
long long thread_capacity();
void check_thread_limit(const map_view& top, const load_state& st);

// A python map ({gil: new, switch_interval: 5ms}) resolved in the GIL registry.
model_choice read_gil(const field& f);
// The GIL of Python processes without python settings of their own: the top-level python map's,
// else the defaults, read at the absent field `absent` (where a missing `new` is reported).
model_choice default_gil(const load_state& st, const field& absent);

// The costs of a Python process's interpreter: `own` (its python.interpreter) when given, else
// the top-level one, picked among the host profile's sections (the first when none is named).
// Built-in defaults without a profile or a profile without interpreters, when none is named;
// naming one then is an input_error at the name. cost.python written drops the profile's prime.
python_costs interpreter_costs(const load_state& st, const std::optional<field>& own);

// machine.cpp
void read_machine(const map_view& top, load_state& st);
void read_scheduler(const map_view& top, load_state& st);
void read_cost(const map_view& top, load_state& st);
// processes.cpp
void read_processes(const map_view& top, load_state& st);
// workload.cpp
void read_workload(const map_view& top, load_state& st);
// After every section: the fragment the workload's model expands it into, added to the
// scenario after its own locks, queues and processes.
void add_workload(load_state& st);
// lock_use.cpp: after the workload is added, the waits that can never end (a get from a queue
// nobody puts to, a barrier with fewer waiting threads than parties, ...) are refused.
void check_lock_use(const scenario& sc);

}  // namespace gilsim::detail
