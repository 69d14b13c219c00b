// stride: deterministic proportional share (OSTEP chapter 9, after Waldspurger's stride
// scheduling). A thread's stride is a large number (10000, the chapter's) over its `tickets`; its
// pass grows by its stride for every `quantum` of CPU it receives (in proportion for part of a
// quantum). The ready thread with the lowest pass runs, ties by thread order, for a quantum; a
// thread whose quantum ends while others wait goes back among them. So with 100, 50 and 250
// tickets (strides 100, 200 and 40) the chapter's schedule is A B C C C A C C ... A thread that
// arrives, or comes back from I/O, behind the others starts at the lowest pass among the threads
// ready or running, so that it cannot claim the CPU it did not ask for while away. Passes are
// whole numbers (the CPU in nanoseconds times 10000 over tickets and quantum), so that equal
// shares tie exactly. Each thread's pass is kept with it, and the ready and running threads in
// sets ordered by pass: a decision costs O(log N), not a scan of them all with a division each.
#include "models/sched/tickets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
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
      if (auto low = lowest_pass(); low && j.pass < *low) {
        j.offset += *low - j.pass;
        j.pass = pass(j);
      }
    j.ready = true;
    ready_.emplace(j.pass, t);
  }
  // Passes are read when a core is free, so a charge that comes after a thread queued counts
  // (on_ran moves it in the order).
  thread_id pick_next(int, double) override
  {
    if (ready_.empty())
      return no_thread;
    thread_id t = ready_.begin()->second;  // the lowest pass, ties by thread order
    ready_.erase(ready_.begin());
    jobs_[size_t(t)].ready = false;
    return t;
  }
  size_t ready_count() const override { return ready_.size(); }
  void on_run(thread_id t, double) override
  {
    job& j = jobs_.at(size_t(t));
    j.running = true;
    running_.emplace(j.pass, t);
  }
  void on_stop(thread_id t, double) override
  {
    job& j = jobs_.at(size_t(t));
    running_.erase({j.pass, t});
    j.running = false;
  }
  void on_ran(thread_id t, double cpu_s) override
  {
    job& j = jobs_.at(size_t(t));
    if (j.ready)
      ready_.erase({j.pass, t});
    if (j.running)
      running_.erase({j.pass, t});
    j.cpu_ns += std::llround(cpu_s * 1e9);
    j.pass = pass(j);
    if (j.ready)
      ready_.emplace(j.pass, t);
    if (j.running)
      running_.emplace(j.pass, t);
  }
  double slice(thread_id) const override { return quantum_; }

private:
  struct job {
    long tickets = 100;
    long long cpu_ns = 0;  // CPU received
    long long offset = 0;  // pass added when it joined behind the others
    long long pass = 0;    // pass(*this), kept up to date
    bool ready = false, running = false;
  };
  long long pass(const job& j) const
  {
    return j.offset + (long long)(__int128(j.cpu_ns) * big / (__int128(quantum_ns_) * j.tickets));
  }
  // The lowest pass among the threads ready or running, if any.
  std::optional<long long> lowest_pass() const
  {
    std::optional<long long> low;
    if (!ready_.empty())
      low = ready_.begin()->first;
    if (!running_.empty())
      low = std::min(low.value_or(running_.begin()->first), running_.begin()->first);
    return low;
  }

  double quantum_;
  long long quantum_ns_;
  std::vector<job> jobs_;
  // The threads ready and those running, each by (pass, thread): the first is the lowest.
  std::set<std::pair<long long, thread_id>> ready_, running_;
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
