// The kernel: the only place that knows both the models and SimGrid. Thread actors post what
// happened to them (work done, timer fired); the kernel actor handles a batch of same-time posts
// in the documented order, walks programs, asks the policy and lock models, and hands out orders.
#include "sim/os/kernel.hpp"

#include "models/cost/prime_work.hpp"
#include "sim/os/kernel_state.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>

namespace gilsim {

namespace sg4 = simgrid::s4u;

namespace {
// Simulated work is seconds on the reference core; SimGrid wants flops. One reference second is
// 1e9 flops so that SimGrid's work-amount precision (1e-5 flops) stays far below a nanosecond.
constexpr double flops_per_second = 1e9;
// Times closer than this are the same instant (SimGrid's own timing precision is 1e-9 s).
constexpr double same_time = 1e-12;
// The look-ahead puts answers due this close together into one batch, as SimGrid would: it ends
// actions within its timing precision of each other at one date.
constexpr double batch_precision = 1e-9;
// A timer may wake this far from its deadline: SimGrid dates a sleep to 1e-9 s.
constexpr double timer_precision = 2e-9;
}  // namespace

kernel::kernel(const scenario& sc, const run_limits& limits,
               std::vector<run_observer*> observers)
    : sc_(sc), limits_(limits), observers_(std::move(observers)), rng_(sc.seed)
{
  const auto* entry = sched_registry::instance().find(sc.scheduler.name);
  GILSIM_ASSERT(entry, "the loader resolved the scheduler policy");
  policy_ = entry->make(sc.scheduler.params, sched_context{sc.machine.cores});
  fluid_ = policy_->fluid();

  for (const auto& q : sc.queues)
    queues_[q.name] = {&q, q.first};
  for (const auto& l : sc.locks) {
    const auto* le = lock_registry::instance().find(l.kind.name);
    GILSIM_ASSERT(le, "the loader resolved the lock kind");
    lock_index_[l.name] = int(locks_.size());
    locks_.push_back({l.name, le->make(l.kind.params, lock_context{l.name})});
  }

  for (size_t p = 0; p < sc.processes.size(); ++p) {
    const auto& ps = sc.processes[p];
    processes_.push_back(make_process(ps, int(p)));
    for (const auto& ts : ps.threads) {
      auto t = std::make_unique<sim_thread>(ts.program);
      t->id = thread_id(threads_.size());
      t->spec = &ts;
      t->process = int(p);
      policy_->add_thread({t->id, ts.nice, ts.priority});
      if (!ts.daemon)
        ++live_non_daemon_;
      threads_.push_back(std::move(t));
    }
  }
}

kernel::~kernel() = default;

// ---------------------------------------------------------------------------------------------
// Platform and actors

void kernel::build_platform()
{
  auto* zone = sg4::create_empty_zone("machine");
  double speed = sc_.machine.speed * flops_per_second;
  if (fluid_) {
    shared_host_ = zone->create_host("cpu", speed)->set_core_count(sc_.machine.cores)->seal();
  } else {
    for (int c = 0; c < sc_.machine.cores; ++c) {
      core_state cs;
      cs.id = c;
      cs.host = zone->create_host(fmt::format("core-{}", c), speed)->seal();
      cores_.push_back(cs);
    }
  }
  // The kernel and the thread actors live on a host of their own that never computes.
  home_ = zone->create_host("os", speed)->seal();
  zone->seal();
}

void kernel::start_actors()
{
  kernel_sem_ = sg4::Semaphore::create(0);
  sg4::Actor::create("kernel", home_, [this]() { kernel_main(); });
  for (auto& t : threads_) {
    t->sem = sg4::Semaphore::create(0);
    sim_thread* tp = t.get();
    t->actor = sg4::Actor::create(t->spec->name, home_, [this, tp]() { thread_main(*tp); });
  }
  for (size_t p = 0; p < processes_.size(); ++p) {
    if (!processes_[p].gil)
      continue;
    processes_[p].timer.sem = sg4::Semaphore::create(0);
    sg4::Actor::create(fmt::format("gil-timer-{}", p), home_,
                       [this, p]() { gil_timer_main(int(p)); });
  }
  if (std::isfinite(limits_.max_time)) {
    sg4::Actor::create("watchdog", home_, [this]() {
      sg4::this_actor::sleep_for(limits_.max_time);
      stop(stop_kind::limit, fmt::format("limit reached: --max-time {:g} s of simulated time",
                                         limits_.max_time));
    });
  }
}

// A thread actor: wait for an order, carry it out, post what happened. It decides nothing.
void kernel::thread_main(sim_thread& t)
{
  bool woken = false;  // a release was already consumed by an interrupted sleep
  for (;;) {
    if (!woken)
      t.sem->acquire();
    woken = false;
    if (t.next_order.kind == order_kind::none)
      continue;  // the order was taken back before this actor got to it
    order o = t.next_order;
    t.next_order.kind = order_kind::none;
    switch (o.kind) {
      case order_kind::run:
        // Exec::init()->set_host(), not Host::exec_async(): in 3.32 the latter also loads the
        // actor's own host, so two cores' execs would share one CPU.
        t.exec = sg4::Exec::init()->set_flops_amount(o.flops)->set_host(o.host);
        t.exec->start();
        if (t.cancel_requested) {  // preempted while the start was under way
          t.cancel_requested = false;
          t.exec->cancel();
        }
        try {
          t.exec->wait();
          t.exec = nullptr;
          t.answered_gen = o.gen;
          post({o.post_class, t.id, 0, event_kind::exec_done, o.gen});
        } catch (const simgrid::CancelException&) {
          t.exec = nullptr;  // preempted: the kernel has already accounted for the work done
        }
        break;
      case order_kind::sleep:
        // A sleep the kernel can cut short: a new order releases the semaphore early.
        if (t.sem->acquire_timeout(o.seconds))
          post({o.post_class, t.id, 0, event_kind::timer, o.gen});
        else
          woken = true;
        break;
      case order_kind::exit:
        return;
      case order_kind::none:
        break;
    }
  }
}

// A Python process's GIL timer: sleeps until the deadline the kernel set, then posts. A new,
// earlier deadline cuts its sleep short; a later one is found when it wakes.
void kernel::gil_timer_main(int p)
{
  gil_timer_state& timer = processes_[size_t(p)].timer;
  bool woken = false;
  for (;;) {
    if (!std::isfinite(timer.deadline)) {
      if (!woken)
        timer.sem->acquire();
      woken = false;
      continue;
    }
    woken = false;
    double wait = std::max(0.0, timer.deadline - sg4::Engine::get_clock());
    if (timer.sem->acquire_timeout(wait))
      post({class_timer, gil_timer_process - p, 0, event_kind::gil_timer, 0});
    else
      woken = true;
  }
}

void kernel::post(event e)
{
  e.seq = next_seq_++;
  pending_.push_back(e);
  if (!kernel_signalled_) {
    kernel_signalled_ = true;
    kernel_sem_->release();
  }
}

// Orders are only written during a step and handed out by flush() at its end: every SimGrid
// call lets other actors run, and none may act on a half-made decision.
void kernel::give_order(sim_thread& t, order o)
{
  o.gen = ++t.order_gen;
  o.issued = now_;
  if (o.kind == order_kind::sleep)
    o.until = now_ + o.seconds;
  if (limits_.lookahead && !fluid_ && (o.kind == order_kind::run || o.kind == order_kind::sleep))
    dated_.push({o.until, t.id, o.gen});
  t.next_order = o;
  if (!t.to_signal) {
    t.to_signal = true;
    to_signal_.push_back(t.id);
  }
}

void kernel::flush()
{
  std::vector<simgrid::s4u::ExecPtr> cancels;
  cancels.swap(to_cancel_);
  for (auto& e : cancels)
    if (e->get_state() != sg4::Activity::State::FINISHED)  // it may have ended while stale
      e->cancel();
  dated_ = {};  // all handed out now
  std::vector<thread_id> signals;
  signals.swap(to_signal_);
  std::sort(signals.begin(), signals.end());
  double clock = sg4::Engine::get_clock();
  for (thread_id id : signals) {
    sim_thread& t = *threads_[id];
    t.to_signal = false;
    order& o = t.next_order;
    if (o.kind == order_kind::run || o.kind == order_kind::sleep) {
      // An order the look-ahead gave earlier than now keeps its date: only the rest is left.
      if (!fluid_ && o.issued < clock) {
        double left = std::max(0.0, o.until - clock);
        if (o.kind == order_kind::run)
          o.flops = left * sc_.machine.speed * flops_per_second;
        else
          o.seconds = left;
      }
      if (!t.listed_out && limits_.lookahead) {
        t.listed_out = true;
        out_.push_back(id);
      }
      t.flushed_gen = o.gen;
      t.flushed_until = o.until;
    }
    t.sem->release();
  }
  for (auto& p : processes_) {
    if (p.timer.to_signal) {
      p.timer.to_signal = false;
      p.timer.sem->release();
    }
  }
}

// The kernel actor: one step per batch of same-time posts.
void kernel::kernel_main()
{
  now_ = sg4::Engine::get_clock();
  for (auto& t : threads_) {
    double start = sc_.processes[t->process].start;
    if (start > 0) {
      t->state = os_state::arriving;
      give_order(*t, {order_kind::sleep, nullptr, 0, start, class_arrival});
    } else {
      pending_.push_back({class_arrival, t->id, next_seq_++, event_kind::arrival, 0});
    }
  }
  while (!stopped_) {
    if (!pending_.empty())
      handle_batch();
    while (!stopped_ && look_ahead()) {
    }
    if (stopped_)
      break;
    catch_up();
    flush();
    kernel_sem_->acquire();
    kernel_signalled_ = false;
  }
  sg4::Actor::kill_all();
}

void kernel::handle_batch()
{
  now_ = std::max(now_, sg4::Engine::get_clock());
  std::vector<event> batch;
  batch.swap(pending_);
  process_batch(batch);
}

// The look-ahead. After a step, the orders not yet handed out say when their answers will come
// (a run on a 1-core host ends when its work is done; a sleep at its end), as do the GIL timers'
// deadlines. The orders already handed out are the only things SimGrid may still end. While the
// next answer of the first kind comes before every one of the second, nothing can come between:
// the kernel takes that step itself, without SimGrid, and goes on. A GIL rotation, or a thread
// running phase after phase on its own, then costs no SimGrid activity at all. The step is the
// same code as a step on SimGrid's answers; only the actors are not involved.
bool kernel::look_ahead()
{
  if (fluid_ || !limits_.lookahead)
    return false;
  // The earliest answer among the orders not handed out (those since replaced drop out).
  auto current = [this](const dated_order& d) {
    const sim_thread& t = *threads_[d.t];
    const order& o = t.next_order;
    return t.to_signal && o.gen == d.gen &&
           (o.kind == order_kind::run || o.kind == order_kind::sleep);
  };
  while (!dated_.empty() && !current(dated_.top()))
    dated_.pop();
  double next = dated_.empty() ? unlimited : dated_.top().until;
  // The orders out and still awaited (the list drops the others as it goes).
  double horizon = limits_.max_time;
  std::erase_if(out_, [this](thread_id id) {
    sim_thread& t = *threads_[id];
    t.listed_out = t.flushed_gen == t.order_gen && std::isfinite(t.flushed_until);
    return !t.listed_out;
  });
  for (thread_id id : out_)
    horizon = std::min(horizon, threads_[id]->flushed_until);
  for (const auto& p : processes_)
    if (p.gil)
      next = std::min(next, p.timer.deadline);
  if (!(next + batch_precision < horizon))
    return false;
  now_ = std::max(now_, next);
  std::vector<event> batch;
  while (!dated_.empty() && dated_.top().until <= next + batch_precision) {
    dated_order d = dated_.top();
    dated_.pop();
    if (!current(d))
      continue;
    sim_thread& t = *threads_[d.t];
    order& o = t.next_order;
    batch.push_back({o.post_class, t.id, next_seq_++,
                     o.kind == order_kind::run ? event_kind::exec_done : event_kind::timer, o.gen});
    o.kind = order_kind::none;  // answered here: the actor never sees it
  }
  for (size_t p = 0; p < processes_.size(); ++p)
    if (processes_[p].gil && processes_[p].timer.deadline <= next + timer_precision)
      batch.push_back({class_timer, gil_timer_process - int(p), next_seq_++,
                       event_kind::gil_timer, 0});
  process_batch(batch);
  return true;
}

// Before the orders of a look-ahead go out, SimGrid's clock is brought to the kernel's. What
// ends meanwhile ended before the look-ahead began and was answered by it: stale.
void kernel::catch_up()
{
  double clock = sg4::Engine::get_clock();
  if (now_ > clock)
    sg4::this_actor::sleep_for(now_ - clock);
}

// Is e still awaited? Answers to replaced orders, and a GIL timer that woke for a deadline
// since moved, are not: a batch of nothing else is no step at all (it decides nothing, so a
// spurious wake-up cannot change a run).
bool kernel::live(const event& e) const
{
  switch (e.kind) {
    case event_kind::timer:
    case event_kind::exec_done: return e.gen == threads_[e.t]->order_gen;
    case event_kind::gil_timer: {
      const auto& timer = processes_[size_t(gil_timer_process - e.t)].timer;
      return std::isfinite(timer.deadline) && now_ >= timer.deadline - timer_precision;
    }
    case event_kind::arrival:
    case event_kind::tick: return true;
  }
  return true;
}

void kernel::process_batch(std::vector<event>& batch)
{
  if (std::none_of(batch.begin(), batch.end(), [this](const event& e) { return live(e); }))
    return;
  // Same-time events in the documented order: class, then thread id, then arrival.
  add_tick_events(batch);
  std::sort(batch.begin(), batch.end(), [](const event& a, const event& b) {
    if (a.cls != b.cls)
      return a.cls < b.cls;
    if (a.t != b.t)
      return a.t < b.t;
    return a.seq < b.seq;
  });
  for (const event& e : batch) {
    if (!live(e))
      continue;  // an answer to a replaced order, or a timer for a moved deadline
    ++events_;
    if (e.kind == event_kind::gil_timer) {
      gil_timer_fired(gil_timer_process - e.t);
    } else {
      sim_thread& t = *threads_[e.t];
      bool answer = e.kind == event_kind::timer || e.kind == event_kind::exec_done;
      if (answer && t.flushed_gen == e.gen)
        t.flushed_until = unlimited;  // answered: the actor waits for its next order
      handle(e, t);
    }
    if (stopped_)
      return;
  }
  if (events_ > limits_.max_events) {
    stop(stop_kind::limit, fmt::format("limit reached: --max-events {} at simulated time {:g} s",
                                       limits_.max_events, now_));
    return;
  }
  decide();
  check_deadlock();
}

void kernel::handle(const event& e, sim_thread& t)
{
  switch (e.kind) {
    case event_kind::arrival:
    case event_kind::timer:
      if (t.state == os_state::arriving) {  // its process starts (now, or at its start timer)
        t.start_s = now_;
        t.state = os_state::blocked;  // nothing yet: advance() moves it on
        t.blocked_by = block_kind::none;
      } else if (t.blocked_by == block_kind::gil) {
        gil_timer(t);
        break;
      } else {
        if (t.blocked_by == block_kind::io && is_python(t))
          t.io_done_at = now_;  // the start of a convoy sample, if Python work follows
        end_block(t);
      }
      advance(t);
      break;
    case event_kind::exec_done:
      exec_finished(t);
      break;
    case event_kind::gil_timer:
      GILSIM_ASSERT(false, "GIL timer events are handled per process, before threads' events");
      break;
    case event_kind::tick:
      // A thread that ran alone reaches a slice boundary now; if somebody waits by now (an I/O
      // completion or a release of this same instant), its slice ends here like any other.
      if (t.state == os_state::running && !std::isfinite(t.slice_end) &&
          policy_->ready_count() > 0) {
        interrupt(t);
        slice_expired(t);
      }
      break;
  }
}

// A thread running alone has no slice timer (no events are spent while nobody waits), but its
// slice still ends at every multiple of the slice since its dispatch. When such a boundary falls
// on this instant, it takes its place in the batch as a class-3 event, as a timer would.
void kernel::add_tick_events(std::vector<event>& batch)
{
  if (fluid_)
    return;
  for (const auto& c : cores_) {
    if (c.current == no_thread)
      continue;
    const sim_thread& t = *threads_[c.current];
    if (std::isfinite(t.slice_end))
      continue;
    double s = policy_->slice(t.id);
    double passed = now_ - t.run_start;
    if (!std::isfinite(s) || passed <= same_time)
      continue;
    double k = std::round(passed / s);
    if (k >= 1 && std::fabs(passed - k * s) <= 1e-9 * std::max(1.0, passed))
      batch.push_back({class_slice, t.id, next_seq_++, event_kind::tick, 0});
  }
}

// ---------------------------------------------------------------------------------------------
// Programs

// Walks t's program from where it stands through every step that takes no time (lock, unlock)
// to the next one that does, or to its end.
void kernel::advance(sim_thread& t)
{
  for (;;) {
    const step* s = t.cursor.next([this](const std::string& q) { return take_chunk(q); });
    if (!s) {
      finish(t);
      return;
    }
    switch (s->kind) {
      case step_kind::cpu: {
        gil_model* g = gil_of(t);
        double work = s->seconds + (s->kernel.prime ? kernel_seconds(t, *s) : 0.0);
        t.remaining = work * (g ? g->work_factor(s->mode) : 1.0);
        t.mode = s->mode;
        t.needs_gil = g && g->needed(s->mode);
        t.checks_gil = t.needs_gil && s->mode == cpu_mode::python;
        if (g && !t.needs_gil && g->holds(t.id)) {
          g->release(t.id);  // C code that releases the GIL around itself
          note_gil(t, false);
        }
        want_cpu(t);
        return;
      }
      case step_kind::io:
      case step_kind::sleep:
        block(t, s->kind == step_kind::io ? block_kind::io : block_kind::sleep);
        give_order(t, {order_kind::sleep, nullptr, 0, s->seconds, class_timer});
        return;
      case step_kind::lock: {
        auto& l = locks_[size_t(lock_index_.at(s->lock))];
        if (l.model->acquire(t.id))
          continue;
        block(t, block_kind::lock);
        t.waiting_lock = lock_index_.at(s->lock);
        ++blocked_on_lock_;
        return;
      }
      case step_kind::unlock: {
        auto& l = locks_[size_t(lock_index_.at(s->lock))];
        GILSIM_ASSERT(l.model->held_by(t.id), "the loader rejects an unlock of a lock not held");
        for (thread_id w : l.model->release(t.id))
          lock_granted(*threads_[w]);
        continue;
      }
      case step_kind::repeat:
      case step_kind::for_each:
        GILSIM_ASSERT(false, "the cursor never returns a repeat or for_each step");
    }
  }
}

// A waiter was handed a lock: it can go on once the wake-up latency has passed.
void kernel::lock_granted(sim_thread& w)
{
  GILSIM_ASSERT(w.state == os_state::blocked && w.blocked_by == block_kind::lock,
                "only a thread waiting for a lock is handed one");
  --blocked_on_lock_;
  w.waiting_lock = -1;
  if (sc_.machine.wakeup_latency > 0) {
    give_order(w, {order_kind::sleep, nullptr, 0, sc_.machine.wakeup_latency, class_release});
  } else {
    end_block(w);
    advance(w);
  }
}

void kernel::finish(sim_thread& t)
{
  release_gil(t);
  if (t.core >= 0)
    leave_core(t);
  t.state = os_state::done;
  t.end_s = now_;
  note(t);
  give_order(t, {order_kind::exit, nullptr, 0, 0, 0});
  ++done_;
  if (!t.spec->daemon && --live_non_daemon_ == 0) {
    makespan_ = now_;
    stop(stop_kind::finished, "");
  }
}

// ---------------------------------------------------------------------------------------------
// Thread states

void kernel::block(sim_thread& t, block_kind why)
{
  release_gil(t);
  if (t.core >= 0)
    leave_core(t);
  t.state = os_state::blocked;
  t.blocked_by = why;
  t.since = now_;
  note(t);
}

// The end of a blocked period: charge its time to the right figure.
void kernel::end_block(sim_thread& t)
{
  double d = now_ - t.since;
  switch (t.blocked_by) {
    case block_kind::io: t.io_s += d; break;
    case block_kind::sleep: t.sleep_s += d; break;
    case block_kind::lock: t.lock_wait_s += d; break;
    case block_kind::gil: t.gil_wait_s += d; break;
    case block_kind::none: break;
  }
  t.blocked_by = block_kind::none;
  t.since = now_;
}

void kernel::want_cpu(sim_thread& t)
{
  if (fluid_) {
    // Processor sharing: every thread that wants CPU runs at once on the shared N-core host.
    if (t.state == os_state::ready)
      t.ready_wait_s += now_ - t.since;
    t.state = os_state::running;
    note(t);
    if (!take_gil(t))
      return;
    issue_fluid_run(t);
    return;
  }
  if (t.core >= 0) {
    // Still on its core from the previous phase: carry on in the same slice.
    if (take_gil(t))
      issue_run(t);
    return;
  }
  make_ready(t, t.ever_ran ? ready_reason::wakeup : ready_reason::arrival);
}

// Processor sharing: the exec is as long as the work, or as the Python execution left before
// a pending GIL check; SimGrid decides how fast it goes.
void kernel::issue_fluid_run(sim_thread& t)
{
  double work = t.remaining * t.slowdown / sc_.machine.speed;
  double run = t.checks_gil ? std::min(work, t.gil_check_left) : work;
  t.exec_start = now_;
  t.exec_run = run;
  t.exec_overhead = 0;
  t.exec_accounted = 0;
  t.exec_completes = run >= work;
  t.exec_active = true;
  give_order(t, {order_kind::run, shared_host_, run * sc_.machine.speed * flops_per_second, 0,
                 t.exec_completes ? class_release : class_slice});
}

void kernel::make_ready(sim_thread& t, ready_reason why)
{
  t.state = os_state::ready;
  t.since = now_;
  note(t);
  policy_->on_ready(t.id, why, now_);
}

// ---------------------------------------------------------------------------------------------
// Cores

void kernel::dispatch(sim_thread& t, core_state& c)
{
  GILSIM_ASSERT(c.current == no_thread, "a core runs one thread at a time");
  t.ready_wait_s += now_ - t.since;
  t.state = os_state::running;
  t.core = c.id;
  t.ever_ran = true;
  c.current = t.id;
  note(t);
  policy_->on_run(t.id, now_);
  t.pending_overhead = 0;
  // A thread that wakes for the GIL tests it first thing; if it is taken it waits again at once
  // (no switch is charged for that instant on the core).
  if (!take_gil(t))
    return;
  if (c.last != no_thread && c.last != t.id) {
    t.pending_overhead = sc_.machine.context_switch;
    ++t.context_switches;
    ++c.switches;
  }
  c.last = t.id;
  t.run_start = now_ + t.pending_overhead;
  t.slice_end = unlimited;
  issue_run(t);
}

// Orders t to work on its core until its phase ends or its slice does.
void kernel::issue_run(sim_thread& t)
{
  core_state& c = cores_[size_t(t.core)];
  double speed = sc_.machine.speed;
  double work = t.remaining * t.slowdown / speed;
  double start = now_ + t.pending_overhead;
  double budget = t.slice_end - start;
  if (budget <= same_time) {
    // The slice ran out exactly as a phase ended: the same decision as a slice expiry.
    slice_expired(t);
    return;
  }
  double run = std::min(work, budget);
  if (t.checks_gil)
    run = std::min(run, t.gil_check_left);
  t.exec_start = now_;
  t.exec_overhead = t.pending_overhead;
  t.exec_run = run;
  t.exec_accounted = 0;
  t.pending_overhead = 0;
  t.exec_completes = run >= work;
  t.exec_active = true;
  int cls = t.exec_completes || run < budget ? class_release : class_slice;
  order o{order_kind::run, c.host, (t.exec_overhead + run) * speed * flops_per_second, 0, cls};
  o.until = exec_end(t);
  give_order(t, o);
}

// Charges the work t has done in its current exec so far (CPU time, policy accounting).
void kernel::account(sim_thread& t)
{
  double elapsed = now_ - t.exec_start;
  double run = std::clamp(elapsed - t.exec_overhead, 0.0, t.exec_run);
  double delta = run - t.exec_accounted;
  if (delta > 0) {
    t.cpu_s += delta;
    t.remaining = std::max(0.0, t.remaining - delta * sc_.machine.speed / t.slowdown);
    if (t.checks_gil && std::isfinite(t.gil_check_left))
      t.gil_check_left -= delta;
    policy_->on_ran(t.id, delta);
    t.exec_accounted = run;
  }
}

void kernel::close_exec(sim_thread& t)
{
  account(t);
  if (!fluid_)
    cores_[size_t(t.core)].busy_s += now_ - t.exec_start;
}

void kernel::exec_finished(sim_thread& t)
{
  t.exec_active = false;
  if (fluid_) {
    fluid_account(t, t.exec_run);
    if (t.exec_completes)
      t.remaining = 0;
    if (gil_check_due(t))
      return;
    if (t.exec_completes)
      advance(t);
    else
      issue_fluid_run(t);
    return;
  }
  close_exec(t);
  if (gil_check_due(t))
    return;
  if (t.exec_completes) {
    t.remaining = 0;
    advance(t);
  } else if (now_ >= t.slice_end - same_time) {
    slice_expired(t);
  } else {
    issue_run(t);  // it stopped for a GIL check that let it go on
  }
}

// t's slice is over. It goes on if nobody waits; otherwise it queues again behind the others.
void kernel::slice_expired(sim_thread& t)
{
  if (policy_->ready_count() == 0) {
    t.run_start = now_;
    t.slice_end = unlimited;
    issue_run(t);
    return;
  }
  leave_core(t);
  make_ready(t, ready_reason::slice_end);
}

// t stops running on its core (blocked, done, preempted or out of slice).
void kernel::leave_core(sim_thread& t)
{
  core_state& c = cores_[size_t(t.core)];
  c.current = no_thread;
  t.core = -1;
  policy_->on_stop(t.id, now_);
}

double kernel::exec_end(const sim_thread& t) const
{
  return t.exec_start + t.exec_overhead + t.exec_run;
}

bool kernel::exec_due_now(const sim_thread& t) const { return exec_end(t) <= now_ + same_time; }

// Takes t off its core at once: the work done so far is kept, the rest stays to do.
void kernel::interrupt(sim_thread& t)
{
  close_exec(t);
  // The part of a context switch not yet paid is still owed when it runs again here.
  t.pending_overhead = std::max(0.0, t.exec_overhead - (now_ - t.exec_start));
  take_back_run(t);
}

// Withdraws t's run order wherever it stands, on a core or on the fluid host.
void kernel::take_back_run(sim_thread& t)
{
  if (t.next_order.kind == order_kind::run)
    t.next_order.kind = order_kind::none;  // not yet picked up by the actor: take it back
  else if (t.flushed_gen != t.order_gen)
    ;  // the look-ahead answered it: it never reached the actor
  else if (t.exec)
    to_cancel_.push_back(t.exec);  // cancelled by flush(); the actor then waits for an order
  else
    t.cancel_requested = true;  // the actor is starting it: it cancels it itself
  ++t.order_gen;  // whatever the old order still posts is stale
  t.exec_active = false;
}

// Dispatch idle cores, preempt where the policy says so, and arm slice timers: the last step
// of every batch (class 5 of the documented order).
void kernel::decide()
{
  if (fluid_)
    return;
  for (;;) {
    // A dispatched thread may leave its core at once (it found the GIL taken): pick again
    // until no idle core finds a ready thread.
    for (bool dispatched = true; dispatched;) {
      dispatched = false;
      for (auto& c : cores_) {
        if (c.current != no_thread)
          continue;
        thread_id t = policy_->pick_next(c.id, now_);
        if (t == no_thread)
          break;
        dispatch(*threads_[t], c);
        dispatched = true;
      }
    }
    if (policy_->ready_count() == 0)
      return;
    // Preemption: charge running threads' CPU first so the policy compares fresh figures.
    std::vector<thread_id> running;
    for (auto& c : cores_) {
      if (c.current == no_thread)
        continue;
      sim_thread& r = *threads_[c.current];
      account(r);
      if (!exec_due_now(r))
        running.push_back(r.id);
    }
    thread_id victim = policy_->preempt_victim(running);
    if (victim != no_thread) {
      sim_thread& v = *threads_[victim];
      interrupt(v);
      leave_core(v);
      make_ready(v, ready_reason::preempted);
      continue;  // the freed core picks again
    }
    arm_slices();
    return;
  }
}

// Threads waited for: every running thread without a slice end gets one. Its quantum counts
// from its dispatch and is re-armed every slice while it ran alone.
void kernel::arm_slices()
{
  for (auto& c : cores_) {
    if (c.current == no_thread)
      continue;
    sim_thread& t = *threads_[c.current];
    if (std::isfinite(t.slice_end))
      continue;
    double s = policy_->slice(t.id);
    if (!std::isfinite(s))
      continue;
    double passed = std::max(0.0, now_ - t.run_start);
    double k = std::floor(passed / s + 1e-9) + 1;
    t.slice_end = t.run_start + k * s;
    if (exec_due_now(t))
      continue;  // its exec ends now; the slice is applied when it asks for more
    if (exec_end(t) <= t.slice_end + same_time)
      continue;  // the current exec ends within the slice anyway
    interrupt(t);
    issue_run(t);
  }
}

void kernel::check_deadlock()
{
  if (stopped_ || blocked_on_lock_ == 0)
    return;
  if (blocked_on_lock_ + done_ < int(threads_.size()))
    return;
  stop(stop_kind::deadlock, describe_deadlock());
}

// Who holds what and who waits for what, following the wait-for chain from the first waiter.
std::string kernel::describe_deadlock() const
{
  std::string out = fmt::format("deadlock at {:g} s: every live thread waits for a lock", now_);
  for (const auto& t : threads_) {
    if (t->state != os_state::blocked || t->blocked_by != block_kind::lock)
      continue;
    const auto& l = locks_[size_t(t->waiting_lock)];
    std::string held;
    for (size_t i = 0; i < locks_.size(); ++i)
      if (locks_[i].model->held_by(t->id))
        held += (held.empty() ? "" : ", ") + locks_[i].name;
    std::string holders;
    for (thread_id h : l.model->holders())
      holders += (holders.empty() ? "" : ", ") + threads_[h]->spec->name +
                 (threads_[h]->state == os_state::done ? " (finished)" : "");
    out += fmt::format("\n  {} holds [{}] and waits for {} held by [{}]", t->spec->name, held,
                       l.name, holders);
  }
  return out;
}

void kernel::stop(stop_kind why, const std::string& message)
{
  if (stopped_)
    return;
  stopped_ = true;
  stop_kind_ = why;
  stop_message_ = message;
  now_ = std::max(now_, sg4::Engine::get_clock());  // the look-ahead may be ahead of SimGrid
  if (why != stop_kind::finished)
    makespan_ = now_;
  // Wake the kernel actor (if this is another actor) so that it ends the run: it kills every
  // actor on its way out. A spare release when the kernel itself stops is harmless.
  if (!kernel_signalled_) {
    kernel_signalled_ = true;
    kernel_sem_->release();
  }
}

// ---------------------------------------------------------------------------------------------
// Work queues and the prime kernel's cost

std::optional<chunk_range> kernel::take_chunk(const std::string& name)
{
  queue_state& q = queues_.at(name);
  if (q.next > q.spec->last)
    return std::nullopt;
  std::uint64_t first = q.next;
  std::uint64_t last = std::min(q.spec->last, first + q.spec->chunk - 1);
  q.next = last + 1;
  return chunk_range{first, last};
}

// The kernel step's work on the reference core: the exact trial divisions of its numbers and
// the numbers themselves, at Python's or native cost.
double kernel::kernel_seconds(const sim_thread& t, const step& s)
{
  std::uint64_t first = s.kernel.first, last = s.kernel.last;
  if (!s.kernel.fixed_range) {
    auto c = t.cursor.current_chunk();
    GILSIM_ASSERT(c.has_value(), "the loader puts chunk kernel steps inside a for_each");
    std::tie(first, last) = *c;
  }
  range_work w;
  if (first == last) {
    w = {1, prime_divisions(first), 0};
  } else if (auto it = work_cache_.find({first, last}); it != work_cache_.end()) {
    w = it->second;
  } else {
    w = last - first >= 1000000 ? prime_range_work_cached(first, last)
                                : prime_range_work(first, last);
    work_cache_.emplace(chunk_range{first, last}, w);
  }
  bool python = is_python(t) && s.mode != cpu_mode::native;
  const kernel_cost& c = python ? sc_.python_cost : sc_.native_cost;
  return double(w.divisions) * c.per_division + double(w.items) * c.per_item;
}

// ---------------------------------------------------------------------------------------------
// The GIL: the kernel's side of models/gil_*.cpp

gil_model* kernel::gil_of(const sim_thread& t) const
{
  return processes_[size_t(t.process)].gil.get();
}

bool kernel::is_python(const sim_thread& t) const { return gil_of(t) != nullptr; }

// t is running (on a core, or on the fluid host) and wants to run its phase: true once it may.
bool kernel::take_gil(sim_thread& t)
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
      processes_[size_t(t.process)].convoy.push_back(now_ - t.io_done_at);
    t.io_done_at = -1;
  }
  return true;
}

void kernel::release_gil(sim_thread& t)
{
  t.gil_check_left = unlimited;
  if (gil_model* g = gil_of(t); g && g->holds(t.id)) {
    g->release(t.id);
    note_gil(t, false);
  }
}

// A pending eval-breaker check came due: the model says whether the holder drops the GIL.
bool kernel::gil_check_due(sim_thread& t)
{
  if (!t.checks_gil || t.gil_check_left > same_time)
    return false;
  t.gil_check_left = unlimited;
  bool dropped = gil_of(t)->on_check(t.id);
  if (dropped)
    note_gil(t, false);
  return dropped;
}

// A timer of a thread waiting for the GIL: the end of its wake-up, or of a timed wait.
void kernel::gil_timer(sim_thread& t)
{
  if (t.gil_waking)
    gil_wake_done(t);
  else
    gil_of(t)->on_timeout(t.id);
}

void kernel::gil_wake_done(sim_thread& t)
{
  end_block(t);  // still blocked, by nothing now: want_cpu() moves it on
  t.gil_waking = false;
  want_cpu(t);
}

double kernel::now() const { return now_; }

void kernel::block_for_gil(thread_id id, double timeout)
{
  sim_thread& t = *threads_[size_t(id)];
  if (t.core >= 0)
    leave_core(t);
  if (t.state != os_state::blocked || t.blocked_by != block_kind::gil)
    t.since = now_;
  t.state = os_state::blocked;
  t.blocked_by = block_kind::gil;
  t.gil_waking = false;
  note(t);
  if (std::isfinite(timeout))
    give_order(t, {order_kind::sleep, nullptr, 0, timeout, class_timer});
  else
    ++t.order_gen;  // nothing to wait for but a wake(): any earlier answer is stale
}

void kernel::wake(thread_id id)
{
  sim_thread& t = *threads_[size_t(id)];
  GILSIM_ASSERT(t.state == os_state::blocked && t.blocked_by == block_kind::gil,
                "only a thread waiting for the GIL is woken for it");
  t.gil_waking = true;
  if (sc_.machine.wakeup_latency > 0)
    give_order(t, {order_kind::sleep, nullptr, 0, sc_.machine.wakeup_latency, class_release});
  else
    gil_wake_done(t);
}

void kernel::request_check(thread_id id, double cpu_delay)
{
  sim_thread& t = *threads_[size_t(id)];
  if (t.state == os_state::running && t.checks_gil) {
    // Charge the work done so far first: the delay counts from now.
    if (fluid_) {
      if (fluid_answered(t)) {
        fluid_settle(t);  // its answer, later in this batch, goes on from here
        t.gil_check_left = cpu_delay;
        return;
      }
      fluid_interrupt(t);
      t.gil_check_left = cpu_delay;
      issue_fluid_run(t);
      return;
    }
    if (t.core >= 0 && !exec_due_now(t)) {
      account(t);
      t.gil_check_left = cpu_delay;
      if (t.exec_run - t.exec_accounted > cpu_delay + same_time) {
        interrupt(t);
        issue_run(t);
      }
      return;
    }
  }
  t.gil_check_left = cpu_delay;  // it checks when it next runs Python: its work is bounded then
}

void kernel::set_timer(int process, double at)
{
  gil_timer_state& timer = processes_[size_t(process)].timer;
  // An earlier deadline must cut the timer's sleep short; a later one (or none) it finds itself
  // when it wakes for the old one.
  if (at < timer.deadline - same_time)
    timer.to_signal = true;
  timer.deadline = at;
}

// The process timer came due (process_batch has checked that its deadline is now).
void kernel::gil_timer_fired(int process)
{
  processes_[size_t(process)].timer.deadline = unlimited;
  processes_[size_t(process)].gil->on_timer();
}

bool kernel::running(thread_id id) const
{
  return threads_[size_t(id)]->state == os_state::running;
}

void kernel::resume(thread_id id)
{
  sim_thread& t = *threads_[size_t(id)];
  GILSIM_ASSERT(t.state == os_state::blocked && t.blocked_by == block_kind::gil,
                "only a thread waiting for the GIL is resumed for it");
  gil_wake_done(t);
}

// The GIL model says the thread's Python runs `factor` times slower from now on (the old GIL's
// signalling while others wait): work done so far is charged at the old rate.
void kernel::set_slowdown(thread_id id, double factor)
{
  sim_thread& t = *threads_[size_t(id)];
  if (t.slowdown == factor)
    return;
  if (t.state != os_state::running || !t.exec_active) {
    t.slowdown = factor;
    return;
  }
  if (fluid_) {
    if (fluid_answered(t)) {
      fluid_settle(t);  // done at the old rate; its answer, later in this batch, goes on
      t.slowdown = factor;
      return;
    }
    fluid_interrupt(t);
    t.slowdown = factor;
    issue_fluid_run(t);
    return;
  }
  if (exec_due_now(t)) {
    t.slowdown = factor;  // its exec ends now; the next one runs at the new rate
    return;
  }
  interrupt(t);
  t.slowdown = factor;
  issue_run(t);
}

std::uint64_t kernel::draw(std::uint64_t n)
{
  return n <= 1 ? 0 : rng_() % n;
}

// Stops a thread's exec on the fluid host: SimGrid knows how much of it is left.
// Has t's run on the fluid host ended at this instant, its answer still to come in this batch?
// Then there is nothing to stop: taking it back would lose its work.
bool kernel::fluid_answered(const sim_thread& t) const
{
  return t.exec_active && t.answered_gen == t.order_gen;
}

// Charges such a run now, so that what changes at this instant (a GIL check's delay, a rate)
// counts from here; its answer then charges nothing more and carries on.
void kernel::fluid_settle(sim_thread& t)
{
  fluid_account(t, t.exec_run);
  t.exec_start = now_;
  t.exec_run = 0;
}

void kernel::fluid_interrupt(sim_thread& t)
{
  double left = t.exec_run;
  if (t.next_order.kind != order_kind::run && t.exec)
    left = t.exec->get_remaining() / (sc_.machine.speed * flops_per_second);
  take_back_run(t);
  fluid_account(t, std::clamp(t.exec_run - left, 0.0, t.exec_run));
}

// Charges `done` seconds of t's work on the fluid host; the rest of the exec's time so far it
// waited for its share of the cores.
void kernel::fluid_account(sim_thread& t, double done)
{
  t.cpu_s += done;
  t.ready_wait_s += std::max(0.0, (now_ - t.exec_start) - done);
  fluid_busy_s_ += done;
  t.remaining = std::max(0.0, t.remaining - done * sc_.machine.speed / t.slowdown);
  if (t.checks_gil && std::isfinite(t.gil_check_left))
    t.gil_check_left = std::max(0.0, t.gil_check_left - done);
}

// ---------------------------------------------------------------------------------------------
// Trace recording

void kernel::note(const sim_thread& t)
{
  if (observers_.empty())
    return;
  trace_state s = trace_state::idle;
  switch (t.state) {
    case os_state::running: s = trace_state::running; break;
    case os_state::ready: s = trace_state::ready; break;
    case os_state::done: s = trace_state::done; break;
    case os_state::arriving: s = trace_state::idle; break;
    case os_state::blocked:
      switch (t.blocked_by) {
        case block_kind::io: s = trace_state::io; break;
        case block_kind::sleep: s = trace_state::sleep; break;
        case block_kind::lock: s = trace_state::lock_wait; break;
        case block_kind::gil: s = trace_state::gil_wait; break;
        case block_kind::none: s = trace_state::idle; break;
      }
      break;
  }
  for (auto* o : observers_)
    o->state_changed(now_, t.id, s, s == trace_state::running ? t.core : -1);
}

void kernel::note_gil(const sim_thread& t, bool holds)
{
  for (auto* o : observers_)
    o->gil_changed(now_, t.process, holds ? t.id : -1);
}

// ---------------------------------------------------------------------------------------------
// The run

run_report kernel::run()
{
  int argc = 1;
  char arg0[] = "gilsim";
  char* argv[] = {arg0, nullptr};
  xbt_log_control_set("root.thresh:critical");
  sg4::Engine engine(&argc, argv);
  sg4::Engine::set_config("contexts/stack-size:256");
  build_platform();
  start_actors();
  if (!observers_.empty()) {
    run_setup setup;
    setup.scenario = sc_.name;
    setup.cores = sc_.machine.cores;
    setup.fluid = fluid_;
    for (size_t p = 0; p < sc_.processes.size(); ++p) {
      setup.processes.push_back(sc_.processes[p].name);
      const gil_model* g = processes_[p].gil.get();
      setup.has_gil.push_back(g && g->needed(cpu_mode::python));
    }
    for (const auto& t : threads_)
      setup.threads.push_back({t->spec->name, t->process});
    for (auto* o : observers_)
      o->started(setup);
  }
  auto wall0 = std::chrono::steady_clock::now();
  engine.run();
  auto wall1 = std::chrono::steady_clock::now();
  if (!stopped_)
    stop(stop_kind::deadlock, "the simulation ran out of events with threads still waiting");
  run_report r = make_report();
  for (auto* o : observers_)
    o->finished(makespan_);
  r.wall_s = std::chrono::duration<double>(wall1 - wall0).count();
  return r;
}

run_report kernel::make_report() const
{
  run_report r;
  r.scenario = sc_.name;
  r.policy = sc_.scheduler.name;
  r.core_count = sc_.machine.cores;
  r.seed = sc_.seed;
  r.makespan_s = makespan_;
  r.events = events_;
  r.status = stop_kind_ == stop_kind::finished ? "ok"
             : stop_kind_ == stop_kind::deadlock ? "deadlock"
                                                  : "limit";
  r.message = stop_message_;
  for (const auto& t : threads_) {
    thread_report tr;
    tr.name = t->spec->name;
    tr.process = sc_.processes[t->process].name;
    tr.daemon = t->spec->daemon;
    tr.start_s = t->start_s;
    tr.end_s = t->state == os_state::done ? t->end_s : makespan_;
    tr.cpu_s = t->cpu_s;
    tr.io_s = t->io_s;
    tr.sleep_s = t->sleep_s;
    tr.ready_wait_s = t->ready_wait_s;
    tr.gil_wait_s = t->gil_wait_s;
    tr.lock_wait_s = t->lock_wait_s;
    tr.context_switches = t->context_switches;
    tr.gil_acquisitions = t->gil_acquisitions;
    r.threads.push_back(tr);
  }
  for (int c = 0; c < sc_.machine.cores; ++c) {
    core_report cr;
    cr.id = c;
    if (fluid_) {
      cr.busy_s = fluid_busy_s_ / sc_.machine.cores;
    } else {
      cr.busy_s = cores_[size_t(c)].busy_s;
      cr.context_switches = cores_[size_t(c)].switches;
    }
    cr.utilization = makespan_ > 0 ? cr.busy_s / makespan_ : 0;
    r.cores.push_back(cr);
  }
  for (const auto& p : processes_) {
    process_report pr = p.report;
    if (p.gil) {
      pr.gil.switches = p.gil->stats().switches;
      pr.gil.forced_switches = p.gil->stats().forced_switches;
      pr.gil.convoy = summarize(p.convoy);
    }
    r.processes.push_back(pr);
  }
  return r;
}

kernel::process_state kernel::make_process(const process_spec& ps, int index)
{
  process_state p;
  p.report.name = ps.name;
  p.report.runtime = ps.runtime == runtime_kind::python ? "python" : "native";
  p.report.gil.model = ps.runtime == runtime_kind::python ? ps.gil.name : "native";
  if (ps.runtime == runtime_kind::python) {
    const auto* entry = gil_registry::instance().find(ps.gil.name);
    GILSIM_ASSERT(entry, "the loader resolved the GIL model");
    p.gil = entry->make(ps.gil.params,
                        gil_context{ps.name, sc_.seed, index, sc_.machine.wakeup_latency});
    p.gil->set_host(this);
  }
  return p;
}

run_report simulate(const scenario& sc, const run_limits& limits,
                    std::vector<run_observer*> observers)
{
  kernel k(sc, limits, std::move(observers));
  return k.run();
}

}  // namespace gilsim
