// processes: worker processes, each with its own interpreter and GIL (multiprocessing and
// ProcessPoolExecutor). The parent starts them one after the other, paying `parent_start` each;
// a child then pays its start method's cost before it works: fork_start (1-2 ms), forkserver_start
// (about 10 ms), spawn_start (35-50 ms plus imports) (docs/model.md section 5). Without `workers`
// there is one per core, as ProcessPoolExecutor and multiprocessing.Pool default to
// os.cpu_count(). Distributions:
// - chunks (default): child i works on the i-th contiguous slice and sends its result back once
//   (`task_overhead`: pickling and a pipe round trip, about 50 us).
// - pool: the children take tasks of `chunksize` items from a shared call queue, whichever is
//   idle first, and pay task_overhead per task. `pool` says whose map it is, for its default
//   chunksize (an explicit `chunksize` wins):
//   - executor (default): concurrent.futures.ProcessPoolExecutor.map: chunksize 1. Its call
//     queue holds workers + 1 calls, refilled by the parent as calls leave: no child ever waits
//     for it, so the shared queue stands for it.
//   - multiprocessing: multiprocessing.Pool.map: chunksize ceil(n / (4 x workers)), as
//     Lib/multiprocessing/pool.py computes it (divmod(n, workers * 4), plus one if any is left):
//     1000 items on 3 workers are 11 tasks of 84 and a last one of 76.
//   A task's items run one after the other in the child that took it: their kernel work as one
//   CPU phase, then their other steps (I/O, sleeps) item by item (exec::task_steps).
// - manager: a multiprocessing.Manager().Queue() that the children get their items from; every
//   get is a round trip to the manager's server process (models/exec/exec_manager.cpp).
// The start methods' costs, when the scenario leaves them out, are the interpreter's
// (python_costs fork_start, forkserver_start, spawn_start). With an interpreter's measured
// costs (exec_context::measured) a pool's parent works too (pool_parent below): per task of c
// items it pays pool.parent.at(c) of Python work under its GIL, half in its main thread
// (submitting: the work items, pickling the calls) and half in a second thread, the executor's
// queue-management thread or the Pool's result handler (collecting: unpickling results,
// completing the futures); a child pays pool.child.at(c) per task instead of task_overhead
// (unless the scenario gives task_overhead); at the end the main thread joins each child in
// turn and then waits pool_shutdown per worker (shutdown(wait=True), close and join). With
// static chunks a child's end, as the parent's join sees it, comes its start method's measured
// exit (python_costs fork_exit, forkserver_exit, spawn_exit) after its work: a wait at the end of
// its threads (0 when not measured).
#include "models/exec/exec_manager.hpp"
#include "models/exec/exec_model.hpp"
#include "models/cost/prime_work.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace gilsim {
namespace {

class processes_model final : public exec_model {
public:
  processes_model(const param_values& p, const exec_context& ctx) : p_(p), ctx_(ctx) {}

  scenario_fragment expand(const workload_spec& w) const override
  {
    scenario_fragment f;
    const std::string& dist = p_.choice("distribution");
    int workers = w.workers > 0 ? w.workers : std::max(1, ctx_.cores);  // os.cpu_count()
    double child_start = start_cost(p_.choice("start_method"));
    const double exit_wait = dist == "chunks" ? exit_cost(p_.choice("start_method")) : 0;
    double parent_start = p_.number("parent_start");
    double per_item = p_.number("per_item_overhead");
    double task = p_.has("task_overhead") ? p_.number("task_overhead") : 50e-6;
    if (dist == "manager") {
      const std::uint64_t chunk = p_.has("chunksize") ? std::uint64_t(p_.number("chunksize")) : 1;
      exec::expand_manager(w, f,
                           {workers, parent_start, child_start, per_item,
                            p_.number("manager_round_trip"), p_.number("manager_cpu"),
                            ctx_.wakeup_latency, chunk});
      return f;
    }

    // The parent: it starts the children in turn, then waits for them (it does no work but a
    // pool's with measured costs).
    const bool parent_works = dist == "pool" && ctx_.measured();
    auto& parent = exec::add_python_process(f, w, "main");
    parent.threads.push_back(exec::thread("main", {exec::cpu(parent_start * workers)}));
    if (parent_works)
      pool_parent(f, w, parent, workers);

    std::vector<step> pool_loops;
    if (dist == "pool") {
      const linear_cost child = pool_costs().child;
      const bool measured_task = ctx_.measured() && !p_.has("task_overhead");
      pool_loops = exec::task_loops(f, w, "calls", pool_chunksize(w, workers),
                                    measured_task ? child.fixed : task,
                                    per_item + (measured_task ? child.per_item : 0));
    }
    auto slices = split_range(w.first, w.last, std::uint64_t(workers));
    const std::string& inner = p_.choice("inner");
    if (inner != "main" && dist != "chunks")
      exec::unsupported(w, fmt::format("inner: {} works with distribution: chunks (each child "
                                       "runs its slice under {}), not {}",
                                       inner, inner, dist));
    for (int i = 0; i < workers; ++i) {
      // Processes of threads or event loops: a slice each, or with arrivals one shared stream.
      if (inner != "main" && (w.arrivals || !slices[size_t(i)].empty())) {
        const bool shared = w.arrivals.has_value();
        exec::add_nested_child(
            f, w, ctx_,
            {inner, fmt::format("worker-{}", i), shared ? w.first : slices[size_t(i)].first,
             shared ? w.last : slices[size_t(i)].last, int(p_.number("inner_workers")),
             parent_start * (i + 1), child_start, task, exit_wait, shared});
        continue;
      }
      std::vector<step> program;
      if (child_start > 0)
        program.push_back(exec::cpu(child_start));
      if (dist == "pool") {
        program.insert(program.end(), pool_loops.begin(), pool_loops.end());
      } else if (!slices[size_t(i)].empty()) {
        const auto& r = slices[size_t(i)];
        program.push_back(
            exec::slice_loop(f, w, fmt::format("chunk-{}", i), r.first, r.last, per_item));
        program.push_back(exec::cpu(task));
        if (exit_wait > 0)
          program.push_back(exec::io(exit_wait));
      }
      if (parent_works) {  // the parent joins it: it holds its `alive` lock while it lives
        program.insert(program.begin(), exec::lock(alive(i), true));
        program.push_back(exec::lock(alive(i), false));
      }
      auto& child = exec::add_python_process(f, w, fmt::format("worker-{}", i),
                                             parent_start * (i + 1));
      child.threads.push_back(exec::thread("main", program));
    }
    return f;
  }

private:
  double start_cost(const std::string& method) const
  {
    const std::string key = method + "_start";
    if (p_.has(key))
      return p_.number(key);
    const python_costs& py = ctx_.python;
    return method == "fork" ? py.fork_start : method == "spawn" ? py.spawn_start
                                                                : py.forkserver_start;
  }
  double exit_cost(const std::string& method) const
  {
    const python_costs& py = ctx_.python;
    return method == "fork" ? py.fork_exit : method == "spawn" ? py.spawn_exit
                                                               : py.forkserver_exit;
  }
  const pool_task_costs& pool_costs() const
  {
    return p_.choice("pool") == "executor" ? ctx_.python.executor_pool : ctx_.python.mp_pool;
  }
  static std::string alive(int i) { return fmt::format("worker-{}-alive", i); }

  // A pool's parent with measured costs: after starting the children, its main thread submits
  // (half of parent.at(c) per task), joins each child (taking the lock the child holds while it
  // lives) and waits pool_shutdown per worker; a second thread collects (the other half).
  // Child i takes its lock as it starts, at parent_start x (i + 1); the parent asks for the
  // locks after parent_start x workers of CPU and its submits, so after the last child has
  // started unless the parent's core is faster than the reference one (then a join may find a
  // child not started yet and not wait for it).
  void pool_parent(scenario_fragment& f, const workload_spec& w, process_spec& parent,
                   int workers) const
  {
    const std::uint64_t n = w.last - w.first + 1, c = pool_chunksize(w, workers);
    const std::uint64_t whole = n / c, tail = n % c;
    const linear_cost& cost = pool_costs().parent;
    const double half =
        (double(whole) * cost.at(double(c)) + (tail ? cost.at(double(tail)) : 0)) / 2;
    auto& main = parent.threads.back().program;
    main.push_back(exec::cpu(half));
    for (int i = 0; i < workers; ++i) {
      exec::add_mutex(f, alive(i), std::nullopt, lock_role::join);
      main.push_back(exec::lock(alive(i), true));
      main.push_back(exec::lock(alive(i), false));
    }
    if (ctx_.python.pool_shutdown > 0)
      main.push_back(exec::io(ctx_.python.pool_shutdown * workers));
    const char* collector = p_.choice("pool") == "executor" ? "queue-manager" : "result-handler";
    parent.threads.push_back(exec::thread(collector, {exec::cpu(half)}));
  }

  // The items per task: the scenario's chunksize, else the default of the pool's map.
  std::uint64_t pool_chunksize(const workload_spec& w, int workers) const
  {
    if (p_.has("chunksize"))
      return std::uint64_t(p_.number("chunksize"));
    if (p_.choice("pool") == "executor")
      return 1;
    const std::uint64_t n = w.last - w.first + 1, per = 4 * std::uint64_t(workers);
    return n / per + (n % per ? 1 : 0);
  }

  param_values p_;
  exec_context ctx_;
};

const bool registered = exec_registry::add({
    "processes",
    "worker processes with their own GIL: static chunks, a process pool or a manager queue",
    {exec::per_item_overhead_decl(),
     {"parent_start", param_kind::duration, "s", 0.2e-3, 0, 10, false,
      "the parent's work to start one child", {}},
     {"fork_start", param_kind::duration, "s", 0, 0, 10, false,
      "a forked child's start-up (default: the interpreter's fork_start, 1.5 ms built in)", {},
      /*optional=*/true},
     {"forkserver_start", param_kind::duration, "s", 0, 0, 10, false,
      "a child's start-up through the fork server (default: the interpreter's "
      "forkserver_start, 10 ms built in)",
      {}, /*optional=*/true},
     {"spawn_start", param_kind::duration, "s", 0, 0, 10, false,
      "a spawned child's start-up: a fresh interpreter and its imports (default: the "
      "interpreter's spawn_start, 40 ms built in)",
      {}, /*optional=*/true},
     {"task_overhead", param_kind::duration, "s", 0, 0, 10, false,
      "pickling a task and its result and a pipe round trip (default 50 us; a pool with "
      "measured costs: the interpreter's child cost per task)",
      {}, /*optional=*/true},
     {"pool", param_kind::choice, "", 0, 0, 1, false,
      "distribution pool: whose map sets the default chunksize: executor (ProcessPoolExecutor, "
      "1) or multiprocessing (multiprocessing.Pool, ceil(items / (4 x workers)))",
      {"executor", "multiprocessing"}},
     {"manager_round_trip", param_kind::duration, "s", 80e-6, 1e-6, 10, false,
      "distribution manager: a get from the manager's queue as a child sees it when the server "
      "is idle: the server's CPU and two wake-ups included",
      {}},
     {"manager_cpu", param_kind::duration, "s", 20e-6, 0, 10, false,
      "distribution manager: the manager server's Python work per request", {}}},
    [](const param_values& p, const exec_context& ctx) {
      return std::make_unique<processes_model>(p, ctx);
    },
    {exec::distribution_decl({"chunks", "pool", "manager"},
                             "chunks: child i works on the i-th slice; pool: a shared call queue; "
                             "manager: a multiprocessing.Manager().Queue()"),
     {"chunksize", param_kind::integer, "", 0, 1, double(prime_work_max_last), false,
      "pool: the items of a task (default: the pool's own); manager: of a queue element "
      "(default 1)",
      {}, /*optional=*/true},
     {"start_method", param_kind::choice, "", 0, 0, 0, false,
      "how a child starts: fork, spawn (a fresh interpreter) or forkserver",
      {"fork", "spawn", "forkserver"}},
     {"inner", param_kind::choice, "", 0, 0, 0, false,
      "distribution chunks: what each child runs its slice with: its main thread (main), "
      "threads on a queue.Queue (threads: processes of threads) or asyncio tasks (asyncio: "
      "processes of event loops)",
      {"main", "threads", "asyncio"}},
     {"inner_workers", param_kind::integer, "", 0, 0, 100000, false,
      "inner threads or asyncio: the threads or tasks of each child (0: that model's default)",
      {}}},
});

}  // namespace
}  // namespace gilsim
