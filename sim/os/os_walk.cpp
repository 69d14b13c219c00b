// A run alone's walk: a thread that holds its GIL (or needs none) and goes from one CPU step to
// the next of the same block (the items of a work queue, the passes of a repeat) in a world
// where nothing else can happen before the look-ahead's limit. Each of its run ends is then the
// same few lines: the run's charge, the next step's work, the next run. The walk takes them one
// after another without what run_batch and quiet_step spend on a step that can change nothing
// but this thread (the batch, the dispatch pass with nobody ready, the deadlock test, an order
// to the driver per run): the same steps in the same order, each counted as an event, with the
// same arithmetic, so reports are byte-identical to the step-by-step path's. The driver is
// given the run in progress once, when the walk stops.
//
// A walk stops before a run end that is not such a step (the block's end, a step of another
// kind or mode, a slice boundary at that instant), before the limit, before the bound on
// events, and every 1024 events, where a whole step reads the wall-time bound (quiet_step's
// rule); the run_alone loop takes that step as before.
#include "sim/os/os_core.hpp"

namespace gilsim {

namespace {

// Nothing in a dispatch pass, the GIL or a check can act on t's next run end: its run ends its
// phase with no switch time, no drop request is pending, and no slice is armed.
bool walkable(const sim_thread& t, const gil_model* g)
{
  if (!t.exec_active || !t.exec_completes || t.exec_overhead != 0 || t.exec_accounted != 0)
    return false;
  if (t.pending_overhead != 0 || t.slice_end != forever || t.exec_class != class_release)
    return false;
  if (t.checks_gil && t.gil_check_left != forever)
    return false;
  if (g && !t.needs_gil && g->holds(t.id))
    return false;  // its next step would release the GIL
  return !t.needs_gil || g->holds(t.id);
}

}  // namespace

// True when it took at least one run end (and gave the driver the run in progress).
bool os_core::walk_runs(sim_thread& t, ns_t limit)
{
  const gil_model* g = gil_of(t);
  if (t.core < 0 || policy_->ready_count() != 0 || !policy_->empty_pass_is_void() ||
      policy_->slices_aligned() || !walkable(t, g))
    return false;
  const double speed = cpu_->walk_speed(t);
  if (!(speed > 0))
    return false;
  // A take never waits here: no queue's items arrive over time (the quiet world's rule).
  auto more = [this](const std::string& name) {
    const queue_state& q = queue_named(name);
    return q.next <= q.spec->last;
  };
  auto take = [&](const std::string& name) { return take_chunk(t, name); };
  auto done = [this](const std::string& name, const chunk_range& c) { chunk_finished(name, c); };
  std::uint64_t taken = 0;
  ns_t tick = cpu_->next_tick(now_);  // no one's slice changes while t walks
  for (;;) {
    const ns_t at = t.exec_start + t.exec_run;
    if (!(at < limit) || events_ >= limits_.max_events || (events_ & 1023) == 0)
      break;
    const step* next = t.cursor.peek_in_block(more);
    if (!next || next->mode != t.mode)
      break;
    if (at >= tick && (tick = cpu_->next_tick(at)) == at)
      break;  // a slice boundary falls here: a step of its own
    now_ = at;
    ++events_;
    // The run's end (run_done): its charge, as account and close_exec make it.
    const ns_t d = t.exec_run;
    t.exec_active = false;
    if (d > 0) {
      t.ran(d, speed);
      policy_->on_ran(t.id, to_seconds(d));
    }
    cpu_->walked(t, d);
    t.remaining = 0;
    // The next step (advance), in the same mode, so with the same need of the GIL, which t
    // holds; then its run (issue_run), whole, as no slice or check can cut it.
    const step& s = t.cursor.step_in_block(take, done);
    t.remaining = work_ns(t, s, step_seconds(s));
    if (!t.needs_gil)
      t.io_done_at = -1;
    t.start_run(now_, 0, round_ns(t.remaining * t.slowdown / speed), true, class_release);
    ++taken;
  }
  if (taken == 0)
    return false;
  order o{order_kind::run, t.core, t.exec_run, class_release};
  o.until = t.exec_start + t.exec_run;
  give_order(t, o);
  return true;
}

}  // namespace gilsim
