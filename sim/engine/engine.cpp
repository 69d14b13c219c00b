// The SimGrid engine. Thread actors carry out orders and post what happened (work done, timer
// fired); the engine's own actor hands each batch of same-time posts to the OS and, once the OS
// has decided, hands out the orders it gave. Every SimGrid call lets other actors run, so no
// order goes out before the step that made it is over.
#include "sim/engine/engine.hpp"

#include "sim/engine/simulate.hpp"

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
// SimGrid dates what it ends to about a nanosecond: an answer that comes this close to the date
// the OS gave its order is that date.
constexpr ns_t dating_precision = 2;
}  // namespace

sg_engine::sg_engine(const scenario& sc, const run_limits& limits,
                     std::vector<run_observer*> observers)
    : sc_(sc), limits_(limits), os_(sc, limits, *this, std::move(observers))
{
  fluid_ = os_.fluid();
  speeds_ = sc.machine.core_speeds();
  actors_.resize(size_t(os_.thread_count()));
  timers_.resize(size_t(os_.timer_count()));
  dated_.reset(actors_.size());
  fluid_ahead_ = fluid_ && limits_.lookahead;
  share_.reset(actors_.size(), sc.machine.cores);
}

double sg_engine::flops(ns_t duration, int core) const
{
  double speed = core == shared_host ? sc_.machine.speed : speeds_[size_t(core)];
  return double(duration) * speed * (flops_per_second / 1e9);
}

ns_t sg_engine::clock() const { return to_ns(sg4::Engine::get_clock()); }

sg4::Host* sg_engine::host_of(int core) const
{
  return core == shared_host ? shared_host_ : cores_[size_t(core)];
}

// ---------------------------------------------------------------------------------------------
// Platform and actors

void sg_engine::build_platform()
{
  auto* zone = sg4::create_empty_zone("machine");
  double speed = sc_.machine.speed * flops_per_second;
  if (fluid_) {
    shared_host_ = zone->create_host("cpu", speed)->set_core_count(sc_.machine.cores)->seal();
  } else {
    for (size_t c = 0; c < speeds_.size(); ++c)
      cores_.push_back(
          zone->create_host(fmt::format("core-{}", c), speeds_[c] * flops_per_second)->seal());
  }
  // The engine and the thread actors live on a host of their own that never computes.
  home_ = zone->create_host("os", speed)->seal();
  zone->seal();
}

void sg_engine::start_actors()
{
  os_sem_ = sg4::Semaphore::create(0);
  sg4::Actor::create("kernel", home_, [this]() { os_main(); });
  for (size_t t = 0; t < actors_.size(); ++t) {
    actors_[t].sem = sg4::Semaphore::create(0);
    actors_[t].actor = sg4::Actor::create(os_.thread_name(thread_id(t)), home_,
                                          [this, t]() { thread_main(thread_id(t)); });
  }
  for (size_t id = 0; id < timers_.size(); ++id) {
    if (!os_.timer_used(int(id)))
      continue;
    timers_[id].sem = sg4::Semaphore::create(0);
    sg4::Actor::create(fmt::format("timer-{}", id), home_,
                       [this, id]() { timer_main(int(id)); });
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
void sg_engine::thread_main(thread_id id)
{
  actor_state& a = actors_[size_t(id)];
  bool woken = false;  // a release was already consumed by an interrupted sleep
  for (;;) {
    if (!woken)
      a.sem->acquire();
    woken = false;
    if (a.next_order.kind == order_kind::none)
      continue;  // the order was taken back before this actor got to it
    order o = a.next_order;
    a.next_order.kind = order_kind::none;
    switch (o.kind) {
      case order_kind::run:
        // Exec::init()->set_host(), not Host::exec_async(): in 3.32 the latter also loads the
        // actor's own host, so two cores' execs would share one CPU.
        a.exec = sg4::Exec::init()
                     ->set_flops_amount(flops(o.duration, o.core))
                     ->set_host(host_of(o.core));
        a.exec->start();
        if (a.cancel_requested) {  // withdrawn while the start was under way
          a.cancel_requested = false;
          a.exec->cancel();
        }
        try {
          a.exec->wait();
          a.exec = nullptr;
          post({o.post_class, id, 0, event_kind::exec_done, o.gen});
        } catch (const simgrid::CancelException&) {
          a.exec = nullptr;  // withdrawn: the OS has already accounted for the work done
        }
        break;
      case order_kind::sleep:
        // A sleep the OS can cut short: a new order releases the semaphore early. One of no
        // time at all ends at once (SimGrid would wait for a release on a zero timeout).
        if (o.duration <= 0 || a.sem->acquire_timeout(to_seconds(o.duration)))
          post({o.post_class, id, 0, event_kind::timer, o.gen});
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

// One of the OS's timers (a process's GIL, the policy): sleeps until the deadline the OS set,
// then posts. A new, earlier deadline cuts its sleep short; a later one is found when it wakes.
void sg_engine::timer_main(int id)
{
  timer_state& timer = timers_[size_t(id)];
  bool woken = false;
  for (;;) {
    if (timer.deadline == forever) {
      if (!woken)
        timer.sem->acquire();
      woken = false;
      continue;
    }
    woken = false;
    double wait = std::max(0.0, to_seconds(timer.deadline) - sg4::Engine::get_clock());
    if (timer.sem->acquire_timeout(wait))
      post({class_timer, os_timer_base - id, 0, event_kind::os_timer, 0});
    else
      woken = true;
  }
}

void sg_engine::post(event e)
{
  e.seq = next_seq_++;
  pending_.push_back(e);
  if (!os_signalled_) {
    os_signalled_ = true;
    os_sem_->release();
  }
}

// ---------------------------------------------------------------------------------------------
// The OS's requests

void sg_engine::give(thread_id id, const order& o)
{
  actor_state& a = actors_[size_t(id)];
  if (fluid_ahead_ && o.kind == order_kind::run) {
    share_.add(id, now_, o.duration);
    dated_.erase(id);
  } else if (limits_.lookahead && (!fluid_ || fluid_ahead_)) {
    if (fluid_ahead_)
      share_.remove(id, now_);
    if (o.kind == order_kind::run || o.kind == order_kind::sleep)
      dated_.set(id, o.until);
    else
      dated_.erase(id);
  }
  a.next_order = o;
  if (!a.to_signal) {
    a.to_signal = true;
    to_signal_.push_back(id);
  }
}

void sg_engine::withdraw(thread_id id)
{
  actor_state& a = actors_[size_t(id)];
  if (a.next_order.kind == order_kind::run) {
    a.next_order.kind = order_kind::none;  // not yet picked up by the actor: take it back
    dated_.erase(id);
    if (fluid_ahead_)
      share_.remove(id, now_);
  }
  else if (a.flushed_gen != os_.order_gen(id))
    ;  // the look-ahead answered it: it never reached the actor
  else if (a.exec)
    to_cancel_.push_back(a.exec);  // cancelled by flush(); the actor then waits for an order
  else
    a.cancel_requested = true;  // the actor is starting it: it cancels it itself
}

ns_t sg_engine::run_left(thread_id id) const
{
  const actor_state& a = actors_[size_t(id)];
  if (fluid_ahead_ && share_.contains(id))
    return share_.left(id, now_);
  if (a.next_order.kind == order_kind::run || !a.exec)
    return forever;  // not under way
  return round_ns(a.exec->get_remaining() / (sc_.machine.speed * (flops_per_second / 1e9)));
}

void sg_engine::set_timer(int id, ns_t at, bool earlier)
{
  timer_state& timer = timers_[size_t(id)];
  if (earlier)
    timer.to_signal = true;
  timer.deadline = at;
}

void sg_engine::stop(stop_kind why, const std::string& message)
{
  // The look-ahead may be ahead of SimGrid.
  os_.stop(why, message, std::max(now_, clock()));
  // Wake the engine's actor (if this is another actor) so that it ends the run: it kills every
  // actor on its way out.
  if (!os_signalled_) {
    os_signalled_ = true;
    os_sem_->release();
  }
}

// Orders are only handed out at the end of a step: every SimGrid call lets other actors run, and
// none may act on a half-made decision.
void sg_engine::flush()
{
  cancels_.swap(to_cancel_);
  for (auto& e : cancels_)
    if (e->get_state() != sg4::Activity::State::FINISHED)  // it may have ended while stale
      e->cancel();
  cancels_.clear();
  dated_.clear();  // all handed out now
  if (fluid_ahead_ && !share_.empty()) {
    // The share's runs go to SimGrid with the work they have left, and SimGrid dates the rest.
    fluid_ahead_ = false;
    share_.drain(now_, [this](thread_id id, ns_t left) {
      actors_[size_t(id)].next_order.duration = left;
    });
  }
  signals_.swap(to_signal_);
  std::sort(signals_.begin(), signals_.end());
  ns_t clock_ns = clock();
  for (thread_id id : signals_) {
    actor_state& a = actors_[size_t(id)];
    a.to_signal = false;
    order& o = a.next_order;
    if (o.kind == order_kind::run || o.kind == order_kind::sleep) {
      // An order the look-ahead gave earlier than now keeps its date: only the rest is left.
      if ((!fluid_ || o.kind == order_kind::sleep) && o.issued < clock_ns)
        o.duration = std::max(ns_t(0), o.until - clock_ns);
      if (!a.listed_out && limits_.lookahead) {
        a.listed_out = true;
        out_.push_back(id);
      }
      a.flushed_gen = o.gen;
      a.flushed_until = o.until;
    }
      a.sem->release();
  }
  signals_.clear();
  for (auto& timer : timers_) {
    if (timer.to_signal) {
      timer.to_signal = false;
      timer.sem->release();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The loop

// The engine's actor: one step of the OS per batch of same-time posts.
void sg_engine::os_main()
{
  now_ = clock();
  for (event e : os_.begin(now_)) {
    e.seq = next_seq_++;
    pending_.push_back(e);
  }
  while (!os_.stopped()) {
    if (!pending_.empty())
      handle_batch();
    while (!os_.stopped() && look_ahead()) {
    }
    if (os_.stopped())
      break;
    catch_up();
    flush();
    os_sem_->acquire();
    os_signalled_ = false;
  }
  sg4::Actor::kill_all();
}

void sg_engine::handle_batch()
{
  batch_.clear();
  batch_.swap(pending_);
  now_ = std::max(now_, batch_time(batch_));
  step(batch_);
}

// When a batch SimGrid ended happened, in the OS's time: an answer to an order the OS dated, or
// a GIL timer, came at its date (SimGrid's clock is that date to within its precision); the
// rest (runs on the shared host) at SimGrid's clock.
ns_t sg_engine::batch_time(const std::vector<event>& batch) const
{
  ns_t at = clock();
  for (const event& e : batch) {
    ns_t dated = forever;
    if (e.kind == event_kind::os_timer)
      dated = timers_[size_t(os_timer_base - e.t)].deadline;
    else if ((e.kind == event_kind::timer || e.kind == event_kind::exec_done) &&
             e.gen == os_.order_gen(e.t) && actors_[size_t(e.t)].flushed_gen == e.gen)
      dated = actors_[size_t(e.t)].flushed_until;
    if (dated != forever && std::abs(dated - clock()) <= dating_precision)
      at = std::max(at, dated);
  }
  return at;
}

// Hands a batch to the OS. The orders it answers are no longer out: their actors wait for new
// ones.
void sg_engine::step(std::vector<event>& batch)
{
  for (const event& e : batch) {
    bool answer = e.kind == event_kind::timer || e.kind == event_kind::exec_done;
    if (answer && e.gen == os_.order_gen(e.t) && actors_[size_t(e.t)].flushed_gen == e.gen)
      actors_[size_t(e.t)].flushed_until = forever;
  }
  os_.step(now_, batch);
}

// The look-ahead. After a step, the orders not yet handed out say when their answers will come
// (a run on a 1-core host ends when its work is done; a sleep at its end; under ps the shares
// date the shared host's runs, sim/engine/fluid_share.hpp), as do the GIL timers' deadlines. The orders already handed out are the only things SimGrid may still end. While the
// next answer of the first kind comes before every one of the second, nothing can come between:
// the engine hands the OS that step itself, without SimGrid, and goes on. A GIL rotation, or a
// thread running phase after phase on its own, then costs no SimGrid activity at all. The step
// is the same as a step on SimGrid's answers; only the actors are not involved.
bool sg_engine::look_ahead()
{
  if (!limits_.lookahead || (fluid_ && !fluid_ahead_))
    return false;
  // The earliest answer among the orders not handed out.
  ns_t next = dated_.empty() ? forever : dated_.top_value();
  if (fluid_ahead_)
    next = std::min(next, share_.next_end());
  // The orders out and still awaited (the list drops the others as it goes).
  ns_t horizon = to_ns(limits_.max_time);
  std::erase_if(out_, [this](thread_id id) {
    actor_state& a = actors_[size_t(id)];
    a.listed_out = a.flushed_gen == os_.order_gen(id) && a.flushed_until != forever;
    return !a.listed_out;
  });
  for (thread_id id : out_)
    horizon = std::min(horizon, actors_[size_t(id)].flushed_until);
  // The OS's timers as it set them (set_timer keeps each deadline here as it changes).
  ns_t first_timer = forever;
  for (const timer_state& timer : timers_)
    first_timer = std::min(first_timer, timer.deadline);
  next = std::min(next, first_timer);
  if (!(next < horizon))
    return false;
  now_ = std::max(now_, next);
  batch_.clear();
  while (!dated_.empty() && dated_.top_value() <= next) {
    const thread_id t = dated_.top_key();
    dated_.pop();
    order& o = actors_[size_t(t)].next_order;
    GILSIM_ASSERT(actors_[size_t(t)].to_signal &&
                      (o.kind == order_kind::run || o.kind == order_kind::sleep),
                  "the look-ahead's orders are the ones not handed out yet");
    batch_.push_back({o.post_class, t, next_seq_++,
                      o.kind == order_kind::run ? event_kind::exec_done : event_kind::timer,
                      o.gen});
    o.kind = order_kind::none;  // answered here: the actor never sees it
  }
  if (fluid_ahead_) {
    ended_.clear();
    share_.pop_ended(next, ended_);
    for (thread_id t : ended_) {
      order& o = actors_[size_t(t)].next_order;
      GILSIM_ASSERT(o.kind == order_kind::run, "the share's runs are the ones not handed out");
      batch_.push_back({o.post_class, t, next_seq_++, event_kind::exec_done, o.gen});
      o.kind = order_kind::none;
    }
  }
  if (first_timer <= next)  // a timer is due with the batch
    for (int id = 0; id < int(timers_.size()); ++id)
      if (timers_[size_t(id)].deadline <= next)
        batch_.push_back({class_timer, os_timer_base - id, next_seq_++, event_kind::os_timer, 0});
  if (!fluid_ && batch_.size() == 1 && batch_.front().kind == event_kind::exec_done) {
    // One thread's run ends, and nothing else comes before the next order's answer, the orders
    // out or a timer: the OS may take that thread's next run ends itself (a run alone).
    ns_t limit = std::min(horizon, first_timer);
    if (!dated_.empty())
      limit = std::min(limit, dated_.top_value());
    os_.step_alone(now_, batch_, limit);
    now_ = std::max(now_, os_.now());
    return true;
  }
  step(batch_);
  return true;
}

// Before the orders of a look-ahead go out, SimGrid's clock is brought to the OS's. What ends
// meanwhile ended before the look-ahead began and was answered by it: stale.
void sg_engine::catch_up()
{
  double clock = sg4::Engine::get_clock();
  if (to_seconds(now_) > clock)
    sg4::this_actor::sleep_for(to_seconds(now_) - clock);
}

run_report sg_engine::run()
{
  int argc = 1;
  char arg0[] = "gilsim";
  char* argv[] = {arg0, nullptr};
  xbt_log_control_set("root.thresh:critical");
  sg4::Engine engine(&argc, argv);
  sg4::Engine::set_config("contexts/stack-size:256");
  build_platform();
  start_actors();
  auto wall0 = std::chrono::steady_clock::now();
  engine.run();
  auto wall1 = std::chrono::steady_clock::now();
  if (!os_.stopped())
    os_.stop(stop_kind::deadlock, "the simulation ran out of events with threads still waiting",
             std::max(now_, clock()));
  run_report r = os_.end();
  r.wall_s = std::chrono::duration<double>(wall1 - wall0).count();
  return r;
}

run_report simulate(const scenario& sc, const run_limits& limits,
                    std::vector<run_observer*> observers)
{
  sg_engine e(sc, limits, std::move(observers));
  return e.run();
}

}  // namespace gilsim
