// lottery: proportional share by lottery (OSTEP chapter 9, the homework's lottery.py). Every
// time a core is free, a ticket is drawn among the ready threads' tickets (a thread's `tickets`,
// 100 by default) and its holder runs for a `quantum`; a thread whose quantum ends while others
// wait goes back into the draw. The ready threads' tickets are laid end to end in thread order
// and the winning ticket is the draw modulo their sum, as lottery.py counts them. Over a long run
// each thread's CPU share tends to its ticket share. The draws come from a mt19937_64 of their
// own, seeded from the scenario's seed, so the same seed gives the same schedule.
#include "models/sched/tickets.hpp"

#include <cstdint>
#include <map>
#include <random>
#include <set>

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
    tickets_[t.id] = std::uint64_t(t.attributes.number("tickets"));
  }
  void on_ready(thread_id t, ready_reason, double) override
  {
    ready_.insert(t);
    total_ += tickets_.at(t);
  }
  thread_id pick_next(int, double) override
  {
    if (ready_.empty())
      return no_thread;
    std::uint64_t winner = rng_() % total_;
    auto it = ready_.begin();
    for (std::uint64_t counted = tickets_.at(*it); counted <= winner; counted += tickets_.at(*it))
      ++it;
    thread_id t = *it;
    ready_.erase(it);
    total_ -= tickets_.at(t);
    return t;
  }
  size_t ready_count() const override { return ready_.size(); }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id, double) override {}
  double slice(thread_id) const override { return quantum_; }

private:
  double quantum_;
  std::mt19937_64 rng_;
  std::map<thread_id, std::uint64_t> tickets_;
  std::set<thread_id> ready_;  // in thread order, as the draw counts them
  std::uint64_t total_ = 0;    // the ready threads' tickets
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
