// mlfq: the multi-level feedback queue of OSTEP chapter 8, with the rules of its homework
// simulator (cpu-sched-mlfq/mlfq.py). `levels` queues, level 0 on top; the first thread of the
// highest non-empty queue runs, and a thread that becomes ready above a running one takes its
// core at once. A thread has `quantum` of CPU per turn and `allotment` turns at a level; when
// its allotment is used it moves one level down (the bottom level keeps it), and when a turn
// ends while others of its level wait it goes to the back of its queue. What is left of a turn
// is kept across preemptions (a preempted thread goes back to the front of its queue) and
// across I/O. Every `boost` (0: never) every thread goes back to the top with a fresh turn
// and allotment, the lower queues' ready threads behind the top one's, bottom level first.
// io_keeps_level (the homework's -S): a thread back from I/O gets a fresh turn and allotment
// at its level, so a thread that blocks just before its turn ends stays on top for ever.
// io_to_front (-I): a thread back from I/O goes to the front of its queue instead of the back.
// At one instant a turn's end and a job's arrival count before the I/O completions of that
// instant (the homework ends a turn at the end of a tick, and lets the tick's jobs begin, before
// it takes the tick's completions).
#include "models/sched/ready_queue.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

namespace gilsim {
namespace {

using ns = std::int64_t;
ns to_ns(double s) { return std::llround(s * 1e9); }

class mlfq_policy final : public sched_policy {
public:
  explicit mlfq_policy(const param_values& p)
      : levels_(int(p.number("levels")))
      , quantum_(to_ns(p.number("quantum")))
      , allotment_(long(p.number("allotment")))
      , boost_(to_ns(p.number("boost")))
      , io_keeps_level_(p.flag("io_keeps_level"))
      , io_to_front_(p.flag("io_to_front"))
      , queues_(size_t(levels_))
  {
  }

  void add_thread(const sched_thread& t) override
  {
    if (jobs_.size() <= size_t(t.id))
      jobs_.resize(size_t(t.id) + 1);
    fresh_turn(jobs_[size_t(t.id)], 0);
  }
  void on_ready(thread_id t, ready_reason why, double now) override
  {
    job& j = jobs_.at(size_t(t));
    auto& q = queues_[size_t(j.level)];
    j.woke_at = why == ready_reason::wakeup ? to_ns(now) : -1;
    if (why == ready_reason::wakeup && io_keeps_level_)
      fresh_turn(j, j.level);
    if (why == ready_reason::preempted || (why == ready_reason::wakeup && io_to_front_)) {
      q.push_front(t);
    } else if (why == ready_reason::slice_end || why == ready_reason::arrival) {
      // Ahead of the threads of its level that woke at this same instant: the homework ends a
      // turn, and lets jobs begin, before it takes the I/O completions of that tick.
      auto at = q.end();
      while (at != q.begin() && jobs_[size_t(*std::prev(at))].woke_at == to_ns(now))
        --at;
      q.insert(at, t);
    } else {
      q.push_back(t);
    }
    ++ready_;
  }
  thread_id pick_next(int, double) override
  {
    for (auto& q : queues_) {
      if (q.empty())
        continue;
      thread_id t = q.front();
      q.pop_front();
      --ready_;
      return t;
    }
    return no_thread;
  }
  size_t ready_count() const override { return ready_; }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  // Turns end as the CPU is charged; a thread that ran alone may have used several.
  void on_ran(thread_id t, double cpu_s) override
  {
    job& j = jobs_.at(size_t(t));
    j.turn_left -= to_ns(cpu_s);
    while (j.turn_left <= 0) {
      ns over = -j.turn_left;
      if (--j.allot_left > 0)
        j.turn_left = quantum_;
      else
        fresh_turn(j, std::min(j.level + 1, levels_ - 1));
      j.turn_left -= over;
    }
  }
  double slice(thread_id t) const override { return double(jobs_.at(size_t(t)).turn_left) / 1e9; }
  bool slice_is_left() const override { return true; }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override
  {
    int best = top_ready();
    thread_id victim = no_thread;
    for (thread_id r : running)
      if (level(r) > best && (victim == no_thread || level(r) > level(victim)))
        victim = r;
    return victim;
  }

  bool uses_timer() const override { return boost_ > 0; }
  double next_timer(double now) const override
  {
    return boost_ > 0 ? double((to_ns(now) / boost_ + 1) * boost_) / 1e9 : unlimited;
  }
  void on_timer(double now) override
  {
    // The top queue keeps its order; the lower ones follow, bottom first; threads that woke at
    // this instant come last, as they would after a boost at the start of the tick.
    std::deque<thread_id> top, woke;
    auto take = [&](std::deque<thread_id>& q) {
      for (thread_id t : q)
        (jobs_[size_t(t)].woke_at == to_ns(now) ? woke : top).push_back(t);
      q.clear();
    };
    take(queues_[0]);
    for (int l = levels_ - 1; l > 0; --l)
      take(queues_[size_t(l)]);
    top.insert(top.end(), woke.begin(), woke.end());
    queues_[0] = std::move(top);
    for (job& j : jobs_)
      fresh_turn(j, 0);
  }

private:
  struct job {
    int level = 0;
    ns turn_left = 0;    // CPU left in its current turn
    long allot_left = 0;  // turns left at its level, the current one included
    ns woke_at = -1;      // when it last came back from I/O (-1: it did not)
  };
  void fresh_turn(job& j, int level) const
  {
    j.level = level;
    j.turn_left = quantum_;
    j.allot_left = allotment_;
  }
  int level(thread_id t) const { return jobs_.at(size_t(t)).level; }
  int top_ready() const
  {
    for (int l = 0; l < levels_; ++l)
      if (!queues_[size_t(l)].empty())
        return l;
    return levels_;
  }

  int levels_;
  ns quantum_;
  long allotment_;
  ns boost_;
  bool io_keeps_level_, io_to_front_;
  std::vector<std::deque<thread_id>> queues_;
  std::vector<job> jobs_;
  size_t ready_ = 0;
};

const bool registered = sched_registry::add({
    "mlfq",
    "multi-level feedback queue: turns per level, demotion, priority boost (OSTEP's mlfq.py)",
    {
        {"levels", param_kind::integer, "", 3, 1, 64, false, "the number of queues", {}},
        {"quantum", param_kind::duration, "s", 10e-3, 0, 3600, true,
         "the CPU a thread may use per turn, at every level", {}},
        {"allotment", param_kind::integer, "turns", 1, 1, 1e9, false,
         "turns a thread may use at a level before it moves one level down", {}},
        {"boost", param_kind::duration, "s", 0, 0, 1e9, false,
         "every so often all threads go back to the top level (0: never)", {}},
        {"io_keeps_level", param_kind::boolean, "", 0, 0, 1, false,
         "a thread back from I/O gets a fresh turn and allotment at its level (homework -S)", {}},
        {"io_to_front", param_kind::boolean, "", 0, 0, 1, false,
         "a thread back from I/O goes to the front of its queue (homework -I)", {}},
    },
    [](const param_values& p, const sched_context&) { return std::make_unique<mlfq_policy>(p); },
});

}  // namespace
}  // namespace gilsim
