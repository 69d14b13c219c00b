// The workload form (DESIGN.md `workload:`): a work list under an execution model, read here
// and expanded by the model into queues, locks and processes.
#include "models/exec/exec_model.hpp"
#include "sim/load/sections.hpp"
#include "sim/load/steps.hpp"

#include <tuple>

namespace gilsim::detail {

// workload: {items: {range: [a, b]}, per_item: [...], model: threads, workers: 3, ...} and the
// execution model's own parameters; the model expands it into queues and processes.
void read_workload(const map_view& top, load_state& st)
{
  if (!top.find("workload"))
    return;
  const map_view m(top.value("workload"), "a map like {model: threads, workers: 3}");
  const std::vector<std::string> common = {"items",        "per_item",  "workers",
                                           "distribution", "chunksize", "start_method"};
  workload_spec w;
  w.pos = m.self().pos();
  w.model = read_model<exec_registry>(m, "model", "sync", "execution model", common);
  std::tie(w.first, w.last) = read_items(m.require("items"));
  const std::vector<std::string> lock_names = names_of(st.sc.locks);
  const std::vector<std::string> no_queues;
  program_reader program{lock_names, no_queues};
  program.for_each_depth = 1;  // kernel steps work on the item
  w.per_item = program.read(m.require("per_item"));
  if (auto v = m.get("workers"))
    w.workers = int(read_int(*v, 1, 100000));
  if (auto v = m.get("distribution"))
    w.distribution = read_choice(*v, {"queue", "chunks", "pool", "manager"});
  if (auto v = m.get("chunksize"))
    w.chunksize = std::uint64_t(read_int(*v, 1, max_number));
  if (auto v = m.get("start_method"))
    w.start_method = read_choice(*v, {"fork", "spawn", "forkserver"});
  w.gil = default_gil(st, top.value("python"));
  const auto* e = exec_registry::instance().find(w.model.name);
  const size_t before = st.sc.processes.size();
  e->make(w.model.params, exec_context{st.sc.machine.cores, st.sc.machine.wakeup_latency})
      ->expand(w, st.sc);
  // The model's threads have the policies' default attributes, as threads that give none.
  for (size_t p = before; p < st.sc.processes.size(); ++p)
    for (auto& t : st.sc.processes[p].threads)
      t.attributes = default_values(st.thread_attributes);
  st.sc.workload = std::move(w);
}

}  // namespace gilsim::detail
