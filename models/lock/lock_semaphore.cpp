// semaphore and mutex: counting locks with strict FIFO hand-off (no barging), like a fair
// pthread lock or threading.Semaphore with waiters served in order. A release while threads wait
// passes the unit straight to the longest waiter; a mutex is a semaphore of capacity 1.
// A mutex's `wakeup` replaces the machine's wake-up latency for the thread it is handed to: 0
// for a hand-off that needs no OS wake-up, as between the tasks of one event loop.
#include "models/lock/lock_model.hpp"

#include <algorithm>
#include <deque>

namespace gilsim {
namespace {

class semaphore_lock final : public lock_model {
public:
  explicit semaphore_lock(int capacity, std::optional<double> wakeup = std::nullopt,
                          std::optional<double> resolution = std::nullopt)
      : capacity_(capacity), wakeup_(wakeup), resolution_(resolution)
  {
  }

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
  std::optional<double> wakeup() const override { return wakeup_; }
  std::optional<double> timer_resolution() const override { return resolution_; }

private:
  int capacity_;
  std::optional<double> wakeup_;
  std::optional<double> resolution_;
  std::vector<thread_id> holders_;
  std::deque<thread_id> waiters_;
};

const bool mutex_registered = lock_registry::add({
    "mutex",
    "a mutual-exclusion lock with FIFO hand-off",
    {{"wakeup", param_kind::duration, "s", 0, 0, 1, false,
      "how long the thread it is handed to takes to be runnable (default: the machine's "
      "wakeup_latency; 0: a hand-off within one OS thread, as between an event loop's tasks)",
      {}, /*optional=*/true},
     {"timer_resolution", param_kind::duration, "s", 0, 0, 1, true,
      "an event loop's: a task taken back by a timer (`lock: {name: L, by_timer: true}`) that "
      "finds the loop idle waits for the loop's wait, rounded up to a whole multiple of this "
      "(asyncio's epoll: 1ms); none: at once",
      {}, /*optional=*/true}},
    [](const param_values& p, const lock_context&) {
      auto given = [&](const char* k) {
        return p.has(k) ? std::optional<double>(p.number(k)) : std::nullopt;
      };
      return std::make_unique<semaphore_lock>(1, given("wakeup"), given("timer_resolution"));
    },
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
