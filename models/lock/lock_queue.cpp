// queue: a blocking queue of `capacity` items (unbounded without one), like queue.Queue(maxsize)
// with `put: q` and `get: q`. A get takes the oldest item, or waits while the queue is empty; a
// put adds one, or waits while the queue holds `capacity`. Hand-off is FIFO, as for a mutex: a
// put while threads wait to get hands its item straight to the longest waiter, and a get from a
// full queue lets the longest-waiting putter's item in; the woken thread goes on after the
// engine's wake-up latency. Items carry nothing but their count.
#include "models/lock/lock_model.hpp"

#include <deque>
#include <fmt/format.h>
#include <limits>

namespace gilsim {
namespace {

class queue_lock final : public lock_model {
public:
  explicit queue_lock(long long capacity) : capacity_(capacity) {}

  bool takes(lock_op op) const override { return op == lock_op::put || op == lock_op::get; }
  std::vector<lock_op> ended_by(lock_op op) const override
  {
    if (op == lock_op::get)
      return {lock_op::put};
    return {};  // a full queue's put is ended by a get, which a get-less program never blocks
  }
  lock_outcome act(lock_op op, thread_id t) override
  {
    return op == lock_op::put ? put(t) : get(t);
  }
  std::vector<thread_id> waiters() const override
  {
    std::vector<thread_id> out(getters_.begin(), getters_.end());
    out.insert(out.end(), putters_.begin(), putters_.end());
    return out;
  }
  std::string waits_for(thread_id t) const override
  {
    for (thread_id g : getters_)
      if (g == t)
        return "an item to get (the queue is empty)";
    return fmt::format("room to put (the queue holds its capacity, {})", capacity_);
  }

private:
  lock_outcome put(thread_id t)
  {
    if (!getters_.empty()) {  // the queue is empty: the item goes to the longest waiter
      thread_id w = getters_.front();
      getters_.pop_front();
      return {true, {w}};
    }
    if (items_ < capacity_) {
      ++items_;
      return {true, {}};
    }
    putters_.push_back(t);
    return {false, {}};
  }
  lock_outcome get(thread_id t)
  {
    if (items_ == 0) {
      getters_.push_back(t);
      return {false, {}};
    }
    --items_;
    if (putters_.empty())
      return {true, {}};
    thread_id w = putters_.front();  // the queue was full: the longest-waiting put goes in
    putters_.pop_front();
    ++items_;
    return {true, {w}};
  }

  long long capacity_;
  long long items_ = 0;
  std::deque<thread_id> getters_, putters_;
};

const bool queue_registered = lock_registry::add({
    "queue",
    "a blocking queue (queue.Queue): put waits while it is full, get while it is empty",
    {{"capacity", param_kind::integer, "items", 0, 1, 1e12, false,
      "how many items it holds (queue.Queue's maxsize); unbounded when left out", {}, true}},
    [](const param_values& p, const lock_context&) {
      return std::make_unique<queue_lock>(p.has("capacity")
                                              ? (long long)(p.number("capacity"))
                                              : std::numeric_limits<long long>::max());
    },
});

}  // namespace
}  // namespace gilsim
