// threads: OS threads of one Python process, under its GIL (the lessons' MultiThreadTaskRunner
// and ThreadPoolExecutor). Distributions:
// - queue (default): every worker takes the next item from a shared queue.Queue; each get costs
//   `queue_get` of Python work (2-10 us under the GIL, docs/model.md section 5). With a `chunksize`
//   of c a get takes c items, whose steps all run (each item's waits, once per item).
// - pool: ThreadPoolExecutor: idle workers take the next submitted call; as queue.
// Workers default to ThreadPoolExecutor's min(32, cores + 4) under every distribution.
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
  threads_model(const param_values& p, int cores)
      : per_item_(p.number("per_item_overhead"))
      , get_(p.number("queue_get"))
      , chunksize_(std::uint64_t(p.number("chunksize")))
      , chunks_(p.choice("distribution") == "chunks")
      , cores_(cores)
  {
  }
  scenario_fragment expand(const workload_spec& w) const override
  {
    scenario_fragment f;
    int workers = w.workers > 0 ? w.workers : std::min(32, cores_ + 4);
    auto& p = exec::add_python_process(f, w, "main");
    if (!chunks_) {
      // A get of `chunksize` items at a time is one task: its items' computing as one phase,
      // then their other steps once per item (exec::task_steps), as for a process pool.
      auto loops = exec::task_loops(f, w, "items", chunksize_, 0, per_item_, get_);
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
  double per_item_, get_;
  std::uint64_t chunksize_;
  bool chunks_;  // distribution chunks, else queue or pool
  int cores_;
};

const bool registered = exec_registry::add({
    "threads",
    "OS threads in one Python process under its GIL: a shared queue, a pool or static chunks",
    {exec::per_item_overhead_decl(),
     {"queue_get", param_kind::duration, "s", 5e-6, 0, 1, false,
      "Python work of one get from the shared queue (queue and pool distributions)", {}}},
    [](const param_values& p, const exec_context& ctx) {
      return std::make_unique<threads_model>(p, ctx.cores);
    },
    {exec::distribution_decl({"queue", "pool", "chunks"},
                             "queue: a shared queue.Queue; pool: ThreadPoolExecutor; chunks: "
                             "worker i gets the i-th contiguous slice"),
     {"chunksize", param_kind::integer, "", 1, 1, double(prime_work_max_last), false,
      "queue and pool: the items one get takes", {}}},
});

}  // namespace
}  // namespace gilsim
