// Processes of threads and processes of event loops (docs/design.md, `inner`): a child of a
// `processes` workload that runs its slice of the items under another execution model, threads
// or asyncio, in its own process under its own GIL. The child is the inner model's fragment for
// the slice, as a workload of those items alone would make it, with its names put under the
// child's (queue `items` of worker-2 becomes `worker-2/items`), so that no two children share a
// queue or a lock.
// The child's start-up (its start method's cost) is a CPU phase at the head of its first
// thread; its other threads start that long after the process does, as they cannot run before
// the child exists (on a busy core the start-up takes longer than its cost, and they may then
// start before it ends: a small error, at most the start-up's wait for a core). The result the
// child sends back (`task`, pickling and a pipe) is a CPU phase at the end of its first thread.
// With open arrivals the children share the inner model's queue of the whole stream (they all
// take requests from one queue, as worker processes accepting from one listening socket):
// static slices of a stream would leave the later children idle until their requests come.
#include "models/exec/exec_model.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <iterator>

namespace gilsim::exec {
namespace {

// Puts the steps' locks, and unless the queues are shared their queues, under `prefix`.
void rename_steps(std::vector<step>& steps, const std::string& prefix, bool shared_queues)
{
  for (auto& s : steps) {
    if (!s.lock.empty())
      s.lock = prefix + s.lock;
    if (!s.queue.empty() && !shared_queues)
      s.queue = prefix + s.queue;
    rename_steps(s.body, prefix, shared_queues);
  }
}

bool has_queue(const scenario_fragment& f, const std::string& name)
{
  return std::any_of(f.queues.begin(), f.queues.end(),
                     [&](const queue_spec& q) { return q.name == name; });
}

// The inner model's parameters and workload fields at their defaults, but the outer workload's
// per-item overhead.
param_values inner_params(const exec_registry::entry& e, const workload_spec& w)
{
  param_values p = default_values(e.params);
  const param_values fields = default_values(e.attributes);
  for (const auto& [k, v] : fields.numbers())
    p.set_number(k, v);
  for (const auto& [k, v] : fields.choices())
    p.set_choice(k, v);
  if (w.model.params.has("per_item_overhead"))
    p.set_number("per_item_overhead", w.model.params.number("per_item_overhead"));
  return p;
}

}  // namespace

void add_nested_child(scenario_fragment& f, const workload_spec& w, const exec_context& ctx,
                      const nested_child& c)
{
  const auto* e = exec_registry::instance().find(c.inner);
  GILSIM_ASSERT(e, "the processes model names a registered inner model");
  workload_spec slice = w;
  slice.first = c.first;
  slice.last = c.last;
  slice.workers = c.workers;
  slice.model = {c.inner, inner_params(*e, w)};
  scenario_fragment inner = e->make(slice.model.params, ctx)->expand(slice);
  GILSIM_ASSERT(inner.processes.size() == 1, "an inner model makes one process");

  const std::string prefix = c.name + "/";
  for (auto& l : inner.locks)
    l.name = prefix + l.name;
  if (!c.shared_queues)
    for (auto& q : inner.queues)
      q.name = prefix + q.name;
  process_spec& p = inner.processes.front();
  p.name = c.name;
  p.start = c.start;
  for (std::size_t i = 0; i < p.threads.size(); ++i) {
    auto& t = p.threads[i];
    rename_steps(t.program, prefix, c.shared_queues);
    if (i > 0)
      t.start += c.child_start;
  }
  if (!p.threads.empty()) {
    auto& first = p.threads.front().program;
    if (c.child_start > 0)
      first.insert(first.begin(), cpu(c.child_start));
    if (c.task > 0)
      first.push_back(cpu(c.task));
  }
  if (c.exit > 0)
    for (auto& t : p.threads)
      t.program.push_back(io(c.exit));
  std::move(inner.locks.begin(), inner.locks.end(), std::back_inserter(f.locks));
  for (auto& q : inner.queues)
    if (!has_queue(f, q.name))  // shared: the first child adds them
      f.queues.push_back(std::move(q));
  f.processes.push_back(std::move(p));
}

}  // namespace gilsim::exec
