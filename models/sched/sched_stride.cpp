// stride: deterministic proportional share (OSTEP chapter 9, after Waldspurger's stride
// scheduling). A thread's stride is a large number (10000, the chapter's) over its `tickets`; its
// pass grows by its stride for every `quantum` of CPU it receives (in proportion for part of a
// quantum). The ready thread with the lowest pass runs, ties by thread order, for a quantum; a
// thread whose quantum ends while others wait goes back among them. So with 100, 50 and 250
// tickets (strides 100, 200 and 40) the chapter's schedule is A B C C C A C C ... A thread that
// arrives, or comes back from I/O, behind the others starts at the lowest pass among the threads
// ready or running, so that it cannot claim the CPU it did not ask for while away. Passes are
// whole numbers (the CPU in nanoseconds times 10000 over tickets and quantum), so that equal
// shares tie exactly.
#include "models/sched/tickets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace gilsim {
namespace {

constexpr long long big = 10000;  // the chapter's "large number"

class stride_policy final : public sched_policy {
public:
  explicit stride_policy(double quantum) : quantum_(quantum), quantum_ns_(std::llround(quantum * 1e9))
  {
  }

  void add_thread(const sched_thread& t) override
  {
    if (jobs_.size() <= size_t(t.id))
      jobs_.resize(size_t(t.id) + 1);
    jobs_[size_t(t.id)].tickets = long(t.attributes.number("tickets"));
  }
  void on_ready(thread_id t, ready_reason why, double) override
  {
    job& j = jobs_.at(size_t(t));
    if (why == ready_reason::arrival || why == ready_reason::wakeup)
      if (auto low = lowest_pass(); low && pass(j) < *low)
        j.offset += *low - pass(j);
    ready_.push_back(t);
  }
  // Passes are read when a core is free, so a charge that comes after a thread queued counts.
  thread_id pick_next(int, double) override
  {
    if (ready_.empty())
      return no_thread;
    auto best = ready_.begin();
    for (auto it = ready_.begin(); it != ready_.end(); ++it)
      if (std::pair(pass(jobs_[size_t(*it)]), *it) < std::pair(pass(jobs_[size_t(*best)]), *best))
        best = it;
    thread_id t = *best;
    ready_.erase(best);
    return t;
  }
  size_t ready_count() const override { return ready_.size(); }
  void on_run(thread_id t, double) override { running_.push_back(t); }
  void on_stop(thread_id t, double) override
  {
    running_.erase(std::find(running_.begin(), running_.end(), t));
  }
  void on_ran(thread_id t, double cpu_s) override
  {
    jobs_.at(size_t(t)).cpu_ns += std::llround(cpu_s * 1e9);
  }
  double slice(thread_id) const override { return quantum_; }

private:
  struct job {
    long tickets = 100;
    long long cpu_ns = 0;  // CPU received
    long long offset = 0;  // pass added when it joined behind the others
  };
  long long pass(const job& j) const
  {
    return j.offset + (long long)(__int128(j.cpu_ns) * big / (__int128(quantum_ns_) * j.tickets));
  }
  // The lowest pass among the threads ready or running, if any.
  std::optional<long long> lowest_pass() const
  {
    std::optional<long long> low;
    for (const auto* list : {&ready_, &running_})
      for (thread_id t : *list)
        low = std::min(low.value_or(pass(jobs_[size_t(t)])), pass(jobs_[size_t(t)]));
    return low;
  }

  double quantum_;
  long long quantum_ns_;
  std::vector<job> jobs_;
  std::vector<thread_id> ready_, running_;
};

const bool registered = sched_registry::add({
    "stride",
    "deterministic proportional share: the lowest pass runs, pass += stride per quantum",
    {{"quantum", param_kind::duration, "s", 10e-3, 0, 3600, true,
      "the CPU a thread runs before the lowest pass is chosen again; a full quantum adds one "
      "stride to its pass",
      {}}},
    [](const param_values& p, const sched_context&) {
      return std::make_unique<stride_policy>(p.number("quantum"));
    },
    {tickets_decl()},
});

}  // namespace
}  // namespace gilsim
