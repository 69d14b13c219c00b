// sync and cooperative: one thread does every item in order (the lessons' SyncTaskRunner and
// CoopTaskRunner). The cooperative runner hands each item to "the first idle worker", which is
// always the first one, so it is the synchronous run plus the cost of that hand-off per item
// (seeds/004: "the first idle worker will always be the first worker").
// Parameters: per_item_overhead, the Python work per item beyond the item's own steps (the
// runner's loop, queue and bookkeeping); cooperative adds dispatch_cost per item.
#include "models/exec_model.hpp"

namespace gilsim {
namespace {

class single_thread final : public exec_model {
public:
  explicit single_thread(double per_item) : per_item_(per_item) {}
  void expand(const workload_spec& w, scenario& sc) const override
  {
    if (!w.distribution.empty() && w.distribution != "queue")
      exec::unsupported(w, "a single-threaded model takes its items in order: distribution "
                           "must be queue (or left out)");
    std::uint64_t items = w.last - w.first + 1;
    std::uint64_t chunk = exec::chunk_for(w, items, 1);
    std::vector<step> body = w.per_item;
    if (per_item_ > 0)
      body.push_back(exec::cpu(per_item_ * double(chunk)));
    std::string q = exec::add_queue(sc, "items", w.first, w.last, chunk);
    auto& p = exec::add_python_process(sc, w, "main");
    p.threads.push_back(exec::thread("main", {exec::for_each(q, body)}));
  }

private:
  double per_item_;
};

param_decl overhead_decl()
{
  return {"per_item_overhead", param_kind::duration, "s", 0, 0, 10, false,
          "Python work per item beyond its own steps (loop, queue, bookkeeping)", {}};
}

const bool sync_registered = exec_registry::add({
    "sync",
    "one thread, the items in order",
    {overhead_decl()},
    [](const param_values& p, const exec_context&) {
      return std::make_unique<single_thread>(p.number("per_item_overhead"));
    },
});

const bool coop_registered = exec_registry::add({
    "cooperative",
    "one thread; workers take turns at yield points, and the first idle one always wins",
    {overhead_decl(),
     {"dispatch_cost", param_kind::duration, "s", 2e-6, 0, 10, false,
      "the runner's search for an idle worker, per item", {}}},
    [](const param_values& p, const exec_context&) {
      return std::make_unique<single_thread>(p.number("per_item_overhead") +
                                             p.number("dispatch_cost"));
    },
});

}  // namespace
}  // namespace gilsim
