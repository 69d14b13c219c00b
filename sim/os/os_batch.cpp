// A step of the OS: a batch of same-time events handled in the documented order, then the
// decisions that end every step (dispatch, preemption, slices) and the deadlock check.
#include "sim/os/os_core.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gilsim {

os_core::os_core(const scenario& sc, const run_limits& limits, os_driver& driver,
                 std::vector<run_observer*> observers)
    : sc_(sc)
    , limits_(limits)
    , driver_(driver)
    , observers_(std::move(observers))
    , context_switch_(to_ns(sc.machine.context_switch))
    , wakeup_latency_(to_ns(sc.machine.wakeup_latency))
{
  durations_.seed(sc.seed ^ 0xD1B54A32D192ED03ULL);
  const auto* entry = sched_registry::instance().find(sc.scheduler.name);
  GILSIM_ASSERT(entry, "the loader resolved the scheduler policy");
  policy_ = entry->make(sc.scheduler.params, sched_context{sc.machine.cores, sc.machine.core_speeds(),
                                                          sc.seed, sc.machine.tick});
  cpu_ = policy_->fluid() ? make_shared_host(*this, sc.machine.cores)
                          : make_dedicated_cores(*this, sc.machine);

  if (sc.workload && sc.workload->arrivals)
    for (double a : sc.workload->arrivals->make(sc.seed))
      arrivals_.push_back(to_ns(a));
  for (const auto& q : sc.queues) {
    queue_state& qs = queues_[q.name] = {&q, q.first};
    if (q.arrivals) {
      // The k-th queue with arrivals of its own (from 0) draws from a Poisson stream of its
      // own, apart from the workload's: the seed XOR (k + 1) x the golden ratio's 64 bits.
      const std::uint64_t k = queue_arrivals_.size() + 1;
      auto& times = queue_arrivals_.emplace_back();
      for (double a : q.arrivals->make(sc.seed ^ (k * 0x9E3779B97F4A7C15ULL)))
        times.push_back(to_ns(a));
      qs.arrivals = &times;
    } else if (q.requests && !arrivals_.empty()) {
      qs.arrivals = &arrivals_;
    }
  }
  for (auto& [name, q] : queues_) {
    queue_order_.push_back(&q);
    arriving_queues_ += q.arrivals != nullptr;
  }
  std::sort(queue_order_.begin(), queue_order_.end(),
            [](const queue_state* a, const queue_state* b) { return a->spec->name < b->spec->name; });
  for (const auto& l : sc.locks) {
    const auto* le = lock_registry::instance().find(l.kind.name);
    GILSIM_ASSERT(le, "the loader resolved the lock kind");
    lock_index_[l.name] = int(locks_.size());
    auto model = le->make(l.kind.params, lock_context{l.name});
    const auto own = model->wakeup();
    const auto resolution = model->timer_resolution();
    locks_.push_back({l.name, std::move(model), own ? to_ns(*own) : wakeup_latency_, l.role});
    locks_.back().resolution = resolution ? to_ns(*resolution) : 0;
  }

  timers_.assign(sc.processes.size() + 1, forever);
  for (size_t p = 0; p < sc.processes.size(); ++p) {
    const auto& ps = sc.processes[p];
    processes_.push_back(make_process(ps, int(p)));
    for (const auto& ts : ps.threads) {
      auto t = std::make_unique<sim_thread>(ts.program);
      t->id = thread_id(threads_.size());
      t->spec = &ts;
      t->process = int(p);
      policy_->add_thread(
          {t->id, ts.attributes, job_length(*t, ts.program), ts.affinity, ts.working_set});
      if (!ts.daemon)
        ++live_non_daemon_;
      threads_.push_back(std::move(t));
    }
  }
}

// The total CPU work of a program in reference seconds (sjf's and stcf's oracle), repeats
// multiplied; unlimited when a for_each leaves it to the run.
double os_core::job_length(const sim_thread& t, const std::vector<step>& program)
{
  double total = 0;
  for (const step& s : program) {
    if (s.kind == step_kind::for_each)
      return unlimited;
    if (s.kind == step_kind::repeat && s.count > 0)
      total += double(s.count) * job_length(t, s.body);
    else if (s.kind == step_kind::cpu)
      total += work_ns(t, s, s.seconds) / 1e9;  // a random duration at its mean
  }
  return total;
}

os_core::process_state os_core::make_process(const process_spec& ps, int index)
{
  process_state p;
  p.report.name = ps.name;
  p.report.runtime = ps.runtime == runtime_kind::python ? "python" : "native";
  p.report.gil.model = ps.runtime == runtime_kind::python ? ps.gil.name : "native";
  // Every process has its stream (the jitter of its waits); a Python one's GIL model draws too.
  p.view = std::make_unique<process_view>(*this, sc_.seed, index);
  if (ps.runtime == runtime_kind::python) {
    const auto* entry = gil_registry::instance().find(ps.gil.name);
    GILSIM_ASSERT(entry, "the loader resolved the GIL model");
    p.gil = entry->make(ps.gil.params,
                        gil_context{ps.name, sc_.seed, index,
                                    ps.python.gil_handoff > 0 ? ps.python.gil_handoff
                                                              : sc_.machine.wakeup_latency});
    p.gil->set_view(p.view.get());
  }
  return p;
}

std::vector<event> os_core::begin(ns_t now)
{
  now_ = now;
  tell_started();
  std::vector<event> first;
  std::uint64_t seq = 0;
  for (auto& t : threads_) {
    ns_t start = to_ns(sc_.processes[size_t(t->process)].start) + to_ns(t->spec->start);
    if (start > 0) {
      t->state = os_state::arriving;
      give_order(*t, {order_kind::sleep, shared_host, start, class_arrival});
    } else {
      first.push_back({class_arrival, t->id, seq++, event_kind::arrival, 0});
    }
  }
  return first;
}

// Is e still awaited? Answers to replaced orders, and a GIL timer that woke for a deadline
// since moved, are not: a batch of nothing else is no step at all (it decides nothing, so a
// spurious wake-up cannot change a run).
bool os_core::live(const event& e) const
{
  switch (e.kind) {
    case event_kind::timer:
    case event_kind::exec_done: return e.gen == threads_[size_t(e.t)]->order_gen;
    case event_kind::os_timer: {
      ns_t deadline = timers_[size_t(os_timer_base - e.t)];
      return deadline != forever && now_ >= deadline;
    }
    case event_kind::arrival:
    case event_kind::tick: return true;
  }
  return true;
}

void os_core::run_batch(ns_t now, std::vector<event>& batch)
{
  now_ = std::max(now_, now);
  if (std::none_of(batch.begin(), batch.end(), [this](const event& e) { return live(e); }))
    return;
  // Same-time events in the documented order: class, then thread id, then arrival.
  cpu_->add_ticks(batch);
  std::sort(batch.begin(), batch.end(), [](const event& a, const event& b) {
    if (a.cls != b.cls)
      return a.cls < b.cls;
    if (a.t != b.t)
      return a.t < b.t;
    return a.seq < b.seq;
  });
  if (cpu_->fluid())  // which runs end at this instant (their answers are in hand)
    for (const event& e : batch)
      if (e.kind == event_kind::exec_done && live(e))
        threads_[size_t(e.t)]->answered_gen = e.gen;
  for (const event& e : batch) {
    if (!live(e))
      continue;  // an answer to a replaced order, or a timer for a moved deadline
    ++events_;
    if (e.kind == event_kind::os_timer)
      os_timer_fired(os_timer_base - e.t);
    else
      handle(e, *threads_[size_t(e.t)]);
    if (stopped_)
      return;
  }
  if (past_a_limit())
    return;
  serve_waiters();
  cpu_->decide();
  arm_policy_timer();
  check_deadlock();
}

// The bounds on a run's events and on its wall time (read every 1024 steps: a step takes about a
// microsecond, so the bound is overrun by a millisecond at most); each stop names its option.
bool os_core::past_a_limit()
{
  if (events_ > limits_.max_events) {
    const bool by_default = limits_.max_events == run_limits::default_max_events;
    stop(stop_kind::limit,
         fmt::format("limit reached: {} {} at simulated time {:g} s",
                     by_default ? "the default bound on events, --max-events" : "--max-events",
                     limits_.max_events, to_seconds(now_)) +
             (by_default ? " (give a larger --max-events to run longer)" : ""));
    return true;
  }
  if ((++batches_ & 1023) != 0)
    return false;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0_).count();
  if (!(wall > limits_.max_wall))
    return false;
  const bool by_default = limits_.max_wall == run_limits::default_max_wall;
  stop(stop_kind::limit,
       by_default ? fmt::format("limit reached: the default bound on wall time, --max-wall {:g} s, "
                                "passed at simulated time {:g} s (give a larger --max-wall to "
                                "run longer)",
                                limits_.max_wall, to_seconds(now_))
                  : fmt::format("limit reached: --max-wall {:g} s of wall time, passed at "
                                "simulated time {:g} s",
                                limits_.max_wall, to_seconds(now_)));
  return true;
}

// The look-ahead's run alone: the driver hands the OS a batch of one event, the end of thread
// t's run, and promises that nothing else will come before `limit` (no other order's answer, no
// timer). After that step, while t's next order is again a run that ends before `limit` and no
// step since gave another thread an order, took one back or moved a timer (so the promise
// stands), the OS takes the steps of t's run ends itself, one after another, with no batch to
// build and no driver to ask: the same steps in the same order, each counted as an event (a run
// order it answers that the step did not replace is withdrawn, so the driver never answers it). A
// step whose world is quiet (no tick at that instant, no arrivals, no listener, no policy
// timer) is the run end and the dispatch pass alone; any other goes through run_batch whole. A
// thread walking a queue item by item holding its GIL thus costs no engine work per item.
void os_core::run_alone(ns_t now, std::vector<event>& batch, ns_t limit)
{
  sim_thread& t = *threads_[size_t(batch.front().t)];
  alone_ = t.id;
  disturbed_ = false;
  run_batch(now, batch);
  // When no queue's items arrive over time, no thread ever waits for a queue's next item:
  // serve_waiters does nothing.
  const bool quiet = observers_.empty() && !cpu_->fluid() && !requests_arrive() &&
                     !policy_->uses_timer();
  while (!stopped_ && !disturbed_ && t.exec_active && t.core >= 0) {
    if (quiet && walk_runs(t, limit))
      continue;  // it took some run ends itself (os_walk.cpp), and stopped before this one
    const ns_t at = t.exec_start + t.exec_overhead + t.exec_run;
    if (!(at < limit))
      break;
    const std::uint64_t answered = t.order_gen;
    batch.assign(1, {t.exec_class, t.id, 0, event_kind::exec_done, answered});
    if (!quiet || !quiet_step(t, at))
      run_batch(at, batch);
    if (t.order_gen == answered)  // answered here and not replaced: the driver must drop it
      driver_.withdraw(t.id);
  }
  alone_ = no_thread;
}

// The step of t's run end at `at` when nothing else happens then: run_batch's own path for a
// batch of that one event, less what is sure to do nothing (the sort, the queue waiters, the
// policy timer, none of which can act in a quiet world). False, and nothing done, when the step
// is not that quiet.
bool os_core::quiet_step(sim_thread& t, ns_t at)
{
  if (events_ >= limits_.max_events || (events_ & 1023) == 0)
    return false;  // the limit's stop, or a whole step now and then for the wall-time bound
  if (cpu_->next_tick(at) == at)
    return false;  // a slice boundary falls here too
  now_ = std::max(now_, at);
  ++events_;
  cpu_->run_done(t);
  if (stopped_)
    return true;
  cpu_->decide();
  check_deadlock();
  return true;
}

void os_core::os_timer_fired(int id)
{
  set_os_timer(id, forever);  // fired: a model sets the next one
  if (id == policy_timer()) {
    cpu_->charge_running();  // a boost at the end of a turn comes after that turn ends
    policy_->on_timer(to_seconds(now_));
  }
  else
    gil_timer_fired(id);
}

// A policy that keeps a timer of its own is asked for its next deadline after every step.
void os_core::arm_policy_timer()
{
  if (policy_->uses_timer())
    set_os_timer(policy_timer(), to_ns(policy_->next_timer(to_seconds(now_))));
}

void os_core::set_os_timer(int id, ns_t at)
{
  ns_t& deadline = timers_[size_t(id)];
  if (at == deadline)
    return;
  // An earlier deadline must cut the timer's wait short; a later one (or none) it finds itself
  // when it wakes for the old one.
  bool earlier = at < deadline;
  deadline = at;
  disturbed_ = true;  // a run alone ends here: its bound counted with the old deadline
  driver_.set_timer(id, at, earlier);
}

void os_core::handle(const event& e, sim_thread& t)
{
  switch (e.kind) {
    case event_kind::arrival:
    case event_kind::timer:
      if (t.state == os_state::arriving) {  // its process starts (now, or at its start timer)
        t.start = now_;
        t.state = os_state::blocked;  // nothing yet: advance() moves it on
        t.blocked_by = block_kind::none;
      } else if (t.blocked_by == block_kind::gil) {
        gil_timer(t);
        break;
      } else {
        if (t.waiting_queue)  // woken for a request's arrival
          leave_queue_wait(t);
        if (t.blocked_by == block_kind::io && is_python(t))
          t.io_done_at = now_;  // the start of a convoy sample, if Python work follows
        end_block(t);
      }
      advance(t);
      break;
    case event_kind::exec_done:
      cpu_->run_done(t);
      break;
    case event_kind::os_timer:
      GILSIM_ASSERT(false, "OS timer events are handled by the OS, before threads' events");
      break;
    case event_kind::tick:
      cpu_->tick(t);
      break;
  }
}

void os_core::check_deadlock()
{
  if (stopped_ || blocked_on_lock_ == 0)
    return;
  if (blocked_on_lock_ + done_ < int(threads_.size()))
    return;
  stop(stop_kind::deadlock, describe_deadlock());
}

// Who holds what and who waits for what, following the wait-for chain from the first waiter.
std::string os_core::describe_deadlock() const
{
  std::string out =
      fmt::format("deadlock at {:g} s: every live thread waits for a lock", to_seconds(now_));
  for (const auto& t : threads_) {
    if (t->state != os_state::blocked || t->blocked_by != block_kind::lock)
      continue;
    const auto& l = locks_[size_t(t->waiting_lock)];
    std::string held;
    for (size_t i = 0; i < locks_.size(); ++i)
      if (locks_[i].model->held_by(t->id))
        held += (held.empty() ? "" : ", ") + locks_[i].name;
    // A queue, a condition's wait, a barrier or an event: what it waits for, not a holder.
    if (std::string what = l.model->waits_for(t->id); !what.empty()) {
      out += fmt::format("\n  {} holds [{}] and waits on {} {} for {}", t->spec->name, held,
                         sc_.locks[size_t(t->waiting_lock)].kind.name, l.name, what);
      continue;
    }
    std::string holders;
    for (thread_id h : l.model->holders())
      holders += (holders.empty() ? "" : ", ") + threads_[size_t(h)]->spec->name +
                 (threads_[size_t(h)]->state == os_state::done ? " (finished)" : "");
    out += fmt::format("\n  {} holds [{}] and waits for {} held by [{}]", t->spec->name, held,
                       l.name, holders);
  }
  return out;
}

void os_core::stop(stop_kind why, const std::string& message)
{
  if (stopped_)
    return;
  stopped_ = true;
  stop_kind_ = why;
  stop_message_ = message;
  if (why != stop_kind::finished)
    makespan_ = now_;
}

// ---- the public face

simulated_os::simulated_os(const scenario& sc, const run_limits& limits, os_driver& driver,
                           std::vector<run_observer*> observers)
    : core_(std::make_unique<os_core>(sc, limits, driver, std::move(observers)))
{
}
simulated_os::~simulated_os() = default;

bool simulated_os::fluid() const { return core_->cpu_->fluid(); }
int simulated_os::thread_count() const { return int(core_->threads_.size()); }
int simulated_os::timer_count() const { return int(core_->timers_.size()); }
bool simulated_os::timer_used(int id) const
{
  if (id == core_->policy_timer())
    return core_->policy_->uses_timer();
  return core_->processes_[size_t(id)].gil != nullptr;
}
const std::string& simulated_os::thread_name(thread_id t) const
{
  return core_->threads_[size_t(t)]->spec->name;
}
std::uint64_t simulated_os::order_gen(thread_id t) const
{
  return core_->threads_[size_t(t)]->order_gen;
}
std::vector<event> simulated_os::begin(ns_t now) { return core_->begin(now); }
void simulated_os::step(ns_t now, std::vector<event>& batch) { core_->run_batch(now, batch); }
void simulated_os::step_alone(ns_t now, std::vector<event>& batch, ns_t limit)
{
  core_->run_alone(now, batch, limit);
}
void simulated_os::stop(stop_kind why, const std::string& message, ns_t now)
{
  core_->now_ = std::max(core_->now_, now);
  core_->stop(why, message);
}
bool simulated_os::stopped() const { return core_->stopped_; }
ns_t simulated_os::now() const { return core_->now_; }
run_report simulated_os::end()
{
  run_report r = core_->make_report();
  for (auto* o : core_->observers_)
    o->finished(to_seconds(core_->makespan_));
  return r;
}

}  // namespace gilsim
