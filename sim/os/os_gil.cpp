// The OS's side of the GIL models (models/gil/): taking and releasing a process's GIL around
// CPU phases, drop-request checks, and the host the models act through.
#include "sim/os/os_core.hpp"

#include <cmath>

namespace gilsim {

gil_model* os_core::gil_of(const sim_thread& t) const
{
  return processes_[size_t(t.process)].gil.get();
}

// t is running (on a core, or on the shared host) and wants to run its phase: true once it may.
bool os_core::take_gil(sim_thread& t)
{
  if (!t.needs_gil) {
    t.io_done_at = -1;
    return true;
  }
  gil_model* g = gil_of(t);
  bool had = g->holds(t.id);
  gil_decisions& d = decisions();
  bool holds = g->want(t.id, d);
  apply(t.process, d);
  if (!holds)
    return false;  // the model has blocked it
  if (!had) {
    note_gil(t, true);
    ++t.gil_acquisitions;
    if (t.io_done_at >= 0)
      processes_[size_t(t.process)].convoy.push_back(to_seconds(now_ - t.io_done_at));
    t.io_done_at = -1;
  }
  return true;
}

void os_core::release_gil(sim_thread& t)
{
  t.gil_check_left = forever;
  if (gil_model* g = gil_of(t); g && g->holds(t.id)) {
    gil_decisions& d = decisions();
    g->release(t.id, d);
    apply(t.process, d);
    note_gil(t, false);
  }
}

// A pending eval-breaker check came due: the model says whether the holder drops the GIL.
bool os_core::gil_check_due(sim_thread& t)
{
  if (!t.checks_gil || t.gil_check_left > 0)
    return false;
  t.gil_check_left = forever;
  gil_decisions& d = decisions();
  bool dropped = gil_of(t)->on_check(t.id, d);
  apply(t.process, d);
  if (dropped) {
    for (auto* o : observers_)
      o->gil_forced(to_seconds(now_), t.process, t.id);
    note_gil(t, false);
  }
  return dropped;
}

// A timer of a thread waiting for the GIL: the end of its wake-up (a GIL's own timed waits go
// through the process timer).
void os_core::gil_timer(sim_thread& t)
{
  GILSIM_ASSERT(t.gil_waking, "a thread waiting for the GIL has a timer only while it wakes");
  gil_wake_done(t);
}

void os_core::gil_wake_done(sim_thread& t)
{
  end_block(t);  // still blocked, by nothing now: want_cpu() moves it on
  t.gil_waking = false;
  cpu_->want_cpu(t);
}

// The process's GIL timer came due (run_batch() has checked that its deadline is now).
void os_core::gil_timer_fired(int process)
{
  gil_decisions& d = decisions();
  processes_[size_t(process)].gil->on_timer(d);
  apply(process, d);
}

gil_decisions& os_core::decisions()
{
  if (decision_depth_ == decision_lists_.size())
    decision_lists_.emplace_back();  // a deque: the lists in use stay where they are
  gil_decisions& d = decision_lists_[decision_depth_++];
  d.clear();
  return d;
}

void os_core::apply(int process, const gil_decisions& decisions)
{
  GILSIM_ASSERT(decision_depth_ > 0 && &decisions == &decision_lists_[decision_depth_ - 1],
                "a GIL model's decisions are carried out in the order they were asked for");
  for (const gil_decision& d : decisions.list()) {
    switch (d.what) {
      case gil_decision::kind::block: block_for_gil(d.t); break;
      case gil_decision::kind::wake: wake(d.t); break;
      case gil_decision::kind::resume: resume(d.t); break;
      case gil_decision::kind::check:
        for (auto* o : observers_)
          o->gil_drop_requested(to_seconds(now_), process, d.t);
        request_check(d.t, d.value);
        break;
      case gil_decision::kind::timer: set_timer(process, d.value); break;
      case gil_decision::kind::rate: set_slowdown(d.t, d.value); break;
    }
  }
  --decision_depth_;
}

void os_core::block_for_gil(thread_id id)
{
  sim_thread& t = *threads_[size_t(id)];
  cpu_->leave(t);
  if (t.state != os_state::blocked || t.blocked_by != block_kind::gil)
    t.since = now_;
  t.state = os_state::blocked;
  t.blocked_by = block_kind::gil;
  t.gil_waking = false;
  note(t);
  ++t.order_gen;  // nothing to wait for but a wake(): any earlier answer is stale
}

void os_core::wake(thread_id id)
{
  sim_thread& t = *threads_[size_t(id)];
  GILSIM_ASSERT(t.state == os_state::blocked && t.blocked_by == block_kind::gil,
                "only a thread waiting for the GIL is woken for it");
  t.gil_waking = true;
  const ns_t latency = gil_wakeup_ns(t.process);
  if (latency > 0)
    give_order(t, {order_kind::sleep, shared_host, latency, class_release});
  else
    gil_wake_done(t);
}

// A signalled GIL waiter's wake-up: its interpreter's measured hand-off when it has one, else
// the machine's wake-up latency.
ns_t os_core::gil_wakeup_ns(int process) const
{
  const double handoff = sc_.processes[size_t(process)].python.gil_handoff;
  return handoff > 0 ? to_ns(handoff) : wakeup_latency_;
}

void os_core::request_check(thread_id id, double cpu_delay)
{
  sim_thread& t = *threads_[size_t(id)];
  ns_t delay = to_ns(cpu_delay);
  if (t.state == os_state::running && t.checks_gil)
    cpu_->check_after(t, delay);  // the work done so far is charged first
  else
    t.gil_check_left = delay;  // it checks when it next runs Python
}

void os_core::set_timer(int process, double at)
{
  set_os_timer(process, to_ns(at));
}

process_view::process_view(const os_core& os, std::uint64_t seed, int process)
    : os_(os), rng_(seed ^ (std::uint64_t(process) * 0x9E3779B97F4A7C15ULL))
{
}

double process_view::now() const { return to_seconds(os_.now_); }

bool process_view::running(thread_id t) const
{
  return os_.threads_[size_t(t)]->state == os_state::running;
}

void os_core::resume(thread_id id)
{
  sim_thread& t = *threads_[size_t(id)];
  GILSIM_ASSERT(t.state == os_state::blocked && t.blocked_by == block_kind::gil,
                "only a thread waiting for the GIL is resumed for it");
  gil_wake_done(t);
}

// The GIL model says the thread's Python runs `factor` times slower from now on (the old GIL's
// signalling while others wait): work done so far is charged at the old rate.
void os_core::set_slowdown(thread_id id, double factor)
{
  sim_thread& t = *threads_[size_t(id)];
  if (t.slowdown == factor)
    return;
  if (t.state != os_state::running || !t.exec_active) {
    t.slowdown = factor;
    return;
  }
  cpu_->change_rate(t, factor);
}

}  // namespace gilsim
