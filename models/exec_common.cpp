// Building blocks shared by the execution models (models/exec_*.cpp).
#include "models/exec_model.hpp"

#include <fmt/format.h>

namespace gilsim::exec {

bool pure_kernel(const std::vector<step>& per_item)
{
  for (const auto& s : per_item)
    if (s.kind != step_kind::cpu || !s.kernel.prime || s.kernel.fixed_range || s.seconds != 0)
      return false;
  return !per_item.empty();
}

std::string add_queue(scenario& sc, const std::string& name, std::uint64_t first,
                      std::uint64_t last, std::uint64_t chunk)
{
  sc.queues.push_back({name, first, last, std::max<std::uint64_t>(1, chunk)});
  return name;
}

step for_each(const std::string& queue, std::vector<step> body)
{
  step s;
  s.kind = step_kind::for_each;
  s.queue = queue;
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

step lock(const std::string& name, bool take)
{
  step s;
  s.kind = take ? step_kind::lock : step_kind::unlock;
  s.lock = name;
  return s;
}

process_spec& add_python_process(scenario& sc, const workload_spec& w, const std::string& name,
                                 double start)
{
  process_spec p;
  p.name = name;
  p.runtime = runtime_kind::python;
  p.start = start;
  p.gil = w.gil;
  sc.processes.push_back(p);
  return sc.processes.back();
}

thread_spec thread(const std::string& name, std::vector<step> program)
{
  thread_spec t;
  t.name = name;
  t.program = std::move(program);
  return t;
}

std::uint64_t chunk_for(const workload_spec& w, std::uint64_t items, std::uint64_t chunksize)
{
  if (pure_kernel(w.per_item))
    return std::max<std::uint64_t>(1, std::max(items, chunksize));
  return std::max<std::uint64_t>(1, chunksize);
}

step slice_loop(scenario& sc, const workload_spec& w, const std::string& queue,
                std::uint64_t first, std::uint64_t last, double per_item_overhead)
{
  std::uint64_t chunk = chunk_for(w, last - first + 1, 1);
  std::vector<step> body = w.per_item;
  if (per_item_overhead > 0)
    body.push_back(cpu(per_item_overhead * double(chunk)));
  return for_each(add_queue(sc, queue, first, last, chunk), body);
}

param_decl per_item_overhead_decl()
{
  return {"per_item_overhead", param_kind::duration, "s", 0, 0, 10, false,
          "Python work per item beyond its own steps (loop, queue, bookkeeping)", {}};
}

void unsupported(const workload_spec& w, const std::string& what)
{
  fail_input(w.pos, "workload", what);
}

}  // namespace gilsim::exec
