// sync and cooperative: one thread does every item in order (the lessons' SyncTaskRunner and
// CoopTaskRunner). The cooperative runner hands each item to "the first idle worker", which is
// always the first one, so it is the synchronous run plus the cost of that hand-off per item
// (seeds/004: "the first idle worker will always be the first worker").
// Parameters: per_item_overhead, the Python work per item beyond the item's own steps (the
// runner's loop, queue and bookkeeping); cooperative adds dispatch_cost per item. The one
// distribution is queue: the items in order.
#include "models/exec/exec_model.hpp"

namespace gilsim {
namespace {

class single_thread final : public exec_model {
public:
  explicit single_thread(double per_item) : per_item_(per_item) {}
  static param_decl distribution()
  {
    return exec::distribution_decl({"queue"}, "one thread takes the items in order");
  }
  scenario_fragment expand(const workload_spec& w) const override
  {
    scenario_fragment f;
    step loop = exec::slice_loop(f, w, "items", w.first, w.last, per_item_);
    auto& p = exec::add_python_process(f, w, "main");
    p.threads.push_back(exec::thread("main", {loop}));
    return f;
  }

private:
  double per_item_;
};

const bool sync_registered = exec_registry::add({
    "sync",
    "one thread, the items in order",
    {exec::per_item_overhead_decl()},
    [](const param_values& p, const exec_context&) {
      return std::make_unique<single_thread>(p.number("per_item_overhead"));
    },
    {single_thread::distribution()},
});

const bool coop_registered = exec_registry::add({
    "cooperative",
    "one thread; workers take turns at yield points, and the first idle one always wins",
    {exec::per_item_overhead_decl(),
     {"dispatch_cost", param_kind::duration, "s", 2e-6, 0, 10, false,
      "the runner's search for an idle worker, per item", {}}},
    [](const param_values& p, const exec_context&) {
      return std::make_unique<single_thread>(p.number("per_item_overhead") +
                                             p.number("dispatch_cost"));
    },
    {single_thread::distribution()},
});

}  // namespace
}  // namespace gilsim
