// lottery: proportional share by lottery (OSTEP chapter 9, the homework's lottery.py). Every
// time a core is free, a ticket is drawn among the ready threads' tickets (a thread's `tickets`,
// 100 by default) and its holder runs for a `quantum`; a thread whose quantum ends while others
// wait goes back into the draw. The ready threads' tickets are laid end to end in thread order
// and the winning ticket is the draw modulo their sum, as lottery.py counts them. Over a long run
// each thread's CPU share tends to its ticket share. The draws come from a mt19937_64 of their
// own, seeded from the scenario's seed, so the same seed gives the same schedule. The ready
// tickets are summed in a Fenwick tree, so a draw costs O(log N) however many threads wait.
#include "models/core/fenwick.hpp"
#include "models/sched/tickets.hpp"

#include <cstdint>
#include <random>
#include <vector>

namespace gilsim {
namespace {

class lottery_policy final : public sched_policy {
public:
  lottery_policy(double quantum, std::uint64_t seed)
      : quantum_(quantum), rng_(seed ^ 0x6C6F7474657279ULL)  // "lottery": not the GIL's streams
  {
  }

  void add_thread(const sched_thread& t) override
  {
    if (tickets_.size() <= size_t(t.id)) {
      tickets_.resize(size_t(t.id) + 1, 0);
      ready_.resize(tickets_.size(), false);
      // The tree's shape depends on its size: build it again from the ready threads.
      std::vector<std::uint64_t> counts(tickets_.size(), 0);
      for (size_t id = 0; id < ready_.size(); ++id)
        if (ready_[id])
          counts[id] = tickets_[id];
      sums_.build(counts);
    }
    tickets_[size_t(t.id)] = std::uint64_t(t.attributes.number("tickets"));
  }
  void on_ready(thread_id t, ready_reason, double) override
  {
    if (ready_.at(size_t(t)))
      return;
    ready_[size_t(t)] = true;
    ++count_;
    total_ += tickets_[size_t(t)];
    sums_.add(size_t(t), tickets_[size_t(t)]);
  }
  thread_id pick_next(int, double) override
  {
    if (count_ == 0)
      return no_thread;
    // The winner among the ready threads' tickets laid end to end in thread order.
    size_t t = sums_.find(rng_() % total_);
    ready_[t] = false;
    --count_;
    total_ -= tickets_[t];
    sums_.sub(t, tickets_[t]);
    return thread_id(t);
  }
  size_t ready_count() const override { return count_; }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id, double) override {}
  double slice(thread_id) const override { return quantum_; }

private:
  double quantum_;
  std::mt19937_64 rng_;
  std::vector<std::uint64_t> tickets_;  // by thread
  std::vector<bool> ready_;             // by thread
  fenwick<std::uint64_t> sums_;         // the ready threads' tickets, by thread
  size_t count_ = 0;                    // the ready threads
  std::uint64_t total_ = 0;             // their tickets
};

const bool registered = sched_registry::add({
    "lottery",
    "proportional share by lottery: a ticket drawn every quantum (OSTEP's lottery.py)",
    {{"quantum", param_kind::duration, "s", 10e-3, 0, 3600, true,
      "the CPU a winner runs before the next draw", {}}},
    [](const param_values& p, const sched_context& ctx) {
      return std::make_unique<lottery_policy>(p.number("quantum"), ctx.seed);
    },
    {tickets_decl()},
});

}  // namespace
}  // namespace gilsim
