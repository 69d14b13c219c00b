// Programs and thread states: walking a thread's program, blocking and waking, lock hand-offs,
// the work queues and the prime kernel's cost, and the orders that carry it all out.
#include "sim/os/os_core.hpp"

#include "models/cost/kernel_cost.hpp"
#include "models/cost/prime_work.hpp"

#include <algorithm>

namespace gilsim {

// Orders are only written during a step: the driver carries them out once the step is over.
void os_core::give_order(sim_thread& t, order o)
{
  if (t.id != alone_)
    disturbed_ = true;  // an order of another thread: a run alone stops here (run_alone)
  o.gen = ++t.order_gen;
  o.issued = now_;
  if (o.kind == order_kind::sleep)
    o.until = now_ + o.duration;
  driver_.give(t.id, o);
}

// Withdraws t's run order wherever it stands: whatever the old order still posts is stale.
void os_core::take_back_run(sim_thread& t)
{
  if (t.id != alone_)
    disturbed_ = true;
  driver_.withdraw(t.id);
  ++t.order_gen;
  t.exec_active = false;
}

// Walks t's program from where it stands through every step that takes no time (the lock
// steps that do not block) to the next one that does, or to its end.
void os_core::advance(sim_thread& t)
{
  for (;;) {
    const step* s =
        t.cursor.next([&](const std::string& q) { return take_chunk(t, q); },
                      [this](const std::string& q, const chunk_range& c) { chunk_finished(q, c); });
    if (!s && t.cursor.waiting()) {  // for the next request to arrive (serve_waiters wakes it)
      block(t, block_kind::lock);
      return;
    }
    if (!s) {
      finish(t);
      return;
    }
    switch (s->kind) {
      case step_kind::cpu: {
        gil_model* g = gil_of(t);
        t.remaining = work_ns(t, *s, step_seconds(*s));
        t.mode = s->mode;
        t.needs_gil = g && g->needed(s->mode);
        t.checks_gil = t.needs_gil && s->mode == cpu_mode::python;
        if (g && !t.needs_gil && g->holds(t.id))
          release_gil(t);  // C code that releases the GIL around itself
        cpu_->want_cpu(t);
        return;
      }
      case step_kind::io:
      case step_kind::sleep: {
        const ns_t d = blocked_ns(t, *s);
        block(t, s->kind == step_kind::io ? block_kind::io : block_kind::sleep);
        give_order(t, {order_kind::sleep, shared_host, d, class_timer});
        return;
      }
      default:  // a lock step
        if (lock_step(t, *s))
          continue;
        return;
      case step_kind::repeat:
      case step_kind::for_each:
        GILSIM_ASSERT(false, "the cursor never returns a repeat or for_each step");
    }
  }
}

// A step on a user lock: true when t goes on at once, false when it blocked. A thread that
// blocks is blocked before the threads its step woke move on (a condition's wait hands its lock
// on and waits in one step); each woken thread is told as a hand-off from t.
bool os_core::lock_step(sim_thread& t, const step& s)
{
  const int index = lock_index_.at(s.lock);
  auto& l = locks_[size_t(index)];
  const auto op = lock_op_of(s.kind);
  GILSIM_ASSERT(op.has_value(), "only lock steps come here");
  GILSIM_ASSERT(*op != lock_op::unlock || l.model->held_by(t.id),
                "the loader rejects an unlock of a lock not held");
  lock_outcome o = l.model->act(*op, t.id);
  if (!observers_.empty())
    note_lock(index);
  if (l.resolution > 0 && timer_wait(t, s, index, o))
    return false;
  if (!o.goes_on) {
    t.waiting_lock = index;  // before the state change, which tells what it waits on
    block(t, block_kind::lock);
    ++blocked_on_lock_;
  }
  for (thread_id w : o.woken) {
    for (auto* obs : observers_)
      obs->lock_handed(to_seconds(now_), l.name, t.id, w);
    lock_granted(*threads_[size_t(w)]);
  }
  return o.goes_on;
}

// An event loop's timers (a lock with a timer_resolution). When the loop goes idle (its lock
// freed with nobody waiting), asyncio's selector waits for the first timer, the wait rounded up
// to a whole multiple of the resolution (epoll: milliseconds), and then as long as such a wait
// takes (the interpreter's asyncio.sleep table, measured with one task whose loop goes idle at
// once; none: exactly). A task resumed by that timer (a lock step by_timer) that finds the loop
// idle therefore holds it from now but goes on only when the loop's wait ends; the timers due
// meanwhile queue behind it, as the loop runs them in turn. True: t waits so.
bool os_core::timer_wait(sim_thread& t, const step& s, int index, const lock_outcome& o)
{
  lock_state& l = locks_[size_t(index)];
  const ns_t idle = l.free_since;
  if (s.kind == step_kind::unlock)
    l.free_since = o.woken.empty() && l.model->holders().empty() ? now_ : -1;
  else if (s.kind == step_kind::lock && o.goes_on)
    l.free_since = -1;
  if (s.kind != step_kind::lock || !s.by_timer || !o.goes_on || idle < 0)
    return false;
  const ns_t rounded = (now_ - idle + l.resolution - 1) / l.resolution * l.resolution;
  const auto& python = sc_.processes[size_t(t.process)].python;
  const ns_t wake = idle + to_ns(python.asyncio_sleep_taken(to_seconds(rounded)));
  if (wake <= now_)
    return false;
  t.waiting_lock = index;  // the state it shows: waiting for the loop
  block(t, block_kind::lock);
  t.waiting_lock = -1;  // not in the lock's queue: its wait ends at the loop's wake
  give_order(t, {order_kind::sleep, shared_host, wake - now_, class_release});
  return true;
}

// A waiter was handed a lock (or an item, a notify, a barrier's opening, an event): it can go
// on once the wake-up latency has passed.
void os_core::lock_granted(sim_thread& w)
{
  GILSIM_ASSERT(w.state == os_state::blocked && w.blocked_by == block_kind::lock,
                "only a thread waiting for a lock is handed one");
  --blocked_on_lock_;
  const ns_t wakeup = locks_[size_t(w.waiting_lock)].wakeup;
  w.waiting_lock = -1;
  if (wakeup > 0) {
    give_order(w, {order_kind::sleep, shared_host, wakeup, class_release});
  } else {
    end_block(w);
    advance(w);
  }
}

void os_core::finish(sim_thread& t)
{
  release_gil(t);
  cpu_->leave(t);
  t.state = os_state::done;
  t.end = now_;
  note(t);
  give_order(t, {order_kind::exit, shared_host, 0, 0});
  ++done_;
  if (!t.spec->daemon && --live_non_daemon_ == 0) {
    makespan_ = now_;
    stop(stop_kind::finished, "");
  }
}

void os_core::block(sim_thread& t, block_kind why)
{
  release_gil(t);
  cpu_->leave(t);
  t.state = os_state::blocked;
  t.blocked_by = why;
  t.since = now_;
  note(t);
}

// The end of a blocked period: charge its time to the right figure.
void os_core::end_block(sim_thread& t)
{
  ns_t d = now_ - t.since;
  switch (t.blocked_by) {
    case block_kind::io: t.io += d; break;
    case block_kind::sleep: t.sleep += d; break;
    case block_kind::lock: t.lock_wait += d; break;
    case block_kind::gil: t.gil_wait += d; break;
    case block_kind::none: break;
  }
  t.blocked_by = block_kind::none;
  t.since = now_;
}

void os_core::make_ready(sim_thread& t, ready_reason why)
{
  t.state = os_state::ready;
  t.since = now_;
  note(t);
  policy_->on_ready(t.id, why, to_seconds(now_));
}

double os_core::work_ns(const sim_thread& t, const step& s, double seconds)
{
  const gil_model* g = gil_of(t);
  double work = double(to_ns(seconds)) + (s.kernel.prime ? kernel_seconds(t, s) * 1e9 : 0.0);
  return work * (g ? g->work_factor(s.mode) : 1.0);
}

// How long an io or sleep step blocks: time.sleep(d) in a Python process takes its
// interpreter's measured time (io is exact), and the machine's jitter spreads either by a draw
// from the process's stream (none is drawn without jitter).
ns_t os_core::blocked_ns(const sim_thread& t, const step& s)
{
  const bool slept = s.kind == step_kind::sleep && is_python(t);
  const double drawn = step_seconds(s);
  double d = slept ? sc_.processes[size_t(t.process)].python.sleep_taken(drawn) : drawn;
  if (sc_.machine.jitter > 0) {
    const double u = double(processes_[size_t(t.process)].view->draw(1ULL << 53)) * 0x1p-53;
    d *= 1 + sc_.machine.jitter * (2 * u - 1);
  }
  return to_ns(d);
}

// The prime kernel step's work on the reference core: the exact trial divisions of its numbers
// and the numbers themselves, at Python's or native cost.
double os_core::kernel_seconds(const sim_thread& t, const step& s)
{
  std::uint64_t first = s.kernel.first, last = s.kernel.last;
  if (!s.kernel.fixed_range) {
    auto c = t.cursor.current_chunk();
    GILSIM_ASSERT(c.has_value(), "the loader puts chunk kernel steps inside a for_each");
    std::tie(first, last) = *c;
  }
  bool python = is_python(t) && s.mode != cpu_mode::native;
  const auto& interp = sc_.processes[size_t(t.process)].python.prime;
  const kernel_cost& c = !python ? sc_.native_cost : interp ? *interp : sc_.python_cost;
  const work_kernel& k = kernel_named(s.kernel.name);
  if (first == last) {  // an item of a queue: kernel_range_seconds' sum of one term, directly
    const range_work w = k.one(first);
    const double per_division = c.by_bits.empty() ? c.per_division : c.division_at(bit_length(first));
    return double(w.divisions) * per_division + double(w.items) * c.per_item;
  }
  return kernel_range_seconds(c, first, last, [&](std::uint64_t a, std::uint64_t b) {
    return kernel_work(s.kernel.name, k, a, b);
  });
}

const work_kernel& os_core::kernel_named(const std::string& name)
{
  if (&name == last_kernel_name_)  // the same step's kernel as last time
    return *last_kernel_;
  auto& k = kernels_[name];
  if (!k) {
    const auto* e = kernel_registry::instance().find(name);
    GILSIM_ASSERT(e != nullptr, "the loader checks kernel names");
    k = e->make(default_values(e->params), kernel_context{});
  }
  last_kernel_name_ = &name;
  last_kernel_ = k.get();
  return *k;
}

// A kernel's work over [first, last], kept for the chunks that come again.
range_work os_core::kernel_work(const std::string& name, const work_kernel& k,
                                std::uint64_t first, std::uint64_t last)
{
  if (first == last)
    return k.one(first);
  const kernel_key key{name, first, last};
  if (auto it = work_cache_.find(key); it != work_cache_.end())
    return it->second;
  const range_work w = k.work(first, last);
  work_cache_.emplace(key, w);
  return w;
}

}  // namespace gilsim
