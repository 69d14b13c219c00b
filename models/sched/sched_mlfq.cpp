// mlfq: the multi-level feedback queue of OSTEP chapter 8, with the rules of its homework
// simulator (cpu-sched-mlfq/mlfq.py). `levels` queues, level 0 on top; the first thread of the
// highest non-empty queue runs, and a thread that becomes ready above a running one takes its
// core at once. A thread has `quantum` of CPU per turn and `allotment` turns at a level; when
// its allotment is used it moves one level down (the bottom level keeps it), and when a turn
// ends while others of its level wait it goes to the back of its queue. What is left of a turn
// is kept across preemptions (a preempted thread goes back to the front of its queue) and
// across I/O. At one instant a turn's end and a job's arrival count before the I/O completions
// of that instant (the homework ends a turn at the end of a tick, and lets the tick's jobs
// begin, before it takes the tick's completions).
//
// boost: every `boost` (0: never) every thread goes back to the top with a fresh turn and
// allotment. The top queue keeps its order and the lower queues follow it, bottom level first,
// each in its order, with a running thread at the head of its own level's queue (mlfq.py keeps
// the running job at its queue's head) or, when its turn ended at that instant, at the back;
// a running thread that is not first of the new top queue gives up its core.
// io_keeps_level (the homework's -S): a thread back from I/O gets a fresh turn and allotment
// at its level, so a thread that blocks just before its turn ends stays on top for ever; as in
// mlfq.py, a turn that ended as the I/O began still counts against the fresh allotment.
// io_to_front (-I): a thread back from I/O goes to the front of its queue instead of the back,
// ahead of a running thread of that level too, whose core it then takes.
#include "models/sched/ready_queue.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <iterator>
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
  void on_ready(thread_id t, ready_reason why, double now) override;
  thread_id pick_next(int, double now) override;
  size_t ready_count() const override { return ready_; }
  bool empty_pass_is_void() const override { return false; }  // pick_next notes the time
  void on_run(thread_id t, double now) override
  {
    now_ = to_ns(now);
    running_.push_back(t);
  }
  void on_stop(thread_id t, double now) override
  {
    now_ = to_ns(now);
    running_.erase(std::remove(running_.begin(), running_.end(), t), running_.end());
    jobs_.at(size_t(t)).boosted = false;
  }
  void on_ran(thread_id t, double cpu_s) override;
  double slice(thread_id t) const override { return double(jobs_.at(size_t(t)).turn_left) / 1e9; }
  bool slice_is_left() const override { return true; }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override;

  bool uses_timer() const override { return boost_ > 0; }
  double next_timer(double now) const override
  {
    return boost_ > 0 ? double((to_ns(now) / boost_ + 1) * boost_) / 1e9 : unlimited;
  }
  void on_timer(double now) override;

private:
  struct job {
    int level = 0;
    ns turn_left = 0;    // CPU left in its current turn
    long allot_left = 0;  // turns left at its level, the current one included
    ns woke_at = -1;      // when it last came back from I/O (-1: it did not)
    bool ended_exact = false;  // its last CPU ended exactly at the end of a turn ...
    int ended_level = 0;       // ... at this level
    bool boosted = false;  // running, but a boost put others ahead of it: it gives up its core
    ns boost_at = -1;      // the last boost ...
    long boost_rank = -1;  // ... and its place in the top queue that boost made
  };
  void fresh_turn(job& j, int level) const
  {
    j.level = level;
    j.turn_left = quantum_;
    j.allot_left = allotment_;
  }
  void keep_level(job& j) const;
  std::deque<thread_id> boosted_order();
  std::deque<thread_id>::iterator boost_place(thread_id t);
  int level(thread_id t) const { return jobs_.at(size_t(t)).level; }
  int top_ready() const
  {
    for (int l = 0; l < levels_; ++l)
      if (!queues_[size_t(l)].empty())
        return l;
    return levels_;
  }
  bool woke_to_front_now(int l) const
  {
    if (!io_to_front_ || l >= levels_ || queues_[size_t(l)].empty())
      return false;
    return jobs_[size_t(queues_[size_t(l)].front())].woke_at == now_;
  }

  int levels_;
  ns quantum_;
  long allotment_;
  ns boost_;
  bool io_keeps_level_, io_to_front_;
  std::vector<std::deque<thread_id>> queues_;
  std::vector<job> jobs_;
  std::vector<thread_id> running_;
  size_t ready_ = 0;
  ns now_ = 0;  // the instant of the latest call that told it
};

void mlfq_policy::on_ready(thread_id t, ready_reason why, double now)
{
  now_ = to_ns(now);
  job& j = jobs_.at(size_t(t));
  ++ready_;
  if (j.boost_at == now_ && why != ready_reason::wakeup) {  // it ran through a boost just now
    queues_[0].insert(boost_place(t), t);
    return;
  }
  j.woke_at = why == ready_reason::wakeup ? now_ : -1;
  if (why == ready_reason::wakeup && io_keeps_level_)
    keep_level(j);
  auto& q = queues_[size_t(j.level)];
  if (why == ready_reason::wakeup && io_to_front_) {
    q.push_front(t);
  } else if (why == ready_reason::preempted) {
    // Behind the threads back from I/O at this instant that took its place at the front (-I).
    auto at = q.begin();
    while (io_to_front_ && at != q.end() && jobs_[size_t(*at)].woke_at == now_)
      ++at;
    q.insert(at, t);
  } else if (!io_to_front_ &&
             (why == ready_reason::slice_end || why == ready_reason::arrival)) {
    // Ahead of the threads of its level that woke at this same instant: the homework ends a
    // turn, and lets jobs begin, before it takes the I/O completions of that tick.
    auto at = q.end();
    while (at != q.begin() && jobs_[size_t(*std::prev(at))].woke_at == now_)
      --at;
    q.insert(at, t);
  } else {
    q.push_back(t);
  }
}

thread_id mlfq_policy::pick_next(int, double now)
{
  now_ = to_ns(now);
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

// Turns end as the CPU is charged; a thread that ran alone may have used several.
void mlfq_policy::on_ran(thread_id t, double cpu_s)
{
  job& j = jobs_.at(size_t(t));
  ns cpu = to_ns(cpu_s);
  if (cpu <= 0)
    return;
  j.ended_exact = false;
  j.turn_left -= cpu;
  while (j.turn_left <= 0) {
    ns over = -j.turn_left;
    j.ended_level = j.level;
    if (--j.allot_left > 0)
      j.turn_left = quantum_;
    else
      fresh_turn(j, std::min(j.level + 1, levels_ - 1));
    j.turn_left -= over;
    j.ended_exact = over == 0;
  }
}

// -S: a fresh turn and allotment at its level. mlfq.py refreshes them as the I/O begins and then
// counts a turn that ended at that same tick, so such a turn is one of the fresh allotment's.
void mlfq_policy::keep_level(job& j) const
{
  if (!j.ended_exact) {
    fresh_turn(j, j.level);
    return;
  }
  j.ended_exact = false;
  if (allotment_ > 1) {
    fresh_turn(j, j.ended_level);
    j.allot_left = allotment_ - 1;
  } else {
    fresh_turn(j, std::min(j.ended_level + 1, levels_ - 1));
  }
}

thread_id mlfq_policy::preempt_victim(const std::vector<thread_id>& running) const
{
  for (thread_id r : running)
    if (jobs_[size_t(r)].boosted)
      return r;  // a boost put others ahead of it
  int best = top_ready();
  thread_id victim = no_thread;
  for (thread_id r : running) {
    bool below = level(r) > best;
    bool bumped = level(r) == best && woke_to_front_now(best);  // -I: ahead of it
    if ((below || bumped) && (victim == no_thread || level(r) > level(victim)))
      victim = r;
  }
  return victim;
}

// The top queue a boost makes, running threads included (mlfq.py holds a running job at the
// head of its level's queue, or at its back when its turn has just ended): the top queue in its
// order, then the lower ones, bottom first; threads that woke at this instant come last, as they
// would after a boost at the start of the tick (first under io_to_front).
std::deque<thread_id> mlfq_policy::boosted_order()
{
  std::vector<std::deque<thread_id>> qs = queues_;
  for (thread_id r : running_) {
    const job& j = jobs_[size_t(r)];
    auto& q = qs[size_t(j.level)];
    if (j.ended_exact && j.turn_left == quantum_)
      q.push_back(r);
    else
      q.push_front(r);
  }
  std::deque<thread_id> top, woke;
  auto take = [&](const std::deque<thread_id>& q) {
    for (thread_id t : q)
      (jobs_[size_t(t)].woke_at == now_ ? woke : top).push_back(t);
  };
  take(qs[0]);
  for (int l = levels_ - 1; l > 0; --l)
    take(qs[size_t(l)]);
  if (io_to_front_)  // mlfq.py boosts, then puts them at the front
    top.insert(top.begin(), woke.begin(), woke.end());
  else
    top.insert(top.end(), woke.begin(), woke.end());
  return top;
}

void mlfq_policy::on_timer(double now)
{
  now_ = to_ns(now);
  std::deque<thread_id> top = boosted_order();
  for (auto& q : queues_)
    q.clear();
  long rank = 0;
  for (thread_id t : top) {
    job& j = jobs_[size_t(t)];
    j.boost_at = now_;
    j.boost_rank = rank++;
    bool running = std::find(running_.begin(), running_.end(), t) != running_.end();
    if (!running)
      queues_[0].push_back(t);
    // A running thread that is not first gives up its core; so does the first one when its
    // turn has just ended (it queues again at its place, the head).
    else if (j.boost_rank > 0)
      j.boosted = true;
  }
  for (job& j : jobs_) {
    fresh_turn(j, 0);
    j.ended_exact = false;
  }
}

// Where a thread that ran through the boost of this instant goes: before the first thread of the
// top queue that the boost put behind it, or that came after the boost, but behind the threads
// back from I/O at this instant that went to the front (-I: mlfq.py boosts, then takes them).
std::deque<thread_id>::iterator mlfq_policy::boost_place(thread_id t)
{
  const job& j = jobs_[size_t(t)];
  auto& q = queues_[0];
  return std::find_if(q.begin(), q.end(), [&](thread_id o) {
    const job& k = jobs_[size_t(o)];
    if (io_to_front_ && k.woke_at == now_)
      return false;
    return k.boost_at != now_ || k.boost_rank > j.boost_rank;
  });
}

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
