// The OS's figures and its listeners: what each state change tells the observers, and the
// report at the end of a run.
#include "sim/os/os_core.hpp"

namespace gilsim {

namespace {
trace_state shown_state(const sim_thread& t)
{
  switch (t.state) {
    case os_state::running: return trace_state::running;
    case os_state::ready: return trace_state::ready;
    case os_state::done: return trace_state::done;
    case os_state::arriving: return trace_state::idle;
    case os_state::blocked:
      switch (t.blocked_by) {
        case block_kind::io: return trace_state::io;
        case block_kind::sleep: return trace_state::sleep;
        case block_kind::lock: return trace_state::lock_wait;  // named by tell_state
        case block_kind::gil: return trace_state::gil_wait;
        case block_kind::none: return trace_state::idle;
      }
  }
  return trace_state::idle;
}
}  // namespace

void os_core::tell_state(const sim_thread& t)
{
  trace_state s = shown_state(t);
  const double now = to_seconds(now_);
  if (s == trace_state::lock_wait && t.waiting_queue)
    s = trace_state::work_wait;  // for its work queue's next request to arrive
  if (s == trace_state::lock_wait && t.waiting_lock >= 0) {
    const lock_role role = locks_[size_t(t.waiting_lock)].role;
    s = role == lock_role::event_loop ? trace_state::loop_wait
        : role == lock_role::join     ? trace_state::join_wait
                                      : trace_state::lock_wait;
    for (auto* o : observers_)
      o->lock_waited(now, t.id, t.waiting_lock);
  }
  for (auto* o : observers_)
    o->state_changed(now, t.id, s, s == trace_state::running ? t.core : -1);
}

void os_core::note_lock(int index)
{
  lock_state& l = locks_[size_t(index)];
  if (!l.model->holdable())
    return;
  std::vector<thread_id> now = l.model->holders();
  if (now == l.told)
    return;
  l.told = now;
  for (auto* o : observers_)
    o->lock_holders(to_seconds(now_), index, now);
}

void os_core::note_gil(const sim_thread& t, bool holds)
{
  for (auto* o : observers_)
    o->gil_changed(to_seconds(now_), t.process, holds ? t.id : -1);
}

void os_core::tell_started() const
{
  if (observers_.empty())
    return;
  run_setup setup;
  setup.scenario = sc_.name;
  setup.cores = sc_.machine.cores;
  setup.fluid = cpu_->fluid();
  setup.seed = sc_.seed;
  for (size_t p = 0; p < sc_.processes.size(); ++p) {
    setup.processes.push_back(sc_.processes[p].name);
    const gil_model* g = processes_[p].gil.get();
    setup.has_gil.push_back(g && g->needed(cpu_mode::python));
  }
  for (const auto& t : threads_)
    setup.threads.push_back({t->spec->name, t->process});
  for (const auto& l : locks_)
    setup.locks.push_back({l.name, int(l.role), l.model->holdable()});
  for (auto* o : observers_)
    o->started(setup);
}

run_report os_core::make_report() const
{
  run_report r;
  r.scenario = sc_.name;
  r.policy = sc_.scheduler.name;
  r.core_count = sc_.machine.cores;
  r.seed = sc_.seed;
  r.makespan_s = to_seconds(makespan_);
  r.events = events_;
  r.status = stop_kind_ == stop_kind::finished ? "ok"
             : stop_kind_ == stop_kind::deadlock ? "deadlock"
                                                  : "limit";
  r.message = stop_message_;
  for (const auto& t : threads_) {
    thread_report tr;
    tr.name = t->spec->name;
    tr.process = sc_.processes[size_t(t->process)].name;
    tr.daemon = t->spec->daemon;
    tr.start_s = to_seconds(t->start);
    tr.first_run_s = t->first_run < 0 ? -1 : to_seconds(t->first_run);
    tr.end_s = to_seconds(t->state == os_state::done ? t->end : makespan_);
    tr.cpu_s = to_seconds(t->cpu);
    tr.io_s = to_seconds(t->io);
    tr.sleep_s = to_seconds(t->sleep);
    tr.ready_wait_s = to_seconds(t->ready_wait);
    tr.gil_wait_s = to_seconds(t->gil_wait);
    tr.lock_wait_s = to_seconds(t->lock_wait);
    tr.context_switches = t->context_switches;
    tr.gil_acquisitions = t->gil_acquisitions;
    r.threads.push_back(tr);
  }
  r.cores = cpu_->core_figures(makespan_);
  for (const auto& g : sc_.machine.groups) {
    group_report gr{g.name, g.count, sc_.machine.speed * g.speed};
    for (const auto& c : r.cores)
      if (c.group == g.name)
        gr.busy_s += c.busy_s;
    gr.utilization = makespan_ > 0 ? gr.busy_s / (g.count * to_seconds(makespan_)) : 0;
    r.groups.push_back(gr);
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
  r.latency = latency_figures();
  return r;
}

}  // namespace gilsim
