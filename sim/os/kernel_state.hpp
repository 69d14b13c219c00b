// The kernel's private state: threads, cores, processes and the batch of pending events.
// Only sim/os/kernel.cpp includes this file.
#pragma once

#include "models/gil/gil_model.hpp"
#include "models/cost/prime_work.hpp"
#include "sim/os/kernel.hpp"
#include "sim/os/program.hpp"
#include "sim/os/observer.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <limits>
#include <map>
#include <random>
#include <memory>
#include <queue>
#include <string>
#include <vector>

namespace gilsim {

// Classes of same-time events, handled in this order (MODEL.md section 1).
constexpr int class_timer = 1;    // I/O and timer completions
constexpr int class_release = 2;  // lock releases, GIL drops, the wake-ups they cause; phase ends
constexpr int class_slice = 3;    // quantum / slice expiry
constexpr int class_arrival = 4;  // new threads
// class 5, dispatch of idle cores in core-id order, is the end of every step (kernel::decide).

enum class os_state { arriving, ready, running, blocked, done };
enum class block_kind { none, io, sleep, lock, gil };
enum class order_kind { none, run, sleep, exit };
enum class event_kind { arrival, timer, exec_done, tick, gil_timer };
// A GIL timer's event carries gil_timer_process - process in place of a thread id, so that at
// one instant it comes after the threads' own timer events.
constexpr int gil_timer_process = 1 << 30;

// What the kernel tells a thread actor to do next.
struct order {
  order_kind kind = order_kind::none;
  simgrid::s4u::Host* host = nullptr;  // run: where
  double flops = 0;                    // run: how much
  double seconds = 0;                  // sleep: how long
  int post_class = 0;                  // the class of the event posted when it is done
  std::uint64_t gen = 0;               // which order this is, to recognise stale answers
  // When it was given and when it will be done (simulated seconds; a run on the fluid host has
  // no date of its own). The look-ahead reads these to know what comes next.
  double issued = 0;
  double until = std::numeric_limits<double>::infinity();
};

// What a thread actor tells the kernel happened.
struct event {
  int cls = 0;
  thread_id t = no_thread;
  std::uint64_t seq = 0;
  event_kind kind = event_kind::timer;
  std::uint64_t gen = 0;
};

struct sim_thread {
  explicit sim_thread(const std::vector<step>& program) : cursor(program) {}

  thread_id id = no_thread;
  const thread_spec* spec = nullptr;
  int process = 0;
  program_cursor cursor;

  os_state state = os_state::arriving;
  block_kind blocked_by = block_kind::none;
  double since = 0;  // when the current ready / blocked period began
  int core = -1;
  bool ever_ran = false;
  int waiting_lock = -1;

  // The current CPU phase.
  double remaining = 0;  // work left, seconds on the reference core
  cpu_mode mode = cpu_mode::python;
  bool needs_gil = false;   // its process has a GIL and this phase needs it
  bool checks_gil = false;  // ... and runs Python that checks for drop requests
  double gil_check_left = std::numeric_limits<double>::infinity();  // Python CPU until a check
  bool gil_waking = false;  // signalled for the GIL, within its wake-up latency
  double io_done_at = -1;   // when its last I/O ended, until it has the GIL again (convoy)

  // The current exec on a core and the slice it belongs to.
  double run_start = 0;  // when its slice began (after any switch overhead)
  double slice_end = 0;  // when its slice ends; unlimited while nobody waits
  double exec_start = 0;
  double exec_overhead = 0;  // context-switch time at the head of the exec
  double exec_run = 0;       // the thread's own work in the exec, seconds on this core
  double exec_accounted = 0;  // how much of exec_run is already charged
  bool exec_completes = false;  // the exec ends the phase (rather than the slice)
  bool exec_active = false;     // an exec was ordered and has not ended
  double slowdown = 1;          // its work takes this many times longer (the GIL model says)
  double pending_overhead = 0;  // switch time still owed on the next exec

  // The actor and its mailbox of one order.
  simgrid::s4u::ActorPtr actor;
  simgrid::s4u::SemaphorePtr sem;
  simgrid::s4u::ExecPtr exec;
  order next_order;
  std::uint64_t order_gen = 0;
  bool to_signal = false;         // its semaphore is released at the end of this step
  bool cancel_requested = false;  // preempted while its actor was starting the exec
  std::uint64_t answered_gen = 0;  // the last run order its actor finished and answered
  // The order last handed to the actor (by flush) and when it will be done: while order_gen is
  // still flushed_gen, its answer is due at flushed_until.
  std::uint64_t flushed_gen = 0;
  double flushed_until = std::numeric_limits<double>::infinity();
  bool listed_out = false;  // in the kernel's list of orders out

  // Figures for the report.
  double start_s = 0, end_s = 0, cpu_s = 0, io_s = 0, sleep_s = 0, ready_wait_s = 0;
  double gil_wait_s = 0, lock_wait_s = 0;
  long context_switches = 0, gil_acquisitions = 0;
};

struct core_state {
  int id = 0;
  simgrid::s4u::Host* host = nullptr;
  thread_id current = no_thread;
  thread_id last = no_thread;  // the thread that ran here last: switching away from it costs
  double busy_s = 0;
  long switches = 0;
};

enum class stop_kind { finished, deadlock, limit };

class kernel final : public gil_host {
public:
  kernel(const scenario& sc, const run_limits& limits, std::vector<run_observer*> observers);
  ~kernel();
  run_report run();

private:
  struct lock_state {
    std::string name;
    std::unique_ptr<lock_model> model;
  };
  struct queue_state {
    const queue_spec* spec;
    std::uint64_t next;  // the first number not handed out yet
  };
  struct gil_timer_state {
    double deadline = std::numeric_limits<double>::infinity();
    simgrid::s4u::SemaphorePtr sem;
    bool to_signal = false;
  };
  struct process_state {
    process_report report;
    gil_timer_state timer;
    std::unique_ptr<gil_model> gil;  // null for native processes
    std::vector<double> convoy;      // I/O completion to GIL re-taken, seconds
  };

  // gil_host: what the GIL models may do to threads.
  double now() const override;
  void block_for_gil(thread_id t, double timeout) override;
  void wake(thread_id t) override;
  void request_check(thread_id holder, double cpu_delay) override;
  std::uint64_t draw(std::uint64_t n) override;
  void set_timer(int process, double at) override;
  bool running(thread_id t) const override;
  void resume(thread_id t) override;
  void set_slowdown(thread_id t, double factor) override;
  void gil_timer_main(int process);
  void gil_timer_fired(int process);

  void build_platform();
  void start_actors();
  void thread_main(sim_thread& t);
  void kernel_main();
  void post(event e);
  void give_order(sim_thread& t, order o);
  void flush();
  void handle_batch();
  void process_batch(std::vector<event>& batch);
  bool live(const event& e) const;
  bool look_ahead();
  void catch_up();
  void handle(const event& e, sim_thread& t);
  void add_tick_events(std::vector<event>& batch);

  void advance(sim_thread& t);
  void lock_granted(sim_thread& w);
  void finish(sim_thread& t);
  void block(sim_thread& t, block_kind why);
  void end_block(sim_thread& t);
  void want_cpu(sim_thread& t);
  void make_ready(sim_thread& t, ready_reason why);

  void dispatch(sim_thread& t, core_state& c);
  void issue_run(sim_thread& t);
  void account(sim_thread& t);
  void close_exec(sim_thread& t);
  void exec_finished(sim_thread& t);
  void slice_expired(sim_thread& t);
  void leave_core(sim_thread& t);
  double exec_end(const sim_thread& t) const;
  bool exec_due_now(const sim_thread& t) const;
  void interrupt(sim_thread& t);
  void take_back_run(sim_thread& t);
  void decide();
  void arm_slices();
  void check_deadlock();
  std::string describe_deadlock() const;
  void stop(stop_kind why, const std::string& message);
  run_report make_report() const;
  process_state make_process(const process_spec& ps, int index);
  std::optional<chunk_range> take_chunk(const std::string& name);
  double kernel_seconds(const sim_thread& t, const step& s);
  gil_model* gil_of(const sim_thread& t) const;
  bool is_python(const sim_thread& t) const;
  bool take_gil(sim_thread& t);
  void release_gil(sim_thread& t);
  bool gil_check_due(sim_thread& t);
  void gil_timer(sim_thread& t);
  void gil_wake_done(sim_thread& t);
  void issue_fluid_run(sim_thread& t);
  void note(const sim_thread& t);
  void note_gil(const sim_thread& t, bool holds);
  void fluid_interrupt(sim_thread& t);
  bool fluid_answered(const sim_thread& t) const;
  void fluid_settle(sim_thread& t);
  void fluid_account(sim_thread& t, double done);

  const scenario& sc_;
  run_limits limits_;
  std::vector<run_observer*> observers_;  // empty unless an output listens
  std::unique_ptr<sched_policy> policy_;
  bool fluid_ = false;
  std::vector<std::unique_ptr<sim_thread>> threads_;
  std::vector<core_state> cores_;
  std::vector<lock_state> locks_;
  std::map<std::string, int> lock_index_;
  std::vector<process_state> processes_;
  std::map<std::string, queue_state> queues_;
  std::map<chunk_range, range_work> work_cache_;

  simgrid::s4u::Host* shared_host_ = nullptr;  // ps: the one N-core host
  simgrid::s4u::Host* home_ = nullptr;         // where the actors live
  simgrid::s4u::SemaphorePtr kernel_sem_;
  bool kernel_signalled_ = false;
  std::vector<event> pending_;
  std::vector<thread_id> to_signal_;
  std::vector<thread_id> out_;  // threads whose order flush() handed out (some since answered)
  // The orders given since the last flush, earliest answer first (some since replaced).
  struct dated_order {
    double until;
    thread_id t;
    std::uint64_t gen;
    bool operator>(const dated_order& o) const
    {
      return until != o.until ? until > o.until : t > o.t;
    }
  };
  std::priority_queue<dated_order, std::vector<dated_order>, std::greater<>> dated_;
  std::vector<simgrid::s4u::ExecPtr> to_cancel_;
  std::uint64_t next_seq_ = 0;

  double now_ = 0;
  std::mt19937_64 rng_;
  std::uint64_t events_ = 0;
  int live_non_daemon_ = 0;
  int blocked_on_lock_ = 0;
  int done_ = 0;
  double fluid_busy_s_ = 0;
  double makespan_ = 0;
  bool stopped_ = false;
  stop_kind stop_kind_ = stop_kind::finished;
  std::string stop_message_;
};

}  // namespace gilsim
