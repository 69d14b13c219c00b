// The workload form (docs/design.md `workload:`): a work list under an execution model, read and
// checked here into a workload_spec; once every section is read, the model expands it into a
// fragment (processes, queues, locks) that is added to the scenario, beside its own processes.
#include "models/exec/exec_model.hpp"
#include "sim/load/distribution.hpp"
#include "sim/load/sections.hpp"
#include "sim/load/steps.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

namespace gilsim::detail {
namespace {

// Fails at the workload when the fragment names a lock or queue the scenario already has.
template <class Spec>
void refuse_taken_names(const workload_spec& w, const std::vector<Spec>& ours,
                        const std::vector<Spec>& theirs, const char* what)
{
  const std::vector<std::string> taken = names_of(ours);
  for (const auto& s : theirs)
    if (std::find(taken.begin(), taken.end(), s.name) != taken.end())
      fail_input(w.pos, "workload",
                 fmt::format("model {} names a {} '{}' of its own; rename the scenario's {} '{}'",
                             w.model.name, what, s.name, what, s.name));
}

template <class Spec>
void append(std::vector<Spec>& to, std::vector<Spec>& from)
{
  std::move(from.begin(), from.end(), std::back_inserter(to));
}

}  // namespace

// workload: {items: {range: [a, b]}, per_item: [...], model: threads, workers: 3} with the
// execution model's parameters, and the fields some model declares (distribution, chunksize,
// start_method), each checked by its declaration (attribute_decls).
void read_workload(const map_view& top, load_state& st)
{
  if (!top.find("workload"))
    return;
  const map_view m(top.value("workload"), "a map like {model: threads, workers: 3}");
  const std::vector<std::string> common = {"items", "arrivals", "per_item", "workers"};
  const auto& model = find_model<exec_registry>(m, "model", "sync", "execution model");
  std::vector<param_decl> decls = model.params;
  for (auto& f : attribute_decls<exec_registry>(model.name))
    decls.push_back(std::move(f));
  workload_spec w;
  w.pos = m.self().pos();
  w.model = {model.name, read_params(m, "model", decls,
                                     fmt::format("execution model '{}'", model.name), common)};
  // The items, or open arrivals: requests 1..count, each queued at its arrival time.
  if (auto a = m.get("arrivals")) {
    if (auto items = m.get("items"))
      items->fail("give either items or arrivals, not both");
    w.arrivals = read_arrivals(*a, st.sc.file);
    w.first = 1;
    w.last = w.arrivals->count;
  } else {
    if (!m.find("items"))
      m.self().fail("missing required key 'items' (like {range: [1, 1000]}), or 'arrivals' "
                    "(like {poisson: 300/s, count: 1000})");
    std::tie(w.first, w.last) = read_items(m.require("items"));
  }
  const std::vector<std::string> no_queues;
  program_reader program{st.sc.locks, no_queues};
  program.for_each_depth = 1;  // kernel steps work on the item
  w.per_item = program.read(m.require("per_item"));
  if (auto v = m.get("workers"))
    w.workers = int(read_int(*v, 1, 100000));
  w.gil = default_gil(st, top.value("python"));
  w.python = interpreter_costs(st, {});
  st.sc.workload = std::move(w);
}

void add_workload(load_state& st)
{
  if (!st.sc.workload)
    return;
  const workload_spec& w = *st.sc.workload;
  scenario_fragment f = expand_workload(w, st.sc.machine);
  refuse_taken_names(w, st.sc.locks, f.locks, "lock");
  refuse_taken_names(w, st.sc.queues, f.queues, "queue");
  // The workload's processes go beside the scenario's own: a name both use is refused where
  // the scenario wrote it.
  for (const auto& p : f.processes)
    if (auto it = st.process_names.find(p.name); it != st.process_names.end())
      it->second.fail(fmt::format("process name '{}' is also one that the workload's model {} "
                                  "makes; rename this process",
                                  p.name, w.model.name));
  // The model's threads have the policies' default attributes, as threads that give none.
  for (auto& p : f.processes)
    for (auto& t : p.threads)
      t.attributes = default_values(st.thread_attributes);
  append(st.sc.locks, f.locks);
  // The workload's items are its requests: each one's latency is recorded (and with arrivals,
  // each is handed out once it has arrived).
  for (auto& q : f.queues)
    q.requests = true;
  append(st.sc.queues, f.queues);
  append(st.sc.processes, f.processes);
}

}  // namespace gilsim::detail
