// threads: OS threads of one Python process, under its GIL (the lessons' MultiThreadTaskRunner
// and ThreadPoolExecutor). Distributions:
// - queue (default): every worker takes the next item from a shared queue.Queue; each get costs
//   `queue_get` of Python work (2-10 us under the GIL, docs/model.md section 5). With a `chunksize`
//   of c a get takes c items, whose steps all run (each item's waits, once per item).
// - pool: ThreadPoolExecutor: idle workers take the next submitted call; as queue.
// Workers default to ThreadPoolExecutor's min(32, cores + 4) under every distribution.
// queue_get, when the scenario leaves it out, is the interpreter's (python_costs::queue_get).
// With an interpreter's measured costs (exec_context::measured) the process's main thread is
// simulated too, first, under the same GIL: it starts the workers (thread_start each), then
// submits (pool: executor_submit per item, for submit, the Future and its result, as map
// submits everything and then collects) or puts the tasks on the queue (queue: queue_put per
// task), then joins the workers (thread_join each); every call in a pool costs its worker
// executor_worker more, and its get from the executor's SimpleQueue no queue_get unless the
// scenario gives one. The workers do not wait for the main thread's starts and submits (their
// queue holds every item from the start): its work competes with theirs for the GIL and the
// cores, as in the real program, but no item waits for its submit.
// - chunks: worker i gets the i-th contiguous slice of the items (the first size % workers
//   slices one item longer), done in one CPU phase when items only compute.
#include "models/exec/exec_model.hpp"
#include "models/cost/prime_work.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace gilsim {
namespace {

class threads_model final : public exec_model {
public:
  threads_model(const param_values& p, const exec_context& ctx)
      : per_item_(p.number("per_item_overhead"))
      , get_(p.has("queue_get") ? p.number("queue_get") : ctx.python.queue_get)
      , get_given_(p.has("queue_get"))
      , chunksize_(std::uint64_t(p.number("chunksize")))
      , chunks_(p.choice("distribution") == "chunks")
      , pool_(p.choice("distribution") == "pool")
      , ctx_(ctx)
  {
  }
  scenario_fragment expand(const workload_spec& w) const override
  {
    scenario_fragment f;
    int workers = w.workers > 0 ? w.workers : std::min(32, ctx_.cores + 4);
    auto& p = exec::add_python_process(f, w, "main");
    if (ctx_.measured())
      p.threads.push_back(exec::thread("main", main_program(w, workers)));
    if (!chunks_) {
      // A get of `chunksize` items at a time is one task: its items' computing as one phase,
      // then their other steps once per item (exec::task_steps), as for a process pool.
      const bool executor = pool_ && ctx_.measured();
      const double take = executor && !get_given_ ? 0 : get_;
      const double per_item = per_item_ + (executor ? ctx_.python.executor_worker : 0);
      auto loops = exec::task_loops(f, w, "items", chunksize_, 0, per_item, take);
      for (int i = 0; i < workers; ++i)
        p.threads.push_back(exec::thread(fmt::format("worker-{}", i), loops));
      return f;
    }
    auto slices = split_range(w.first, w.last, std::uint64_t(workers));
    for (int i = 0; i < workers; ++i) {
      const auto& r = slices[size_t(i)];
      std::vector<step> program;
      if (!r.empty())
        program.push_back(
            exec::slice_loop(f, w, fmt::format("chunk-{}", i), r.first, r.last, per_item_));
      // an empty slice: the worker starts and ends at once
      p.threads.push_back(exec::thread(fmt::format("worker-{}", i), program));
    }
    return f;
  }

private:
  // The main thread's Python work, with measured costs: the workers' starts, the submits or
  // puts, the joins, one CPU phase each.
  std::vector<step> main_program(const workload_spec& w, int workers) const
  {
    const python_costs& py = ctx_.python;
    const std::uint64_t n = w.last - w.first + 1, tasks = n / chunksize_ + (n % chunksize_ ? 1 : 0);
    std::vector<step> program = {exec::cpu(py.thread_start * workers)};
    if (pool_)
      program.push_back(exec::cpu(py.executor_submit * double(n)));
    else if (!chunks_)
      program.push_back(exec::cpu(py.queue_put * double(tasks)));
    program.push_back(exec::cpu(py.thread_join * workers));
    return program;
  }

  double per_item_, get_;
  bool get_given_;
  std::uint64_t chunksize_;
  bool chunks_;  // distribution chunks, else queue or pool
  bool pool_;    // distribution pool (ThreadPoolExecutor)
  exec_context ctx_;
};

const bool registered = exec_registry::add({
    "threads",
    "OS threads in one Python process under its GIL: a shared queue, a pool or static chunks",
    {exec::per_item_overhead_decl(),
     {"queue_get", param_kind::duration, "s", 0, 0, 1, false,
      "Python work of one get from the shared queue (queue and pool distributions; default: "
      "the interpreter's queue_get, 5 us built in)",
      {}, /*optional=*/true}},
    [](const param_values& p, const exec_context& ctx) {
      return std::make_unique<threads_model>(p, ctx);
    },
    {exec::distribution_decl({"queue", "pool", "chunks"},
                             "queue: a shared queue.Queue; pool: ThreadPoolExecutor; chunks: "
                             "worker i gets the i-th contiguous slice"),
     {"chunksize", param_kind::integer, "", 1, 1, double(prime_work_max_last), false,
      "queue and pool: the items one get takes", {}}},
});

}  // namespace
}  // namespace gilsim
