// The threads waiting on the GIL's condition variable in the order they began to wait, with the
// k-th of them (the one a hand-off picks) found in O(log W) and no allocation per wait: each wait
// takes the next slot of an array, a Fenwick tree counts the slots still taken, and the array is
// compacted (the order kept) when its slots run out, which is O(1) per wait on average.
#pragma once

#include "models/core/error.hpp"
#include "models/core/fenwick.hpp"
#include "models/sched/sched_policy.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace gilsim {

class waiting_order {
public:
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }

  // t begins to wait, after every thread that waits now.
  void push_back(thread_id t)
  {
    if (size_t(t) >= place_.size())
      place_.resize(size_t(t) + 1, none);
    GILSIM_ASSERT(place_[size_t(t)] == none, "a thread waits for the GIL once at a time");
    if (next_ == slots_.size())
      compact();
    place_[size_t(t)] = next_;
    slots_[next_] = t;
    taken_.add(next_, 1);
    ++next_;
    ++count_;
  }
  void erase(thread_id t)
  {
    const std::size_t at = place_[size_t(t)];
    GILSIM_ASSERT(at != none, "only a waiting thread stops waiting");
    place_[size_t(t)] = none;
    slots_[at] = no_thread;
    taken_.sub(at, 1);
    --count_;
  }
  // The k-th waiter from the longest waiting (k from 0, below size()).
  thread_id kth(std::size_t k) const { return slots_[taken_.find(int(k))]; }
  // Earlier for a thread that began to wait earlier (among those that wait now).
  std::size_t place(thread_id t) const { return place_[size_t(t)]; }

private:
  static constexpr std::size_t none = ~std::size_t(0);

  // Moves the waiters to the first slots, in their order, and makes room for three times as
  // many more.
  void compact()
  {
    std::size_t n = 0;
    for (std::size_t i = 0; i < next_; ++i)
      if (slots_[i] != no_thread) {
        slots_[n] = slots_[i];
        place_[size_t(slots_[n])] = n;
        ++n;
      }
    std::size_t size = 64;
    while (size < 4 * n)
      size *= 2;
    slots_.resize(size);
    std::fill(slots_.begin() + long(n), slots_.end(), no_thread);
    std::vector<int> counts(size, 0);
    std::fill(counts.begin(), counts.begin() + long(n), 1);
    taken_.build(counts);
    next_ = n;
  }

  std::vector<thread_id> slots_;    // by slot: the waiter there (no_thread: free or left)
  fenwick<int> taken_;              // which slots are taken
  std::vector<std::size_t> place_;  // by thread: its slot (none: it does not wait)
  std::size_t next_ = 0;            // the first slot never taken since the last compaction
  std::size_t count_ = 0;
};

}  // namespace gilsim
