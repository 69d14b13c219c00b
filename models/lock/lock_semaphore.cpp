// semaphore and mutex: counting locks with strict FIFO hand-off (no barging), like a fair
// pthread lock or threading.Semaphore with waiters served in order. A release while threads wait
// passes the unit straight to the longest waiter; a mutex is a semaphore of capacity 1.
#include "models/lock/lock_model.hpp"

#include <algorithm>
#include <deque>

namespace gilsim {
namespace {

class semaphore_lock final : public lock_model {
public:
  explicit semaphore_lock(int capacity) : capacity_(capacity) {}

  bool acquire(thread_id t) override
  {
    if (int(holders_.size()) < capacity_ && waiters_.empty()) {
      holders_.push_back(t);
      return true;
    }
    waiters_.push_back(t);
    return false;
  }
  std::vector<thread_id> release(thread_id t) override
  {
    auto it = std::find(holders_.begin(), holders_.end(), t);
    if (it != holders_.end())
      holders_.erase(it);
    std::vector<thread_id> woken;
    while (int(holders_.size()) < capacity_ && !waiters_.empty()) {
      holders_.push_back(waiters_.front());
      woken.push_back(waiters_.front());
      waiters_.pop_front();
    }
    return woken;
  }
  bool held_by(thread_id t) const override
  {
    return std::find(holders_.begin(), holders_.end(), t) != holders_.end();
  }
  std::vector<thread_id> holders() const override { return holders_; }
  std::vector<thread_id> waiters() const override { return {waiters_.begin(), waiters_.end()}; }

private:
  int capacity_;
  std::vector<thread_id> holders_;
  std::deque<thread_id> waiters_;
};

const bool mutex_registered = lock_registry::add({
    "mutex",
    "a mutual-exclusion lock with FIFO hand-off",
    {},
    [](const param_values&, const lock_context&) { return std::make_unique<semaphore_lock>(1); },
});

const bool semaphore_registered = lock_registry::add({
    "semaphore",
    "a counting semaphore of `capacity` units with FIFO hand-off",
    {{"capacity", param_kind::integer, "", 1, 1, 1e9, false, "how many threads may hold it", {}}},
    [](const param_values& p, const lock_context&) {
      return std::make_unique<semaphore_lock>(int(p.number("capacity")));
    },
});

}  // namespace
}  // namespace gilsim
