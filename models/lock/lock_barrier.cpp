// barrier: threading.Barrier(parties). `wait: b` blocks until `parties` threads are waiting;
// the last to arrive goes on at once and releases the others (woken in the order they
// arrived, each after the engine's wake-up latency); the barrier is then ready for its next
// round. No timeout, no abort.
#include "models/lock/lock_model.hpp"

#include <fmt/format.h>

namespace gilsim {
namespace {

class barrier_lock final : public lock_model {
public:
  explicit barrier_lock(long long parties) : parties_(parties) {}

  bool takes(lock_op op) const override { return op == lock_op::wait; }
  long long parties() const override { return parties_; }
  lock_outcome act(lock_op, thread_id t) override
  {
    if ((long long)(arrived_.size()) + 1 < parties_) {
      arrived_.push_back(t);
      return {false, {}};
    }
    lock_outcome o{true, std::move(arrived_)};
    arrived_.clear();
    return o;
  }
  std::vector<thread_id> waiters() const override { return arrived_; }
  std::string waits_for(thread_id) const override
  {
    return fmt::format("the other parties ({} of {} have arrived)", arrived_.size(), parties_);
  }

private:
  long long parties_;
  std::vector<thread_id> arrived_;
};

const bool barrier_registered = lock_registry::add({
    "barrier",
    "a barrier (threading.Barrier): wait blocks until `parties` threads wait, then all go on",
    {{"parties", param_kind::integer, "threads", 2, 1, 1e9, false,
      "how many threads must wait for all to go on", {}}},
    [](const param_values& p, const lock_context&) {
      return std::make_unique<barrier_lock>((long long)(p.number("parties")));
    },
});

}  // namespace
}  // namespace gilsim
