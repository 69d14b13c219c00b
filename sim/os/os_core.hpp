// The OS's private state and rules: threads, cores, processes, locks and the batch in hand.
// Only sim/os/*.cpp include this file. The rules are split by concern: os_batch.cpp (a step:
// event order, liveness, limits, deadlock), os_threads.cpp (programs and thread states),
// cpu_cores.cpp and cpu_shared.cpp (the two CPU backends), os_gil.cpp (the GIL models' host),
// os_report.cpp (figures and listeners).
#pragma once

#include "models/cost/prime_work.hpp"
#include "models/cost/work_kernel.hpp"
#include "models/gil/gil_model.hpp"
#include "models/lock/lock_model.hpp"
#include "sim/os/os.hpp"
#include "sim/os/program.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace gilsim {

enum class os_state { arriving, ready, running, blocked, done };
enum class block_kind { none, io, sleep, lock, gil };


struct sim_thread {
  explicit sim_thread(const std::vector<step>& program) : cursor(program) {}

  thread_id id = no_thread;
  const thread_spec* spec = nullptr;
  int process = 0;
  program_cursor cursor;

  os_state state = os_state::arriving;
  block_kind blocked_by = block_kind::none;
  ns_t since = 0;  // when the current ready / blocked period began
  int core = -1;
  bool ever_ran = false;
  ns_t first_run = -1;  // when it was first put on a core (-1: never), for its response time
  int waiting_lock = -1;
  const std::string* waiting_queue = nullptr;  // waits for its work queue's next arrival

  // The current CPU phase.
  double remaining = 0;  // work left, nanoseconds on the reference core (whole unless scaled)
  cpu_mode mode = cpu_mode::python;
  bool needs_gil = false;   // its process has a GIL and this phase needs it
  bool checks_gil = false;  // ... and runs Python that checks for drop requests
  ns_t gil_check_left = forever;  // Python CPU until a check
  bool gil_waking = false;  // signalled for the GIL, within its wake-up latency
  ns_t io_done_at = -1;     // when its last I/O ended, until it has the GIL again (convoy)

  // The current run on a core and the slice it belongs to.
  ns_t run_start = 0;  // when its slice began (after any switch overhead)
  ns_t slice_end = 0;  // when its slice ends; forever while nobody waits
  ns_t exec_start = 0;
  ns_t exec_overhead = 0;   // context-switch time at the head of the run
  ns_t exec_run = 0;        // the thread's own work in the run, on this core
  ns_t exec_accounted = 0;  // how much of exec_run is already charged
  bool exec_completes = false;  // the run ends the phase (rather than the slice)
  bool exec_active = false;     // a run was ordered and has not ended
  int exec_class = class_release;  // the class of the event that answers it
  bool exec_warm = false;       // the run is warm in its core's cache (machine.cache)
  double slowdown = 1;          // its work takes this many times longer (the GIL model says)
  ns_t pending_overhead = 0;    // switch time still owed on the next run

  std::uint64_t order_gen = 0;     // the current order; answers to older ones are stale
  std::uint64_t answered_gen = 0;  // shared host: the last run answered in the batch in hand

  // `done` of its own work ran on a core of `speed`: its CPU time, the work left and the
  // Python left before a pending GIL check (both backends charge work this way).
  void ran(ns_t done, double speed)
  {
    cpu += done;
    remaining = std::max(0.0, remaining - double(done) * speed / slowdown);
    if (checks_gil && gil_check_left != forever)
      gil_check_left = std::max(ns_t(0), gil_check_left - done);
  }

  // A run ordered now: `overhead` of context switch, then `run` of its own work, which ends the
  // phase when `completes`; the event of class `cls` answers it.
  void start_run(ns_t now, ns_t overhead, ns_t run, bool completes, int cls)
  {
    exec_start = now;
    exec_overhead = overhead;
    exec_run = run;
    exec_accounted = 0;
    pending_overhead = 0;
    exec_completes = completes;
    exec_active = true;
    exec_class = cls;
  }

  // Figures for the report.
  ns_t start = 0, end = 0, cpu = 0, io = 0, sleep = 0, ready_wait = 0, gil_wait = 0, lock_wait = 0;
  long context_switches = 0, gil_acquisitions = 0;
};

class os_core;

// Where threads run: dedicated cores (each its own host and speed) or one shared host that
// SimGrid's fluid model divides among them (ps). The OS's rules call these at the points where
// the two differ; everything else is common.
class cpu_backend {
public:
  explicit cpu_backend(os_core& os) : os_(os) {}
  virtual ~cpu_backend() = default;
  virtual bool fluid() const = 0;
  // t's CPU phase is ready to go (its GIL and lock permitting): run it, or queue it.
  virtual void want_cpu(sim_thread& t) = 0;
  // t's run order was answered.
  virtual void run_done(sim_thread& t) = 0;
  // t, running Python, must reach a GIL check after `delay` of its own execution.
  virtual void check_after(sim_thread& t, ns_t delay) = 0;
  // t, running, works `factor` times slower from now on; the work done so far is charged at the
  // old rate.
  virtual void change_rate(sim_thread& t, double factor) = 0;
  // Events this instant owes without a timer (slice boundaries of threads running alone).
  virtual void add_ticks(std::vector<event>& batch) = 0;
  // The first instant from `from` on at which add_ticks would add one (forever: none).
  virtual ns_t next_tick(ns_t from) const { (void)from; return forever; }
  // The end of every step: dispatch, preemption and slices.
  virtual void decide() = 0;
  // Charges every running thread's CPU up to now, so that the policy's timer sees fresh figures.
  virtual void charge_running() {}
  // t leaves the CPU (blocked, done): frees its core if it has one.
  virtual void leave(sim_thread& t) = 0;
  virtual void tick(sim_thread& t) = 0;
  virtual std::vector<core_report> core_figures(ns_t makespan) const = 0;
  // A run alone's walk (os_walk.cpp) takes t's run ends without the backend: the speed of t's
  // runs on its core when it may (no cache warming, no whole ticks), else 0; and the core's
  // share of a run of `d` that ended.
  virtual double walk_speed(const sim_thread& t) const { (void)t; return 0; }
  virtual void walked(const sim_thread& t, ns_t d) { (void)t, (void)d; }

protected:
  os_core& os_;
};

std::unique_ptr<cpu_backend> make_dedicated_cores(os_core& os, const machine_spec& machine);
std::unique_ptr<cpu_backend> make_shared_host(os_core& os, int cores);

// What the GIL model of one Python process reads of the OS, with the process's own random
// stream: process p draws from mt19937_64 seeded with seed XOR (p x 0x9E3779B97F4A7C15), so
// the first process keeps the scenario's seed and each other one has a stream of its own.
class process_view final : public gil_view {
public:
  process_view(const os_core& os, std::uint64_t seed, int process);
  double now() const override;
  bool running(thread_id t) const override;
  std::uint64_t draw(std::uint64_t n) override { return n <= 1 ? 0 : rng_() % n; }

private:
  const os_core& os_;
  std::mt19937_64 rng_;
};

class os_core final {
public:
  os_core(const scenario& sc, const run_limits& limits, os_driver& driver,
          std::vector<run_observer*> observers);

  // ---- a step (os_batch.cpp)
  std::vector<event> begin(ns_t now);
  void run_batch(ns_t now, std::vector<event>& batch);
  bool live(const event& e) const;
  void stop(stop_kind why, const std::string& message);
  void handle(const event& e, sim_thread& t);
  void check_deadlock();
  std::string describe_deadlock() const;
  // The look-ahead's run alone: t's run ends, step after step, while nothing else can come.
  void run_alone(ns_t now, std::vector<event>& batch, ns_t limit);
  bool quiet_step(sim_thread& t, ns_t at);
  bool walk_runs(sim_thread& t, ns_t limit);  // os_walk.cpp
  bool past_a_limit();  // stops the run at --max-events or --max-wall

  // ---- programs and thread states (os_threads.cpp)
  void advance(sim_thread& t);
  bool lock_step(sim_thread& t, const step& s);
  bool timer_wait(sim_thread& t, const step& s, int index, const lock_outcome& o);
  void lock_granted(sim_thread& w);
  void finish(sim_thread& t);
  void block(sim_thread& t, block_kind why);
  void end_block(sim_thread& t);
  void make_ready(sim_thread& t, ready_reason why);
  void give_order(sim_thread& t, order o);
  void take_back_run(sim_thread& t);

  // ---- the work queues and their requests (os_requests.cpp)
  take_result take_chunk(sim_thread& t, const std::string& name);
  void chunk_finished(const std::string& name, const chunk_range& c);
  void serve_waiters();
  void leave_queue_wait(sim_thread& t);
  std::optional<latency_report> latency_figures() const;
  // A step's duration in seconds: its constant, or a draw from the durations' stream.
  double step_seconds(const step& s);

  double kernel_seconds(const sim_thread& t, const step& s);
  const work_kernel& kernel_named(const std::string& name);
  range_work kernel_work(const std::string& name, const work_kernel& k, std::uint64_t first,
                         std::uint64_t last);
  // The work of a cpu step on the reference core, in nanoseconds (the GIL model's factor in).
  double work_ns(const sim_thread& t, const step& s, double seconds);
  double job_length(const sim_thread& t, const std::vector<step>& program);

  // ---- the GIL (os_gil.cpp)
  gil_model* gil_of(const sim_thread& t) const;
  bool is_python(const sim_thread& t) const { return gil_of(t) != nullptr; }
  bool take_gil(sim_thread& t);
  void release_gil(sim_thread& t);
  bool gil_check_due(sim_thread& t);
  void gil_timer(sim_thread& t);
  void gil_wake_done(sim_thread& t);
  void os_timer_fired(int id);
  void gil_timer_fired(int process);
  void arm_policy_timer();
  // Sets OS timer `id` (a process's GIL timer, or the policy's at policy_timer()).
  void set_os_timer(int id, ns_t at);
  int policy_timer() const { return int(processes_.size()); }
  // A cleared list for a GIL model's decisions, taken until apply() has carried it out: the
  // lists are kept from call to call, one per depth (carrying out decisions may ask a model
  // again), so that a decision costs no allocation.
  gil_decisions& decisions();
  // Carries out what a process's GIL model decided, in order, and gives its list back.
  void apply(int process, const gil_decisions& decisions);
  void block_for_gil(thread_id t);
  void wake(thread_id t);
  ns_t gil_wakeup_ns(int process) const;
  ns_t blocked_ns(const sim_thread& t, const step& s);
  void request_check(thread_id holder, double cpu_delay);
  void set_timer(int process, double at);
  void resume(thread_id t);
  void set_slowdown(thread_id t, double factor);

  // ---- figures and listeners (os_report.cpp)
  void note(const sim_thread& t)
  {
    if (!observers_.empty())
      tell_state(t);
  }
  void tell_state(const sim_thread& t);
  void note_gil(const sim_thread& t, bool holds);
  // Tells the listeners of lock `index`'s holders if they changed since they were last told.
  void note_lock(int index);
  void tell_started() const;
  run_report make_report() const;

  struct lock_state {
    std::string name;
    std::unique_ptr<lock_model> model;
    ns_t wakeup = 0;  // a woken waiter's wake-up: the lock's, else the machine's
    lock_role role = lock_role::user;
    std::vector<thread_id> told{};  // its holders as the listeners last heard them
    // An event loop's timer granularity (0: none), and since when it has been free with
    // nobody waiting (-1: it is not): the instant its loop went idle.
    ns_t resolution = 0;
    ns_t free_since = -1;
  };
  struct queue_state {
    const queue_spec* spec;
    std::uint64_t next;  // the first number not handed out yet
    std::deque<thread_id> waiters{};  // waiting for the next arrival, in the order they came
    thread_id sleeper = no_thread;    // the first of them, ordered to wake at that arrival
    // Item i (from 1) arrives at (*arrivals)[i - 1]: the workload's, or the queue's own;
    // null: every item is there from the start.
    const std::vector<ns_t>* arrivals = nullptr;
  };
  queue_state& queue_named(const std::string& name);  // a for_each's queue, by its name
  struct process_state {
    process_report report;
    std::unique_ptr<process_view> view;
    std::unique_ptr<gil_model> gil;  // null for native processes
    std::vector<double> convoy;      // I/O completion to GIL re-taken, seconds
  };

  const scenario& sc_;
  run_limits limits_;
  os_driver& driver_;
  std::vector<run_observer*> observers_;  // empty unless an output listens
  std::unique_ptr<sched_policy> policy_;
  std::vector<std::unique_ptr<sim_thread>> threads_;
  std::unique_ptr<cpu_backend> cpu_;
  std::vector<lock_state> locks_;
  std::unordered_map<std::string, int> lock_index_;  // a lock step's name to its lock
  std::vector<process_state> processes_;
  std::deque<gil_decisions> decision_lists_;  // decisions()'s, by depth
  std::size_t decision_depth_ = 0;
  std::unordered_map<std::string, queue_state> queues_;  // found by name at each get and put
  std::vector<queue_state*> queue_order_;  // the same, by name: the order they are served in
  int arriving_queues_ = 0;  // how many of them take their items as they arrive (q.arrivals)
  // Whether any thread can wait for a queue's next item (serve_waiters has work).
  bool requests_arrive() const { return arriving_queues_ > 0; }
  using kernel_key = std::tuple<std::string, std::uint64_t, std::uint64_t>;
  std::map<kernel_key, range_work> work_cache_;  // (kernel, first, last)
  std::map<std::string, std::unique_ptr<work_kernel>> kernels_;  // from the kernel registry
  // The last queue and kernel looked up, by the address of the step's name: a thread walking
  // items asks for the same ones item after item.
  const std::string* last_queue_name_ = nullptr;
  queue_state* last_queue_ = nullptr;
  const std::string* last_kernel_name_ = nullptr;
  const work_kernel* last_kernel_ = nullptr;
  std::vector<ns_t> timers_;  // the OS timers' deadlines, by id (forever: not set)
  // The workload's requests: item i (from 1) arrives at arrivals_[i - 1] (empty: all at 0);
  // the queues' own arrivals, each queue's in the order of the scenario's queues (a deque, so
  // that the queues' pointers stay put); each done request's (latency, how many) and the time
  // the last one was done.
  std::vector<ns_t> arrivals_;
  std::deque<std::vector<ns_t>> queue_arrivals_;
  std::vector<std::pair<double, std::uint64_t>> latencies_;
  ns_t last_done_ = 0;
  // Random step durations' own stream, so that drawing them leaves the processes' streams (GIL
  // hand-offs, jitter) as they were.
  std::mt19937_64 durations_;

  // A run alone (run_alone): its thread, and whether a step since gave another thread an order,
  // took one back or moved a timer, which ends it.
  thread_id alone_ = no_thread;
  bool disturbed_ = false;

  ns_t now_ = 0;
  ns_t context_switch_ = 0;  // the machine's costs, in the OS's time
  ns_t wakeup_latency_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t batches_ = 0;  // steps taken: the host's clock is read every 1024th
  std::chrono::steady_clock::time_point wall0_ = std::chrono::steady_clock::now();
  int live_non_daemon_ = 0;
  int blocked_on_lock_ = 0;
  int done_ = 0;
  ns_t makespan_ = 0;
  bool stopped_ = false;
  stop_kind stop_kind_ = stop_kind::finished;
  std::string stop_message_;

private:
  process_state make_process(const process_spec& ps, int index);
};

}  // namespace gilsim
