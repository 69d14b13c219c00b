// processes: worker processes, each with its own interpreter and GIL (multiprocessing and
// ProcessPoolExecutor). The parent starts them one after the other, paying `parent_start` each;
// a child then pays its start method's cost before it works: fork_start (1-2 ms), forkserver_start
// (about 10 ms), spawn_start (35-50 ms plus imports) (MODEL.md section 5). Distributions:
// - chunks (default): child i works on the i-th contiguous slice and sends its result back once
//   (`task_overhead`: pickling and a pipe round trip, about 50 us).
// - pool: ProcessPoolExecutor.map: children take `chunksize` items at a time (default 1) from the
//   call queue, paying task_overhead per chunk. When items wait (I/O, sleep) each item is taken
//   on its own and pays task_overhead / chunksize: the same work, handed out item by item.
#include "models/exec_model.hpp"
#include "models/prime_work.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace gilsim {
namespace {

class processes_model final : public exec_model {
public:
  explicit processes_model(const param_values& p) : p_(p) {}

  void expand(const workload_spec& w, scenario& sc) const override
  {
    const std::string dist = w.distribution.empty() ? "chunks" : w.distribution;
    if (dist != "chunks" && dist != "pool")
      exec::unsupported(w, fmt::format("processes take distribution chunks or pool, not '{}'",
                                       dist));
    int workers = w.workers > 0 ? w.workers : 1;
    double child_start = p_.number(w.start_method + "_start");
    double parent_start = p_.number("parent_start");
    double per_item = p_.number("per_item_overhead");
    double task = p_.number("task_overhead");

    // The parent: it starts the children in turn, then waits for them (it does no work).
    auto& parent = exec::add_python_process(sc, w, "main");
    parent.threads.push_back(exec::thread("main", {exec::cpu(parent_start * workers)}));

    std::string shared;
    std::uint64_t chunksize = std::max<std::uint64_t>(1, w.chunksize);
    std::uint64_t pool_chunk = exec::pure_kernel(w.per_item) ? chunksize : 1;
    double task_share = task * double(pool_chunk) / double(chunksize);
    if (dist == "pool")
      shared = exec::add_queue(sc, "calls", w.first, w.last, pool_chunk);
    auto slices = split_range(w.first, w.last, std::uint64_t(workers));
    for (int i = 0; i < workers; ++i) {
      std::vector<step> program;
      if (child_start > 0)
        program.push_back(exec::cpu(child_start));
      if (dist == "pool") {
        std::vector<step> body = w.per_item;
        body.push_back(exec::cpu(task_share + per_item * double(pool_chunk)));
        program.push_back(exec::for_each(shared, body));
      } else if (!slices[size_t(i)].empty()) {
        const auto& r = slices[size_t(i)];
        program.push_back(
            exec::slice_loop(sc, w, fmt::format("chunk-{}", i), r.first, r.last, per_item));
        program.push_back(exec::cpu(task));
      }
      auto& child = exec::add_python_process(sc, w, fmt::format("worker-{}", i),
                                             parent_start * (i + 1));
      child.threads.push_back(exec::thread("main", program));
    }
  }

private:
  param_values p_;
};

const bool registered = exec_registry::add({
    "processes",
    "worker processes with their own GIL: static chunks or a process pool",
    {exec::per_item_overhead_decl(),
     {"parent_start", param_kind::duration, "s", 0.2e-3, 0, 10, false,
      "the parent's work to start one child", {}},
     {"fork_start", param_kind::duration, "s", 1.5e-3, 0, 10, false,
      "a forked child's start-up", {}},
     {"forkserver_start", param_kind::duration, "s", 10e-3, 0, 10, false,
      "a child's start-up through the fork server", {}},
     {"spawn_start", param_kind::duration, "s", 40e-3, 0, 10, false,
      "a spawned child's start-up: a fresh interpreter and its imports", {}},
     {"task_overhead", param_kind::duration, "s", 50e-6, 0, 10, false,
      "pickling a task and its result and a pipe round trip", {}}},
    [](const param_values& p, const exec_context&) {
      return std::make_unique<processes_model>(p);
    },
});

}  // namespace
}  // namespace gilsim
