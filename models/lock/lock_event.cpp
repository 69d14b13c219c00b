// event: threading.Event. `set: ev` sets the flag and wakes every waiter (in the order they
// came, each after the engine's wake-up latency); `clear: ev` resets it; `wait: ev` goes on at
// once while the flag is set and blocks otherwise. The flag starts cleared.
#include "models/lock/lock_model.hpp"

namespace gilsim {
namespace {

class event_lock final : public lock_model {
public:
  bool takes(lock_op op) const override
  {
    return op == lock_op::set || op == lock_op::clear || op == lock_op::wait;
  }
  std::vector<lock_op> ended_by(lock_op op) const override
  {
    if (op == lock_op::wait)
      return {lock_op::set};
    return {};
  }
  lock_outcome act(lock_op op, thread_id t) override
  {
    switch (op) {
      case lock_op::set: {
        set_ = true;
        lock_outcome o{true, std::move(waiting_)};
        waiting_.clear();
        return o;
      }
      case lock_op::clear: set_ = false; return {true, {}};
      default:
        if (set_)
          return {true, {}};
        waiting_.push_back(t);
        return {false, {}};
    }
  }
  std::vector<thread_id> waiters() const override { return waiting_; }
  std::string waits_for(thread_id) const override { return "the event to be set"; }

private:
  bool set_ = false;
  std::vector<thread_id> waiting_;
};

const bool event_registered = lock_registry::add({
    "event",
    "an event flag (threading.Event): set wakes every waiter, clear resets, wait blocks unless set",
    {},
    [](const param_values&, const lock_context&) { return std::make_unique<event_lock>(); },
});

}  // namespace
}  // namespace gilsim
