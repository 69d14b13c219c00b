// condition: a condition variable with a lock of its own, like threading.Condition() (which
// makes its own lock): `lock: cv` and `unlock: cv` take and give that lock (a mutex with FIFO
// hand-off); `wait: cv`, `notify: cv` and `notify_all: cv` need it held. A wait gives the lock
// up (handing it to its longest waiter), blocks until notified and then takes the lock again:
// a notify moves the longest waiter (notify_all every waiter, in order) to the back of the
// lock's own queue, so the notified thread goes on once the notifier, and whoever queued for
// the lock before it, have unlocked. A notify with nobody waiting does nothing.
#include "models/lock/lock_model.hpp"

#include <algorithm>
#include <deque>

namespace gilsim {
namespace {

class condition_lock final : public lock_model {
public:
  bool acquire(thread_id t) override
  {
    if (holder_ == no_thread && queued_.empty()) {
      holder_ = t;
      return true;
    }
    queued_.push_back(t);
    return false;
  }
  std::vector<thread_id> release(thread_id t) override
  {
    if (holder_ == t)
      holder_ = no_thread;
    if (holder_ != no_thread || queued_.empty())
      return {};
    holder_ = queued_.front();
    queued_.pop_front();
    return {holder_};
  }
  bool held_by(thread_id t) const override { return holder_ == t && t != no_thread; }
  std::vector<thread_id> holders() const override
  {
    if (holder_ == no_thread)
      return {};
    return {holder_};
  }
  std::vector<thread_id> waiters() const override
  {
    std::vector<thread_id> out(queued_.begin(), queued_.end());
    out.insert(out.end(), waiting_.begin(), waiting_.end());
    return out;
  }
  bool takes(lock_op op) const override
  {
    return op == lock_op::lock || op == lock_op::unlock || op == lock_op::wait ||
           op == lock_op::notify || op == lock_op::notify_all;
  }
  std::vector<lock_op> ended_by(lock_op op) const override
  {
    if (op == lock_op::wait)
      return {lock_op::notify, lock_op::notify_all};
    return {};
  }
  lock_outcome act(lock_op op, thread_id t) override
  {
    switch (op) {
      case lock_op::lock: return {acquire(t), {}};
      case lock_op::unlock: return {true, release(t)};
      case lock_op::wait: {
        lock_outcome o{false, release(t)};
        waiting_.push_back(t);
        return o;
      }
      case lock_op::notify:
      case lock_op::notify_all: {
        lock_outcome o;
        size_t n = op == lock_op::notify ? std::min<size_t>(1, waiting_.size()) : waiting_.size();
        for (size_t i = 0; i < n; ++i) {
          thread_id w = waiting_.front();
          waiting_.pop_front();
          if (acquire(w))  // only when nobody holds the lock (the loader has the notifier hold it)
            o.woken.push_back(w);
        }
        return o;
      }
      default: return {true, {}};
    }
  }
  std::string waits_for(thread_id t) const override
  {
    if (std::find(waiting_.begin(), waiting_.end(), t) != waiting_.end())
      return "a notify";
    return "";  // its lock, after a notify or at a lock step
  }

private:
  thread_id holder_ = no_thread;
  std::deque<thread_id> queued_;   // for the lock, in order
  std::deque<thread_id> waiting_;  // in wait, for a notify, in order
};

const bool condition_registered = lock_registry::add({
    "condition",
    "a condition variable with its own lock (threading.Condition): wait, notify, notify_all",
    {},
    [](const param_values&, const lock_context&) { return std::make_unique<condition_lock>(); },
});

}  // namespace
}  // namespace gilsim
