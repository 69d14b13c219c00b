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
  if (!g->want(t.id))
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
    g->release(t.id);
    note_gil(t, false);
  }
}

// A pending eval-breaker check came due: the model says whether the holder drops the GIL.
bool os_core::gil_check_due(sim_thread& t)
{
  if (!t.checks_gil || t.gil_check_left > 0)
    return false;
  t.gil_check_left = forever;
  bool dropped = gil_of(t)->on_check(t.id);
  if (dropped)
    note_gil(t, false);
  return dropped;
}

// A timer of a thread waiting for the GIL: the end of its wake-up, or of a timed wait.
void os_core::gil_timer(sim_thread& t)
{
  if (t.gil_waking)
    gil_wake_done(t);
  else
    gil_of(t)->on_timeout(t.id);
}

void os_core::gil_wake_done(sim_thread& t)
{
  end_block(t);  // still blocked, by nothing now: want_cpu() moves it on
  t.gil_waking = false;
  cpu_->want_cpu(t);
}

// The process timer came due (step() has checked that its deadline is now).
void os_core::gil_timer_fired(int process)
{
  processes_[size_t(process)].timer_deadline = forever;
  processes_[size_t(process)].gil->on_timer();
}

void os_core::block_for_gil(thread_id id, double timeout)
{
  sim_thread& t = *threads_[size_t(id)];
  cpu_->leave(t);
  if (t.state != os_state::blocked || t.blocked_by != block_kind::gil)
    t.since = now_;
  t.state = os_state::blocked;
  t.blocked_by = block_kind::gil;
  t.gil_waking = false;
  note(t);
  if (std::isfinite(timeout))
    give_order(t, {order_kind::sleep, shared_host, to_ns(timeout), class_timer});
  else
    ++t.order_gen;  // nothing to wait for but a wake(): any earlier answer is stale
}

void os_core::wake(thread_id id)
{
  sim_thread& t = *threads_[size_t(id)];
  GILSIM_ASSERT(t.state == os_state::blocked && t.blocked_by == block_kind::gil,
                "only a thread waiting for the GIL is woken for it");
  t.gil_waking = true;
  if (wakeup_latency_ > 0)
    give_order(t, {order_kind::sleep, shared_host, wakeup_latency_, class_release});
  else
    gil_wake_done(t);
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
  ns_t& deadline = processes_[size_t(process)].timer_deadline;
  ns_t when = to_ns(at);
  // An earlier deadline must cut the timer's wait short; a later one (or none) it finds itself
  // when it wakes for the old one.
  bool earlier = when < deadline;
  deadline = when;
  driver_.gil_timer(process, when, earlier);
}

bool os_core::running(thread_id id) const
{
  return threads_[size_t(id)]->state == os_state::running;
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

std::uint64_t os_core::draw(std::uint64_t n) { return n <= 1 ? 0 : rng_() % n; }

}  // namespace gilsim
