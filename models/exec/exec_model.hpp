// The seam for the Python execution models (sync, cooperative, asyncio, threads, processes).
// Each one expands a workload into a fragment of the core format: work queues, locks, processes
// and threads whose programs say what the runtime does, so every scheduler, GIL and report
// applies unchanged. A model declares in its registry entry its parameters (`params`: only it
// takes them) and the workload fields it reads (`attributes`: distribution, chunksize,
// start_method, which a workload may give under any model that some model declares them for).
// Loading reads and checks the workload, then asks its model for the fragment (expand_workload)
// and adds it to the scenario.
#pragma once

#include "models/core/registry.hpp"
#include "models/core/scenario.hpp"

#include <optional>
#include <string>

namespace gilsim {

struct exec_context {
  int cores = 1;              // the machine's, for pool defaults
  double wakeup_latency = 0;  // the machine's, s: part of a hand-off between processes
  // The interpreter of the processes the workload makes (workload_spec::python): the fallback
  // of every cost parameter the scenario leaves out. measured(): from a host profile's section,
  // and then the models also simulate the work around the items (a pool's submitting thread,
  // the parent of a process pool, thread starts); with the built-in figures they do not, and
  // run as they did before the figures were measured.
  python_costs python;
  bool measured() const { return !python.interpreter.empty(); }
};

class exec_model {
public:
  virtual ~exec_model() = default;
  // What the workload becomes. Raises input_error (at w.pos) for what the model cannot do, e.g.
  // a kernel step inside a lock in tasks of several items.
  virtual scenario_fragment expand(const workload_spec& w) const = 0;
};

using exec_registry = registry<exec_model, exec_context>;

// The fragment w's model (registered, with its parameters and fields in w.model.params) makes of
// it on `machine`.
scenario_fragment expand_workload(const workload_spec& w, const machine_spec& machine);

namespace exec {

// Does each item only compute (kernel steps, no fixed part, no waits)? Then consecutive items
// may be one CPU phase: the exact work of a whole range is known without running it.
bool pure_kernel(const std::vector<step>& per_item);

// A queue of the numbers [first, last] handed out `chunk` (at least 1) at a time; returns its
// name.
std::string add_queue(scenario_fragment& f, const std::string& name, std::uint64_t first,
                      std::uint64_t last, std::uint64_t chunk);

// A lock of kind mutex with its default parameters, as `locks: {name: {}}` declares one.
// A mutex; `wakeup` given: its waiters' wake-up in place of the machine's (0 within one thread).
// `role`: what the pictures call a wait on it.
void add_mutex(scenario_fragment& f, const std::string& name,
               std::optional<double> wakeup = std::nullopt, lock_role role = lock_role::user);

step for_each(const std::string& queue, std::vector<step> body);
step repeat(int count, std::vector<step> body);
step cpu(double seconds, cpu_mode mode = cpu_mode::python);
step lock(const std::string& name, bool take);
step io(double seconds);
step sleep(double seconds);

// A Python process running the workload's GIL, starting at `start`.
process_spec& add_python_process(scenario_fragment& f, const workload_spec& w, const std::string& name,
                                 double start = 0);
thread_spec thread(const std::string& name, std::vector<step> program);

// The chunk of `items` a for_each takes at once: the whole range when items only compute (one
// CPU phase) and are all there from the start, else one item (every request of arrivals).
std::uint64_t chunk_for(const workload_spec& w, std::uint64_t items);

// A for_each over a private queue of [first, last]: the items' steps, plus per_item_overhead
// of Python work for each item taken (one CPU phase for a whole range that only computes).
step slice_loop(scenario_fragment& f, const workload_spec& w, const std::string& queue,
                std::uint64_t first, std::uint64_t last, double per_item_overhead);

// The steps of one task of `c` items taken together (a pool's chunk, a list put on a queue): the
// items' kernel steps work on the whole task, one CPU phase each, then the other steps run c
// times. Within a task the computing comes first and the waiting after; a kernel step between
// a lock and its unlock cannot be moved so, and is refused when c > 1.
std::vector<step> task_steps(const workload_spec& w, std::uint64_t c);

// The items as shared tasks of `c`: a queue `name` of the whole tasks and `name`-tail of the
// shorter last one, so that every task knows its size. Returns the for_each over each, in
// order, whose body is `take` of Python work (getting the task from a shared queue), the task's
// steps (task_steps), and then per_task + per_item x its size of Python work (the runner's and
// pipe's share).
std::vector<step> task_loops(scenario_fragment& f, const workload_spec& w, const std::string& name,
                             std::uint64_t c, double per_task, double per_item, double take = 0);

// A child of a `processes` workload that runs its slice [first, last] under the execution
// model `inner` (threads or asyncio) with `workers` of its own (0: that model's default), in a
// process `name` started at `start`: the inner model's fragment for the slice, its queues and
// locks renamed under `name/`, `child_start` of CPU at the head of its first thread (the other
// threads start that much later) and `task` of CPU at its end (models/exec/exec_nested.cpp);
// with shared_queues, its queues keep their names and are shared with the other children.
// `exit` (the process's end as its parent sees it) is a wait at the end of every thread of the
// child, so that the child ends `exit` after its last thread.
struct nested_child {
  std::string inner, name;
  std::uint64_t first = 1, last = 0;
  int workers = 0;
  double start = 0, child_start = 0, task = 0, exit = 0;
  bool shared_queues = false;  // the queues are every child's (not renamed, added once)
};
void add_nested_child(scenario_fragment& f, const workload_spec& w, const exec_context& ctx,
                      const nested_child& c);

// The `per_item_overhead` parameter every execution model declares.
param_decl per_item_overhead_decl();
// The `distribution` field: one of `choices`, the first the default.
param_decl distribution_decl(std::vector<std::string> choices, const std::string& description);

[[noreturn]] void unsupported(const workload_spec& w, const std::string& what);

}  // namespace exec
}  // namespace gilsim
