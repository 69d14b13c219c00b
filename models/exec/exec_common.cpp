// Building blocks shared by the execution models (models/exec/exec_*.cpp), and the expansion of
// a workload by its registered model.
#include "models/exec/exec_model.hpp"

#include "models/lock/lock_model.hpp"

#include <fmt/format.h>

namespace gilsim {

scenario_fragment expand_workload(const workload_spec& w, const machine_spec& machine)
{
  const auto* e = exec_registry::instance().find(w.model.name);
  GILSIM_ASSERT(e, "the loader resolved the execution model");
  return e->make(w.model.params, exec_context{machine.cores, machine.wakeup_latency, w.python})
      ->expand(w);
}

namespace exec {

bool pure_kernel(const std::vector<step>& per_item)
{
  for (const auto& s : per_item)
    if (s.kind != step_kind::cpu || !s.kernel.on_item() || s.seconds != 0)
      return false;
  return !per_item.empty();
}

std::string add_queue(scenario_fragment& f, const std::string& name, std::uint64_t first,
                      std::uint64_t last, std::uint64_t chunk)
{
  f.queues.push_back({name, first, last, std::max<std::uint64_t>(1, chunk)});
  return name;
}

void add_mutex(scenario_fragment& f, const std::string& name, std::optional<double> wakeup,
               lock_role role)
{
  const auto* mutex = lock_registry::instance().find("mutex");
  GILSIM_ASSERT(mutex, "the mutex lock kind is registered");
  f.locks.push_back({name, {"mutex", default_values(mutex->params)}, role});
  if (wakeup)
    f.locks.back().kind.params.set_number("wakeup", *wakeup);
}

step for_each(const std::string& queue, std::vector<step> body)
{
  step s;
  s.kind = step_kind::for_each;
  s.queue = queue;
  s.body = std::move(body);
  return s;
}

step repeat(int count, std::vector<step> body)
{
  step s;
  s.kind = step_kind::repeat;
  s.count = count;
  s.body = std::move(body);
  return s;
}

step cpu(double seconds, cpu_mode mode)
{
  step s;
  s.kind = step_kind::cpu;
  s.seconds = seconds;
  s.mode = mode;
  return s;
}

step io(double seconds)
{
  step s;
  s.kind = step_kind::io;
  s.seconds = seconds;
  return s;
}

step sleep(double seconds)
{
  step s;
  s.kind = step_kind::sleep;
  s.seconds = seconds;
  return s;
}

step lock(const std::string& name, bool take)
{
  step s;
  s.kind = take ? step_kind::lock : step_kind::unlock;
  s.lock = name;
  return s;
}

process_spec& add_python_process(scenario_fragment& f, const workload_spec& w, const std::string& name,
                                 double start)
{
  process_spec p;
  p.name = name;
  p.runtime = runtime_kind::python;
  p.start = start;
  p.gil = w.gil;
  p.python = w.python;
  f.processes.push_back(p);
  return f.processes.back();
}

thread_spec thread(const std::string& name, std::vector<step> program)
{
  thread_spec t;
  t.name = name;
  t.program = std::move(program);
  return t;
}

std::uint64_t chunk_for(const workload_spec& w, std::uint64_t items)
{
  // Requests that arrive one by one are each taken as they come.
  return pure_kernel(w.per_item) && !w.arrivals ? std::max<std::uint64_t>(1, items) : 1;
}

step slice_loop(scenario_fragment& f, const workload_spec& w, const std::string& queue,
                std::uint64_t first, std::uint64_t last, double per_item_overhead)
{
  std::uint64_t chunk = chunk_for(w, last - first + 1);
  std::vector<step> body = w.per_item;
  if (per_item_overhead > 0)
    body.push_back(cpu(per_item_overhead * double(chunk)));
  return for_each(add_queue(f, queue, first, last, chunk), body);
}

namespace {

// Sorts an item's steps into the kernel steps that work on the current item (repeats keep
// their count on both sides) and the rest, each in its order.
void split_kernel(const std::vector<step>& steps, std::vector<step>& kernel,
                  std::vector<step>& rest)
{
  for (const auto& s : steps) {
    if (s.kind == step_kind::cpu && s.kernel.on_item()) {
      kernel.push_back(s);
    } else if (s.kind == step_kind::repeat) {
      step k = s, r = s;
      k.body.clear();
      r.body.clear();
      split_kernel(s.body, k.body, r.body);
      if (!k.body.empty())
        kernel.push_back(k);
      if (!r.body.empty())
        rest.push_back(r);
    } else {
      rest.push_back(s);
    }
  }
}

// Is a kernel step of the item run while the item holds a lock? (The loader keeps each repeat's
// locks balanced, so a repeat's body starts with the locks held before it.)
bool kernel_under_lock(const std::vector<step>& steps, int held = 0)
{
  for (const auto& s : steps) {
    if (s.kind == step_kind::lock)
      ++held;
    else if (s.kind == step_kind::unlock)
      --held;
    else if (held > 0 && s.kind == step_kind::cpu && s.kernel.on_item())
      return true;
    else if (s.kind == step_kind::repeat && kernel_under_lock(s.body, held))
      return true;
  }
  return false;
}

}  // namespace

std::vector<step> task_steps(const workload_spec& w, std::uint64_t c)
{
  if (c == 1)
    return w.per_item;
  std::vector<step> kernel, rest;
  split_kernel(w.per_item, kernel, rest);
  if (rest.empty())
    return kernel;
  if (kernel_under_lock(w.per_item))
    unsupported(w, fmt::format("a kernel step between a lock and its unlock cannot run for "
                               "tasks of {} items at once; use chunksize: 1",
                               c));
  if (c > 1000000000)
    unsupported(w, fmt::format("tasks of {} items that wait are too many steps to simulate; "
                               "use a chunksize up to 10^9",
                               c));
  kernel.push_back(repeat(int(c), std::move(rest)));
  return kernel;
}

std::vector<step> task_loops(scenario_fragment& f, const workload_spec& w, const std::string& name,
                             std::uint64_t c, double per_task, double per_item, double take)
{
  auto body = [&](std::uint64_t size) {
    std::vector<step> steps;
    if (take > 0)
      steps.push_back(cpu(take));
    auto items = task_steps(w, size);
    steps.insert(steps.end(), items.begin(), items.end());
    if (per_task + per_item * double(size) > 0)
      steps.push_back(cpu(per_task + per_item * double(size)));
    return steps;
  };
  const std::uint64_t n = w.last - w.first + 1, whole = n / c, tail = n % c;
  std::vector<step> loops;
  if (whole > 0)
    loops.push_back(for_each(add_queue(f, name, w.first, w.first + whole * c - 1, c), body(c)));
  if (tail > 0)
    loops.push_back(
        for_each(add_queue(f, name + "-tail", w.last - tail + 1, w.last, tail), body(tail)));
  return loops;
}

param_decl per_item_overhead_decl()
{
  return {"per_item_overhead", param_kind::duration, "s", 0, 0, 10, false,
          "Python work per item beyond its own steps (loop, queue, bookkeeping)", {}};
}

param_decl distribution_decl(std::vector<std::string> choices, const std::string& description)
{
  return {"distribution", param_kind::choice, "", 0, 0, 0, false, description, std::move(choices)};
}

void unsupported(const workload_spec& w, const std::string& what)
{
  fail_input(w.pos, "workload", what);
}

}  // namespace exec
}  // namespace gilsim
