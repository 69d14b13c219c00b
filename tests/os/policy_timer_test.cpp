// A policy's own timer: a test policy, registered here, runs threads in FIFO order and takes
// the running thread off its core at every 10 ms tick of its timer if another one waits. Under
// the test driver (no SimGrid) two 20 ms jobs on one core then share it as round robin would.
#include "tests/os/test_driver.hpp"

#include "models/sched/sched_policy.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>

using namespace gilsim;

namespace {

class tick_policy final : public sched_policy {
public:
  void add_thread(const sched_thread&) override {}
  void on_ready(thread_id t, ready_reason, double) override { ready_.push_back(t); }
  thread_id pick_next(int, double) override
  {
    if (ready_.empty())
      return no_thread;
    thread_id t = ready_.front();
    ready_.pop_front();
    return t;
  }
  size_t ready_count() const override { return ready_.size(); }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id, double) override {}
  void on_ran(thread_id, double) override {}
  double slice(thread_id) const override { return unlimited; }
  bool uses_timer() const override { return true; }
  // The next multiple of 10 ms after now.
  double next_timer(double now) const override { return (std::floor(now * 100 + 1e-6) + 1) / 100; }
  void on_timer(double) override { tick_ = true; }
  thread_id preempt_victim(const std::vector<thread_id>& running) const override
  {
    if (!tick_ || running.empty() || ready_.empty())
      return no_thread;
    tick_ = false;
    return running.front();
  }

private:
  std::deque<thread_id> ready_;
  mutable bool tick_ = false;
};

const bool registered = sched_registry::add({
    "test_tick",
    "a test policy: FIFO, and a 10 ms tick of its own timer that takes the running thread off",
    {},
    [](const param_values&, const sched_context&) { return std::make_unique<tick_policy>(); },
});

}  // namespace

TEST_CASE("os: a policy's own timer takes effect at its deadlines", "[os]")
{
  test::change_log log;
  auto r = test::run_without_simgrid(R"(
machine: {cores: 1, context_switch: 0}
scheduler: {policy: test_tick}
processes:
  - {name: p, runtime: native, threads: [{name: a, program: [{cpu: 20ms}]},
                                         {name: b, program: [{cpu: 20ms}]}]}
)", &log);
  // Tick at 10: b waits, a goes; tick at 20: a waits, b goes; a ends at 30; at the tick at 30
  // nobody waits, and b ends at 40.
  CHECK(log.only({"running", "done"}) ==
        std::vector<std::string>{"0ms a running@0", "10ms b running@0", "20ms a running@0",
                                 "30ms a done", "30ms b running@0", "40ms b done"});
  CHECK(r.makespan_s == Approx(0.04).margin(1e-12));
}
