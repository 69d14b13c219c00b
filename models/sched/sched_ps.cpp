// ps: ideal processor sharing. Each ready thread gets min(1 core, cores / ready) of capacity,
// with no slices and no switch cost: SimGrid's own fluid max-min model on one N-core host. The
// analytic baseline (M/M/1-PS and friends); nothing is dispatched, so this policy decides nothing.
#include "models/sched/sched_policy.hpp"

namespace gilsim {
namespace {

class ps_policy final : public sched_policy {
public:
  bool fluid() const override { return true; }
  void add_thread(const sched_thread&) override {}
  void on_ready(thread_id, ready_reason, double) override {}
  thread_id pick_next(int, double) override { return no_thread; }
  size_t ready_count() const override { return 0; }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id, double) override {}
  double slice(thread_id) const override { return unlimited; }
};

const bool registered = sched_registry::add({
    "ps",
    "ideal processor sharing (fluid): every ready thread gets min(1, cores/ready) of a core",
    {},
    [](const param_values&, const sched_context&) { return std::make_unique<ps_policy>(); },
});

}  // namespace
}  // namespace gilsim
