// Processes and their threads: names made unique, the runtime and its GIL, each thread's
// program read by the program reader.
#include "models/gil/gil_model.hpp"
#include "models/sched/sched_policy.hpp"
#include "sim/load/sections.hpp"
#include "sim/load/steps.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace gilsim::detail {
namespace {

// affinity: [0, 2]: core ids of this machine, under a policy with per-core placement.
std::vector<int> read_affinity(const field& f, const load_state& st)
{
  const auto* policy = sched_registry::instance().find(st.sc.scheduler.name);
  bool placed = policy && std::any_of(policy->params.begin(), policy->params.end(),
                                       [](const param_decl& d) { return d.name == "queues"; });
  if (!placed)
    f.fail("policy '" + st.sc.scheduler.name +
           "' does not place threads on cores; affinity needs fifo or rr");
  std::vector<int> out;
  for (const field& item : list_items(f, "core ids", true)) {
    int core = int(read_int(item, 0, 1 << 20));
    if (core >= st.sc.machine.cores)
      item.fail(fmt::format("core {} does not exist: the machine has cores 0 to {}", core,
                            st.sc.machine.cores - 1));
    if (std::find(out.begin(), out.end(), core) != out.end())
      item.fail(fmt::format("core {} is named twice", core));
    out.push_back(core);
  }
  return out;
}

void read_threads(const field& f, const load_state& st, process_spec& ps)
{
  const std::vector<std::string> queue_names = names_of(st.sc.queues);
  std::map<std::string, int> taken;  // expanded thread name -> line of its `name`
  // A thread's own keys, and the attributes that some policy declares (nice, priority).
  const std::vector<std::string> own = {"name",  "count",    "daemon",     "start",
                                        "program", "affinity", "working_set"};
  std::vector<std::string> allowed = own;
  for (const auto& a : names_of(st.thread_attributes))
    allowed.push_back(a);
  for (const auto& t : list_items(f, "threads", true)) {
    map_view m(t);
    m.allow_only(allowed);
    thread_spec spec;
    const field name = m.require("name");
    const std::string base = read_string(name);
    long long count = 1;
    if (auto v = m.get("count"))
      count = read_int(*v, 1, 100000);
    if (auto v = m.get("daemon"))
      spec.daemon = read_bool(*v);
    if (auto v = m.get("start"))
      spec.start = read_duration(*v, true);
    if (auto v = m.get("affinity"))
      spec.affinity = read_affinity(*v, st);
    if (auto v = m.get("working_set")) {
      spec.working_set = read_number(*v);
      check_range(*v, spec.working_set, 0, 1e15, false);
    }
    spec.attributes = read_params(m, "", st.thread_attributes, "a thread", own);
    program_reader program{st.sc.locks, queue_names};
    spec.program = program.read(m.require("program"));
    for (long long i = 0; i < count; ++i) {
      spec.name = count == 1 ? base : fmt::format("{}-{}", base, i);
      if (auto it = taken.find(spec.name); it != taken.end())
        name.fail(fmt::format("thread name '{}' is used twice in process '{}' (first at line {})",
                              spec.name, ps.name, it->second));
      taken.emplace(spec.name, name.pos().line);
      ps.threads.push_back(spec);
    }
  }
}

void read_process(const field& f, load_state& st)
{
  map_view m(f);
  m.allow_only({"name", "runtime", "start", "python", "threads"});
  process_spec ps;
  const field name = m.require("name");
  ps.name = read_string(name);
  if (auto it = st.process_names.find(ps.name); it != st.process_names.end())
    name.fail(fmt::format("process name '{}' is used twice (first at line {})", ps.name,
                          it->second.pos().line));
  st.process_names.emplace(ps.name, name);
  if (auto v = m.get("runtime"))
    ps.runtime = read_choice(*v, {"python", "native"}) == "native" ? runtime_kind::native
                                                                  : runtime_kind::python;
  if (auto v = m.get("start"))
    ps.start = read_duration(*v, true);
  const auto* python = m.find("python");
  if (python && ps.runtime == runtime_kind::native)
    python->key.fail("a native process has no GIL, so no python settings: remove them, or use "
                     "runtime: python");
  if (python)
    ps.gil = read_gil(python->value);
  else if (ps.runtime == runtime_kind::python)
    ps.gil = default_gil(st, m.value("python"));
  if (ps.runtime == runtime_kind::python)
    ps.python = interpreter_costs(
        st, python ? map_view(python->value).get("interpreter") : std::optional<field>{});
  read_threads(m.require("threads"), st, ps);
  st.sc.processes.push_back(std::move(ps));
}

}  // namespace

model_choice read_gil(const field& f)
{
  return read_model<gil_registry>(map_view(f, "a map like {gil: new}"), "gil", "new", "gil model",
                                 {"interpreter"});
}

python_costs interpreter_costs(const load_state& st, const std::optional<field>& own)
{
  const std::optional<field>& named = own ? own : st.interpreter;
  const std::string name = named ? read_string(*named, "an interpreter like \"3.12\"") : "";
  if (!st.host) {
    if (named)
      named->fail(fmt::format("interpreter '{}' needs machine.speed: host: an interpreter's "
                              "costs are the host profile's (gilsim calibrate --python PATH); "
                              "leave it out for the built-in costs",
                              name));
    return {};
  }
  const auto& sections = st.host->pythons;
  if (sections.empty()) {
    if (named)
      named->fail(fmt::format("the host profile{} has no Python interpreter; gilsim calibrate "
                              "--python PATH measures one",
                              st.host->file.empty() ? "" : " " + st.host->file));
    return {};
  }
  python_costs c = sections.front().costs;
  if (named) {
    std::vector<std::string> have;
    const auto it = std::find_if(sections.begin(), sections.end(),
                                 [&](const auto& s) { return s.costs.interpreter == name; });
    for (const auto& s : sections)
      have.push_back(s.costs.interpreter);
    if (it == sections.end())
      named->fail(fmt::format("the host profile{} has no interpreter '{}'; it has {}",
                              st.host->file.empty() ? "" : " " + st.host->file, name,
                              fmt::join(have, ", ")));
    c = it->costs;
  }
  if (st.cost_python)
    c.prime.reset();  // the scenario's cost.python wins over the measured kernel
  return c;
}

// The GIL of Python processes without python settings of their own: the top-level python map's,
// else the defaults, read at the absent field `absent` (where a missing `new` is reported).
model_choice default_gil(const load_state& st, const field& absent)
{
  return st.python_default ? *st.python_default : read_gil(absent);
}

void read_processes(const map_view& top, load_state& st)
{
  // A workload makes its own processes; without one the scenario must list some.
  if (!top.find("processes") && top.find("workload"))
    return;
  for (const auto& p : list_items(top.require("processes"), "processes", true))
    read_process(p, st);
}

}  // namespace gilsim::detail
