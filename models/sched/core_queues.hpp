// The ready queues of fifo and rr: one FIFO queue for the whole machine (`queues: shared`, the
// default) or one per core (`queues: per_core`), threads' `affinity`, and work stealing.
//
// - shared: a free core takes the first queued thread that may run on it (its affinity).
// - per_core: a new thread joins the queue of the least loaded core it may run on (queued plus
//   running, ties to the lowest id); a thread whose slice ends, or that was preempted, goes
//   back to the queue of the core it ran on, a thread back from a wait to the one it last ran
//   on. A core takes only from its own queue.
// - stealing (per_core, `steal_every` > 0): at every multiple of steal_every, each core in id
//   order whose queue is empty looks at the core with the longest queue (ties to the lowest id)
//   and takes the first thread there that may run on it, into its own queue. A core running a
//   thread counts as empty if nothing waits for it, as the homework multi.py counts it (its
//   running job is not in its queue); with aligned slices, every thread whose quantum ends at
//   that instant is back in its queue by then, and may be taken. `steal_from: multi_py` is the
//   homework multi.py's peek instead, bug for bug: the core looks at one other core drawn at
//   random (CPython's generator seeded with the scenario's seed, one draw per empty queue, as
//   multi.py's random.choice with its -s) and takes the first thread there that has no
//   affinity, or whose working set or length in ticks (machine.tick) equals the core's id:
//   multi.py tests `cpu in job`, which looks at the job's fields, not at its affinity.
// - aligned slices (rr's `aligned`): quanta end at multiples of the quantum on the machine's
//   clock, as a timer tick ends them, whether or not anybody waits: every running thread queues
//   again (in the order of their cores, as multi.py's interrupt walks its CPUs) and the cores
//   take their next in id order.
#pragma once

#include "models/sched/python_random.hpp"
#include "models/sched/sched_policy.hpp"

#include <cstdint>
#include <deque>
#include <vector>

namespace gilsim {

struct core_queue_options {
  bool per_core = false;
  double steal_every = 0;  // seconds; 0: never
  bool aligned = false;
  bool multi_py_peek = false;  // steal_from: multi_py
};

// The declarations every queue policy shares: queues and steal_every (rr adds aligned).
std::vector<param_decl> core_queue_params();
core_queue_options core_queue_options_of(const param_values& p);

class core_queue_policy final : public sched_policy {
public:
  core_queue_policy(double slice, const core_queue_options& o, const sched_context& ctx);

  void add_thread(const sched_thread& t) override;
  void on_ready(thread_id t, ready_reason why, double now) override;
  thread_id pick_next(int core, double now) override;
  size_t ready_count() const override { return ready_; }
  void on_run(thread_id, double) override {}
  void on_stop(thread_id t, double now) override;
  void on_ran(thread_id, double) override {}
  double slice(thread_id) const override { return slice_; }
  void on_dispatch(thread_id t, int core) override;
  bool waits_for(int core) const override;
  void before_dispatch(double now) override;
  bool slices_aligned() const override { return opt_.aligned; }
  bool uses_timer() const override { return opt_.per_core && steal_ns_ > 0; }
  double next_timer(double now) const override;
  void on_timer(double now) override;

private:
  struct job {
    std::vector<int> affinity;  // empty: any core
    double working_set = 0;
    double ticks = -1;          // its length in ticks (-1: no tick, or no known length)
    int core = -1;              // the core it runs on or ran on last (-1: never ran)
    std::int64_t requeued_at = -1;  // when its slice last ended (aligned slices' order)
  };
  bool allowed(thread_id t, int core) const;
  std::deque<thread_id>& queue_of(int core) { return queues_[opt_.per_core ? size_t(core) : 0]; }
  const std::deque<thread_id>& queue_of(int core) const
  {
    return queues_[opt_.per_core ? size_t(core) : 0];
  }
  int least_loaded(thread_id t) const;
  void steal();
  bool multi_py_takes(thread_id t, int core) const;

  double slice_;
  core_queue_options opt_;
  std::int64_t steal_ns_;
  int cores_;
  std::vector<job> jobs_;
  std::vector<std::deque<thread_id>> queues_;  // one, or one per core
  std::vector<thread_id> running_;             // by core
  size_t ready_ = 0;
  std::int64_t steal_due_ = -1;  // the instant a steal is due at the end of its step
  double tick_;
  python_random draws_;  // steal_from: multi_py
};

}  // namespace gilsim
