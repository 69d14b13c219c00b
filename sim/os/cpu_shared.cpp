// The CPU backend of processor sharing (ps): every thread that wants CPU runs at once on one
// shared N-core host, and the driver (SimGrid's fluid model) decides how fast each goes. A run
// is as long as the work, or as the Python execution left before a pending GIL check; there is
// nothing to dispatch, no slices and no preemption.
#include "sim/os/os_core.hpp"

#include <algorithm>
#include <cmath>

namespace gilsim {

namespace {

class shared_host_cpu final : public cpu_backend {
public:
  shared_host_cpu(os_core& os, int cores) : cpu_backend(os), cores_(cores) {}

  bool fluid() const override { return true; }

  void want_cpu(sim_thread& t) override
  {
    if (t.state == os_state::ready)
      t.ready_wait += os_.now_ - t.since;
    t.state = os_state::running;
    if (t.first_run < 0)
      t.first_run = os_.now_;
    os_.note(t);
    if (!os_.take_gil(t))
      return;
    issue_run(t);
  }

  void run_done(sim_thread& t) override
  {
    t.exec_active = false;
    charge(t, t.exec_run);
    if (t.exec_completes)
      t.remaining = 0;
    if (os_.gil_check_due(t))
      return;
    if (t.exec_completes)
      os_.advance(t);
    else
      issue_run(t);
  }

  void check_after(sim_thread& t, ns_t delay) override
  {
    if (answered(t)) {
      settle(t);  // its answer, later in this batch, goes on from here
      t.gil_check_left = delay;
      return;
    }
    interrupt(t);
    t.gil_check_left = delay;
    issue_run(t);
  }

  void change_rate(sim_thread& t, double factor) override
  {
    if (answered(t)) {
      settle(t);  // done at the old rate; its answer, later in this batch, goes on
      t.slowdown = factor;
      return;
    }
    interrupt(t);
    t.slowdown = factor;
    issue_run(t);
  }

  void add_ticks(std::vector<event>&) override {}
  void tick(sim_thread&) override {}
  void decide() override {}
  void leave(sim_thread&) override {}

  std::vector<core_report> core_figures(ns_t makespan) const override
  {
    std::vector<core_report> out;
    for (int c = 0; c < cores_; ++c) {
      core_report cr;
      cr.id = c;
      cr.busy_s = to_seconds(busy_) / cores_;
      cr.utilization = makespan > 0 ? cr.busy_s / to_seconds(makespan) : 0;
      out.push_back(cr);
    }
    return out;
  }

private:
  void issue_run(sim_thread& t)
  {
    ns_t work = round_ns(t.remaining * t.slowdown / os_.sc_.machine.speed);
    ns_t run = t.checks_gil ? std::min(work, t.gil_check_left) : work;
    t.exec_start = os_.now_;
    t.exec_run = run;
    t.exec_overhead = 0;
    t.exec_accounted = 0;
    t.exec_completes = run >= work;
    t.exec_active = true;
    os_.give_order(t, {order_kind::run, shared_host, run,
                       t.exec_completes ? class_release : class_slice});
  }

  // Has t's run ended at this instant, its answer still to come in this batch? Then there is
  // nothing to stop: taking it back would lose its work.
  bool answered(const sim_thread& t) const
  {
    return t.exec_active && t.answered_gen == t.order_gen;
  }

  // Charges such a run now, so that what changes at this instant (a GIL check's delay, a rate)
  // counts from here; its answer then charges nothing more and carries on.
  void settle(sim_thread& t)
  {
    charge(t, t.exec_run);
    t.exec_start = os_.now_;
    t.exec_run = 0;
  }

  // Stops t's run: the driver knows how much of it is left.
  void interrupt(sim_thread& t)
  {
    ns_t left = os_.driver_.run_left(t.id);
    if (left == forever)
      left = t.exec_run;  // not under way yet
    os_.take_back_run(t);
    charge(t, std::clamp(t.exec_run - left, ns_t(0), t.exec_run));
  }

  // Charges `done` seconds of t's work; the rest of the run's time so far it waited for its
  // share of the cores.
  void charge(sim_thread& t, ns_t done)
  {
    t.ran(done, os_.sc_.machine.speed);
    t.ready_wait += std::max(ns_t(0), (os_.now_ - t.exec_start) - done);
    busy_ += done;
  }

  int cores_;
  ns_t busy_ = 0;
};

}  // namespace

std::unique_ptr<cpu_backend> make_shared_host(os_core& os, int cores)
{
  return std::make_unique<shared_host_cpu>(os, cores);
}

}  // namespace gilsim
