// The CPU backend of dedicated cores: each core is a host of its own that runs one thread at a
// time. The policy picks who runs; slices, preemption and context switches are decided here.
#include "sim/os/core_cache.hpp"
#include "sim/os/core_state.hpp"
#include "sim/os/os_core.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace gilsim {

namespace {

class dedicated_cores final : public cpu_backend {
public:
  dedicated_cores(os_core& os, const machine_spec& m) : cpu_backend(os), tick_(to_ns(m.tick))
  {
    auto speeds = m.core_speeds();
    auto groups = m.core_groups();
    for (size_t c = 0; c < speeds.size(); ++c)
      cores_.push_back({int(c), speeds[c], groups[c]});
    if (m.cache.on) {
      std::vector<double> sets;
      for (const auto& p : os.sc_.processes)  // in thread id order
        for (const auto& t : p.threads)
          sets.push_back(t.working_set);
      caches_.assign(speeds.size(), core_cache(m.cache, sets, to_ns(m.tick)));
    }
    // Idle cores take threads fastest first, ties by id.
    for (const auto& c : cores_)
      by_speed_.push_back(c.id);
    std::stable_sort(by_speed_.begin(), by_speed_.end(),
                     [this](int a, int b) { return cores_[size_t(a)].speed > cores_[size_t(b)].speed; });
    occupancy_.init(by_speed_);
  }

  bool fluid() const override { return false; }

  void want_cpu(sim_thread& t) override
  {
    if (t.core >= 0) {
      // Still on its core from the previous phase: carry on in the same slice.
      if (os_.take_gil(t))
        issue_run(t);
      return;
    }
    os_.make_ready(t, t.ever_ran ? ready_reason::wakeup : ready_reason::arrival);
  }

  void run_done(sim_thread& t) override
  {
    t.exec_active = false;
    close_exec(t);
    if (os_.gil_check_due(t))
      return;
    if (t.exec_completes) {
      t.remaining = 0;
      os_.advance(t);
    } else if (os_.now_ >= t.slice_end) {
      slice_expired(t);
    } else {
      issue_run(t);  // it stopped for a GIL check that let it go on
    }
  }

  void check_after(sim_thread& t, ns_t delay) override
  {
    if (t.core >= 0 && !exec_due_now(t)) {
      account(t);
      t.gil_check_left = delay;
      if (t.exec_run - t.exec_accounted > delay) {
        interrupt(t);
        issue_run(t);
      }
      return;
    }
    t.gil_check_left = delay;
  }

  void change_rate(sim_thread& t, double factor) override
  {
    if (exec_due_now(t)) {
      t.slowdown = factor;  // its run ends now; the next one runs at the new rate
      return;
    }
    interrupt(t);
    t.slowdown = factor;
    issue_run(t);
  }

  // A thread running alone has no slice timer (no events are spent while nobody waits), but
  // its slice still ends at every multiple of the slice since its dispatch (of the machine's
  // clock, when slices are aligned). When such a boundary falls on this instant, it takes its
  // place in the batch as a class-3 event.
  void add_ticks(std::vector<event>& batch) override
  {
    std::uint64_t seq = 0;
    for (const event& e : batch)
      seq = std::max(seq, e.seq + 1);
    occupancy_.each_busy([&](int id) {
      if (thread_id t = cores_[size_t(id)].current; boundary_from(thread(t), os_.now_) == os_.now_)
        batch.push_back({class_slice, t, seq++, event_kind::tick, 0});
    });
  }
  ns_t next_tick(ns_t from) const override
  {
    ns_t first = forever;
    occupancy_.each_busy([&](int id) {
      first = std::min(first, boundary_from(thread(cores_[size_t(id)].current), from));
    });
    return first;
  }

  // A thread that ran alone reaches a slice boundary now; if somebody waits by now (an I/O
  // completion or a release of this same instant), its slice ends here like any other.
  void tick(sim_thread& t) override
  {
    if (t.state == os_state::running && t.slice_end == forever &&
        os_.policy_->waits_for(t.core)) {
      interrupt(t);
      slice_expired(t);
    }
  }

  void decide() override;
  void charge_running() override
  {
    occupancy_.each_busy([this](int id) { account(thread(cores_[size_t(id)].current)); });
  }

  void leave(sim_thread& t) override
  {
    if (t.core < 0)
      return;
    cores_[size_t(t.core)].current = no_thread;
    occupancy_.idle(t.core);
    candidates_.moved(t.id, t.core);
    t.core = -1;
    os_.policy_->on_stop(t.id, to_seconds(os_.now_));
  }

  double walk_speed(const sim_thread& t) const override
  {
    return caches_.empty() && tick_ == 0 ? cores_[size_t(t.core)].speed : 0;
  }
  void walked(const sim_thread& t, ns_t d) override { cores_[size_t(t.core)].busy += d; }
  std::vector<core_report> core_figures(ns_t makespan) const override
  {
    std::vector<core_report> out;
    for (const auto& c : cores_) {
      const double busy = to_seconds(c.busy);
      out.push_back({c.id, busy, makespan > 0 ? busy / to_seconds(makespan) : 0, c.switches,
                     c.group, c.speed,
                     caches_.empty() ? std::nullopt : std::optional(to_seconds(c.warm))});
    }
    return out;
  }

private:
  sim_thread& thread(thread_id id) const { return *os_.threads_[size_t(id)]; }
  // The policy's slice for t, in the OS's time (forever: none).
  ns_t slice(const sim_thread& t) const { return to_ns(os_.policy_->slice(t.id)); }
  // The first of t's slice boundaries as add_ticks finds them, from `from` on (forever: none).
  ns_t boundary_from(const sim_thread& t, ns_t from) const
  {
    if (os_.policy_->slice_is_left() || t.slice_end != forever)
      return forever;  // its quantum's end is the policy's to find when it charges its CPU
    const ns_t s = slice(t);
    if (s == forever || s <= 0)
      return forever;
    const ns_t origin = os_.policy_->slices_aligned() ? 0 : t.run_start;
    const ns_t k = (std::max(from, t.run_start + 1) - origin + s - 1) / s;  // after its dispatch
    return k > (forever - origin) / s ? forever : origin + k * s;
  }
  // The speed t works at in its current run: its core's, times the cache's when it is warm.
  double run_speed(const sim_thread& t) const
  {
    double s = cores_[size_t(t.core)].speed;
    return t.exec_warm ? s * caches_[size_t(t.core)].speedup() : s;
  }
  void decide_steps();
  void dispatch(sim_thread& t, core_state& c);
  void issue_run(sim_thread& t);
  void give_run(sim_thread& t, ns_t duration, int cls);
  void take_back(sim_thread& t);
  void give_planned();
  void account(sim_thread& t);
  void close_exec(sim_thread& t)
  {
    account(t);
    cores_[size_t(t.core)].busy += os_.now_ - t.exec_start;
  }
  void slice_expired(sim_thread& t);
  ns_t exec_end(const sim_thread& t) const { return t.exec_start + t.exec_overhead + t.exec_run; }
  bool exec_due_now(const sim_thread& t) const { return exec_end(t) <= os_.now_; }
  void interrupt(sim_thread& t);
  void arm_slices();
  void arm_slices_left();

  std::vector<core_state> cores_;
  std::vector<int> by_speed_;  // core ids, fastest first, ties by id
  std::vector<int> idle_;      // the idle ones at a dispatch pass (kept to spare allocations)
  core_occupancy occupancy_;
  pass_candidates candidates_;
  std::vector<core_cache> caches_;  // by core, when the machine has a cache
  ns_t tick_;                       // machine.tick (0: continuous time)
  // The runs planned within decide, by thread id (give_run), and the threads that have one.
  struct plan {
    order o;
    std::uint64_t gen = 0;  // the thread's order_gen when planned
    bool live = false, listed = false;
  };
  bool deciding_ = false;
  std::vector<plan> plans_;
  std::vector<thread_id> planned_;
};

void dedicated_cores::dispatch(sim_thread& t, core_state& c)
{
  GILSIM_ASSERT(c.current == no_thread, "a core runs one thread at a time");
  ns_t now = os_.now_;
  t.ready_wait += now - t.since;
  t.state = os_state::running;
  t.core = c.id;
  if (!t.ever_ran)
    t.first_run = now;
  t.ever_ran = true;
  c.current = t.id;
  occupancy_.busy(c.id);
  candidates_.moved(t.id, c.id);
  os_.note(t);
  os_.policy_->on_dispatch(t.id, c.id);
  if (!caches_.empty())
    caches_[size_t(c.id)].dispatched(t.id);
  os_.policy_->on_run(t.id, to_seconds(now));
  t.pending_overhead = 0;
  // A thread that wakes for the GIL tests it first thing; if it is taken it waits again at once
  // (no switch is charged for that instant on the core).
  if (!os_.take_gil(t))
    return;
  if (c.last != no_thread && c.last != t.id) {
    t.pending_overhead = os_.context_switch_;
    ++t.context_switches;
    ++c.switches;
    for (auto* o : os_.observers_)
      o->context_switched(to_seconds(now), c.id, c.last, t.id);
  }
  c.last = t.id;
  t.run_start = now + t.pending_overhead;
  t.slice_end = forever;
  issue_run(t);
}

// Orders t to work on its core until its phase ends or its slice does.
void dedicated_cores::issue_run(sim_thread& t)
{
  ns_t now = os_.now_;
  t.exec_warm = !caches_.empty() && caches_[size_t(t.core)].warm(t.id);
  ns_t work = round_ns(t.remaining * t.slowdown / run_speed(t));
  ns_t start = now + t.pending_overhead;
  ns_t budget = t.slice_end == forever ? forever : t.slice_end - start;
  if (budget <= 0) {
    // The slice ran out exactly as a phase ended: the same decision as a slice expiry.
    slice_expired(t);
    return;
  }
  ns_t run = std::min(work, budget);
  if (t.checks_gil)
    run = std::min(run, t.gil_check_left);
  if (!caches_.empty())  // it runs cold until it is warm here: then at the warm speed
    if (ns_t left = caches_[size_t(t.core)].warming_left(t.id); left > 0)
      run = std::min(run, left);
  bool completes = run >= work;
  if (completes && tick_ > 0) {
    // Whole ticks: the phase keeps its core to the end of the tick it ends in (a phase of no
    // work uses one tick), within its slice.
    ns_t padded = (start + std::max(run, ns_t(1)) + tick_ - 1) / tick_ * tick_;
    run = std::min(padded - start, budget);
  }
  const int cls = completes || run < budget ? class_release : class_slice;
  t.start_run(now, t.pending_overhead, run, completes, cls);
  candidates_.moved(t.id, t.core);
  give_run(t, t.exec_overhead + run, cls);
}

// Within decide, a run is only planned: a thread dispatched while others wait has its first run
// cut by its slice at once, and a preempted one never starts, so the driver is given each
// thread's last run of the step, once, when decide ends (nothing reads the orders before then).
void dedicated_cores::give_run(sim_thread& t, ns_t duration, int cls)
{
  if (!deciding_) {
    order o{order_kind::run, t.core, duration, cls};
    o.until = exec_end(t);
    os_.give_order(t, o);
    return;
  }
  if (plans_.size() <= size_t(t.id))
    plans_.resize(size_t(t.id) + 1);
  plan& p = plans_[size_t(t.id)];
  if (!std::exchange(p.listed, true))
    planned_.push_back(t.id);
  p.live = true;
  p.gen = t.order_gen;
  // Field by field, in place (a whole order built aside and copied here stalls on its stores).
  p.o.kind = order_kind::run, p.o.core = t.core, p.o.duration = duration, p.o.post_class = cls;
  p.o.until = exec_end(t);
}

// Takes back t's run: a planned one is dropped; one given is withdrawn from the driver.
void dedicated_cores::take_back(sim_thread& t)
{
  if (deciding_ && size_t(t.id) < plans_.size() && plans_[size_t(t.id)].live) {
    plans_[size_t(t.id)].live = false;
    t.exec_active = false;
    return;
  }
  os_.take_back_run(t);
}

// The end of decide: every thread's planned run is given, unless the thread was given another
// order since (which replaces it, as it would have replaced the run).
void dedicated_cores::give_planned()
{
  for (thread_id id : planned_) {
    plan& p = plans_[size_t(id)];
    p.listed = false;
    sim_thread& t = thread(id);
    if (p.live && p.gen == t.order_gen)
      os_.give_order(t, p.o);
    p.live = false;
  }
  planned_.clear();
}

// Charges the work t has done in its current run so far (CPU time, policy accounting).
void dedicated_cores::account(sim_thread& t)
{
  ns_t elapsed = os_.now_ - t.exec_start;
  ns_t run = std::clamp(elapsed - t.exec_overhead, ns_t(0), t.exec_run);
  ns_t delta = run - t.exec_accounted;
  if (delta > 0) {
    t.ran(delta, run_speed(t));
    os_.policy_->on_ran(t.id, to_seconds(delta));
    t.exec_accounted = run;
    if (!caches_.empty()) {
      if (t.exec_warm && caches_[size_t(t.core)].speedup() > 1)  // warm and faster
        cores_[size_t(t.core)].warm += delta;
      caches_[size_t(t.core)].ran(t.id, delta);
    }
  }
}

// t's slice is over. It goes on if nobody waits; otherwise it queues again behind the others.
void dedicated_cores::slice_expired(sim_thread& t)
{
  if (!os_.policy_->waits_for(t.core)) {
    t.run_start = os_.now_;
    t.slice_end = forever;
    issue_run(t);
    return;
  }
  leave(t);
  os_.make_ready(t, ready_reason::slice_end);
}

// Takes t off its core at once: the work done so far is kept, the rest stays to do.
void dedicated_cores::interrupt(sim_thread& t)
{
  close_exec(t);
  // The part of a context switch not yet paid is still owed when it runs again here.
  t.pending_overhead = std::max(ns_t(0), t.exec_overhead - (os_.now_ - t.exec_start));
  take_back(t);
}

// Dispatch idle cores, preempt where the policy says so, and arm slice timers: the last step
// of every batch (class 5 of the documented order).
void dedicated_cores::decide()
{
  deciding_ = true;
  candidates_.reset();
  decide_steps();
  candidates_.reset();
  deciding_ = false;
  give_planned();
}

void dedicated_cores::decide_steps()
{
  auto& policy = *os_.policy_;
  policy.before_dispatch(to_seconds(os_.now_));
  for (;;) {
    // A dispatched thread may leave its core at once (it found the GIL taken): pick again
    // until no idle core finds a ready thread.
    // A pass with nobody ready changes nothing where the policy says so: none is made then.
    const bool void_pass = policy.empty_pass_is_void();
    for (bool dispatched = policy.ready_count() > 0 || !void_pass; dispatched;) {
      dispatched = false;
      occupancy_.list_idle(idle_);
      policy.order_idle_cores(idle_);
      for (int id : idle_) {
        if (void_pass && policy.ready_count() == 0)
          break;
        core_state& c = cores_[size_t(id)];
        if (c.current != no_thread)
          continue;
        thread_id t = policy.pick_next(c.id, to_seconds(os_.now_));
        if (t == no_thread)
          continue;  // with queues per core or affinity, another idle core may find one
        dispatch(thread(t), c);
        dispatched = policy.ready_count() > 0 || !void_pass;
      }
    }
    if (policy.ready_count() == 0 && !policy.slices_aligned())
      return;  // no slice timers while nobody waits, unless a tick ends every quantum
    // Preemption: charge running threads' CPU first so the policy compares fresh figures (at
    // a decision's later passes, only the threads moved since: sim/os/core_state.hpp).
    auto each_running = [this](auto f) {
      occupancy_.each_busy([&](int id) { f(cores_[size_t(id)].current, id); });
    };
    auto charge = [this](thread_id id) {
      account(thread(id));
      return !exec_due_now(thread(id));
    };
    thread_id victim = policy.preempt_victim(
        candidates_.pass(each_running, [this](thread_id t) { return thread(t).core; }, charge));
    if (victim != no_thread) {
      sim_thread& v = thread(victim);
      interrupt(v);
      leave(v);
      os_.make_ready(v, ready_reason::preempted);
      continue;  // the freed core picks again
    }
    arm_slices();
    return;
  }
}

// Threads waited for: every running thread without a slice end gets one. Its quantum counts
// from its dispatch and is re-armed every slice while it ran alone.
void dedicated_cores::arm_slices()
{
  if (os_.policy_->slice_is_left()) {
    arm_slices_left();
    return;
  }
  for (auto& c : cores_) {
    if (c.current == no_thread)
      continue;
    sim_thread& t = thread(c.current);
    if (t.slice_end != forever)
      continue;
    ns_t s = slice(t);
    if (s == forever || s <= 0)
      continue;
    ns_t origin = os_.policy_->slices_aligned() ? 0 : t.run_start;
    ns_t passed = std::max(ns_t(0), os_.now_ - origin);
    t.slice_end = origin + (passed / s + 1) * s;
    if (exec_due_now(t))
      continue;  // its run ends now; the slice is applied when it asks for more
    if (exec_end(t) <= t.slice_end)
      continue;  // the current run ends within the slice anyway
    interrupt(t);
    issue_run(t);
  }
}

// A policy whose slice is what is left of the quantum (its CPU just charged, in decide): every
// running thread's slice ends that long from now, or from the end of its context switch; a run
// that the new end cuts, or that an old end cut short, is given again.
void dedicated_cores::arm_slices_left()
{
  for (auto& c : cores_) {
    if (c.current == no_thread)
      continue;
    sim_thread& t = thread(c.current);
    ns_t s = slice(t);
    ns_t end = s == forever ? forever : std::max(os_.now_, t.run_start) + s;
    if (end == t.slice_end)
      continue;
    ns_t old_end = t.slice_end;
    t.slice_end = end;
    if (exec_due_now(t))
      continue;  // its run ends now; the slice is applied when it asks for more
    if (exec_end(t) <= end && exec_end(t) < old_end)
      continue;  // its run ends within the new slice and was not cut by the old one
    interrupt(t);
    issue_run(t);
  }
}

}  // namespace

std::unique_ptr<cpu_backend> make_dedicated_cores(os_core& os, const machine_spec& machine)
{
  return std::make_unique<dedicated_cores>(os, machine);
}

}  // namespace gilsim
