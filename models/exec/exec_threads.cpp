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
  threads_model(double per_item, double get, int cores)
      : per_item_(per_item), get_(get), cores_(cores)
  {
  }
  void expand(const workload_spec& w, scenario& sc) const override
  {
    const std::string dist = w.distribution.empty() ? "queue" : w.distribution;
    int workers = w.workers > 0 ? w.workers : std::min(32, cores_ + 4);
    auto& p = exec::add_python_process(sc, w, "main");
    if (dist == "queue" || dist == "pool") {
      // A get of `chunksize` items at a time is one task: its items' computing as one phase,
      // then their other steps once per item (exec::task_steps), as for a process pool.
      std::uint64_t chunk = std::max<std::uint64_t>(1, w.chunksize);
      auto loops = exec::task_loops(sc, w, "items", chunk, 0, per_item_, get_);
      for (int i = 0; i < workers; ++i)
        p.threads.push_back(exec::thread(fmt::format("worker-{}", i), loops));
      return;
    }
    if (dist != "chunks")
      exec::unsupported(w, fmt::format("threads take distribution queue, pool or chunks, not '{}'",
                                       dist));
    auto slices = split_range(w.first, w.last, std::uint64_t(workers));
    for (int i = 0; i < workers; ++i) {
      const auto& r = slices[size_t(i)];
      std::vector<step> program;
      if (!r.empty())
        program.push_back(
            exec::slice_loop(sc, w, fmt::format("chunk-{}", i), r.first, r.last, per_item_));
      // an empty slice: the worker starts and ends at once
      p.threads.push_back(exec::thread(fmt::format("worker-{}", i), program));
    }
  }

private:
  double per_item_, get_;
  int cores_;
};

const bool registered = exec_registry::add({
    "threads",
    "OS threads in one Python process under its GIL: a shared queue, a pool or static chunks",
    {exec::per_item_overhead_decl(),
     {"queue_get", param_kind::duration, "s", 5e-6, 0, 1, false,
      "Python work of one get from the shared queue (queue and pool distributions)", {}}},
    [](const param_values& p, const exec_context& ctx) {
      return std::make_unique<threads_model>(p.number("per_item_overhead"), p.number("queue_get"),
                                             ctx.cores);
    },
});

}  // namespace
}  // namespace gilsim
