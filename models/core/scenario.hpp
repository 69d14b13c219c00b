// The scenario: what the YAML file describes, after loading, validation and expansion.
// Plain data; the loader fills it, the kernel runs it. Key names follow docs/design.md (v1 format).
#pragma once

#include "models/core/distribution.hpp"
#include "models/core/params.hpp"
#include "models/core/python_costs.hpp"
#include "models/core/error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gilsim {

// put .. clear are the other lock kinds' steps (models/lock/lock_model.hpp, lock_op): `put: q`,
// `get: q` (queue), `wait: x` (condition, barrier, event), `notify: cv`, `notify_all: cv`
// (condition), `set: ev`, `clear: ev` (event).
enum class step_kind {
  cpu, io, sleep, lock, unlock, repeat, for_each,
  put, get, wait, notify, notify_all, set, clear
};

// How a CPU phase relates to its process's GIL.
enum class cpu_mode {
  python,     // Python bytecode: needs the GIL, checks drop requests
  native,     // C code that releases the GIL: neither needs nor checks it
  holds_gil,  // a long C call that keeps the GIL: never interrupted
};

// A work kernel as CPU work (models/cost/work_kernel.hpp): its exact work for a range of numbers
// (the current chunk of a for_each, or a fixed range) turned into time by the process's cost
// model.
struct kernel_work {
  std::string name;          // the registered kernel, e.g. is_prime; empty: no kernel
  bool prime = false;        // this cpu step runs a kernel (the OS counts is_prime's work)
  bool fixed_range = false;  // over [first, last] rather than the current for_each chunk
  std::uint64_t first = 0, last = 0;

  // Does the step work on the current item (its for_each chunk)?
  bool on_item() const { return prime && !fixed_range; }
};

struct step {
  step_kind kind = step_kind::cpu;
  double seconds = 0;               // cpu: work on the reference core; io, sleep: duration
  // cpu, io, sleep: a random duration drawn at each use (seconds is then its mean), or constant
  duration_dist dist;
  cpu_mode mode = cpu_mode::python;  // cpu only
  kernel_work kernel;               // cpu only: work of the prime kernel, added to seconds
  std::string lock;                 // lock, unlock and the other lock steps
  std::string queue;                // for_each: the work queue it takes chunks from
  int count = 0;                    // repeat
  std::vector<step> body;           // repeat, for_each
  source_pos pos;                   // where it was written, for messages
  std::string path;                 // lock steps: the key path of the lock's name, for messages
  // lock: taken back by a timer's callback (a task resuming from asyncio.sleep): on an event
  // loop with a timer_resolution the loop wakes for it in whole multiples of that (semantics.md)
  bool by_timer = false;
};

// A shared work queue of the numbers first..last, handed out `chunk` at a time, in order, to
// whichever for_each asks next (queue.Queue / a pool's task queue).
struct queue_spec {
  std::string name;
  std::uint64_t first = 1, last = 0;
  std::uint64_t chunk = 1;
  // A workload's items (requests): the OS records each one's latency, from its arrival (or 0,
  // when they are all queued at the start) to the end of the for_each body that took it; with
  // the workload's arrivals, an item is handed out only once it has arrived.
  bool requests = false;
  // A queue's own open arrivals (`queues: {q: {arrivals: {poisson: 300/s, count: N}}}`): its
  // items are requests 1..count, each handed out once it has arrived, with their latency
  // recorded as a workload's are (requests is then true). None: as above.
  std::optional<arrival_spec> arrivals{};
};

enum class runtime_kind { python, native };

struct thread_spec {
  std::string name;     // expanded: "worker-0" .. "worker-2" when count > 1
  bool daemon = false;  // stopped when every non-daemon thread is done
  double start = 0;     // seconds after its process starts
  // The scheduling policies' per-thread attributes (cfs `nice`, priority's `priority`), as the
  // policies declare them: every declared one holds its value, the default unless written.
  param_values attributes;
  std::vector<step> program;
  // The cores it may run on, by id (`affinity: [0, 2]`); empty: any (fifo and rr only).
  std::vector<int> affinity;
  // Its working set, in the units of machine.cache.size: it fits a core's cache or not.
  double working_set = 0;
};

// A model chosen by name with its filled-in parameters (scheduler policy, lock kind, GIL variant).
struct model_choice {
  std::string name;
  param_values params;
};

struct process_spec {
  std::string name;
  runtime_kind runtime = runtime_kind::python;
  double start = 0;   // seconds
  model_choice gil;   // python only: new | old | none with their parameters
  // python only: its interpreter's costs (`python: {interpreter: "3.12"}` picks a section of the
  // host profile; the built-in defaults otherwise)
  python_costs python;
  std::vector<thread_spec> threads;
};

// What a lock stands for, so that the pictures name a wait on it for what it is: a scenario's
// own lock, the event loop an asyncio task waits for, or a join (a child that holds its lock
// while it lives).
enum class lock_role { user, event_loop, join };

struct lock_spec {
  std::string name;
  model_choice kind;
  lock_role role = lock_role::user;
};

// A group of like cores (`machine.cores: [{name: P, count: 2, speed: 1.0}, ...]`).
struct core_group {
  std::string name;
  int count = 1;
  double speed = 1.0;  // relative to the machine's speed
};

// Each core's cache (`machine.cache: {size: 100, warmup: 10ms, warm_speedup: 2}`), after the
// homework multi.py: a thread that has run `warmup` on a core is warm there, and runs
// `warm_speedup` times faster, while the working sets warm there since fit in `size`.
struct cache_spec {
  bool on = false;  // no cache key: no warmth
  double size = 100;
  double warmup = 10e-3;  // seconds of running on the core
  double warm_speedup = 2;
};

struct machine_spec {
  int cores = 1;                  // all of them, in every group
  double speed = 1.0;             // relative to the reference core
  double context_switch = 2e-6;   // seconds charged on a core when it switches threads
  double wakeup_latency = 30e-6;  // seconds from being made runnable by another thread to runnable
  bool host = false;  // speed: host: the figures above are a host profile's (or the scenario's)
  // Relative spread of io and sleep durations: each lasts d x (1 + jitter x u), u uniform in
  // [-1, 1) drawn from its process's stream; 0: exactly d.
  double jitter = 0;
  // Empty when `cores` is a number: every core runs at `speed`. Otherwise the groups in order,
  // their cores numbered in that order; a core runs at speed x its group's speed.
  std::vector<core_group> groups;
  cache_spec cache;
  // Seconds; 0: continuous time. With a tick the dedicated cores work in whole ticks, as the
  // homework multi.py's clock does: a thread whose CPU phase ends within a tick keeps its core
  // to the tick's end (a phase of no work takes one whole tick), and a working set pushed out of
  // a cache with no warm-up warms again for one tick.
  double tick = 0;

  // Each core's speed relative to the reference core, by core id.
  std::vector<double> core_speeds() const
  {
    if (groups.empty())
      return std::vector<double>(size_t(cores), speed);
    std::vector<double> out;
    for (const auto& g : groups)
      out.insert(out.end(), size_t(g.count), speed * g.speed);
    return out;
  }
  // Each core's group name ("" when `cores` is a number).
  std::vector<std::string> core_groups() const
  {
    std::vector<std::string> out;
    for (const auto& g : groups)
      out.insert(out.end(), size_t(g.count), g.name);
    if (out.empty())
      out.assign(size_t(cores), "");
    return out;
  }
};

// The higher-level form (docs/design.md `workload:`): a work list run under an execution model,
// which expands it into a fragment of the core format (models/exec/exec_model.hpp).
struct workload_spec {
  std::uint64_t first = 1, last = 0;  // items: {range: [first, last]}, or 1..count of arrivals
  // arrivals: the items are requests 1..count, each queued at its arrival time
  std::optional<arrival_spec> arrivals{};
  std::vector<step> per_item;          // what each item does; kernel steps work on the item
  // sync | cooperative | asyncio | threads | processes, with its parameters and the workload
  // fields the models declare (distribution, chunksize, start_method)
  model_choice model;
  int workers = 0;     // 0: the model's default
  model_choice gil;    // the GIL of the Python processes it makes
  python_costs python;  // their interpreter's costs (the top-level python.interpreter)
  source_pos pos;
};

// What a workload becomes: processes, work queues and locks of the core format, added to the
// scenario after its own.
struct scenario_fragment {
  std::vector<lock_spec> locks;
  std::vector<queue_spec> queues;
  std::vector<process_spec> processes;
};

struct scenario {
  std::string file;  // where it was loaded from
  std::string name;  // default: the file's stem
  std::uint64_t seed = 1;
  machine_spec machine;
  model_choice scheduler;  // policy and its parameters
  std::vector<lock_spec> locks;
  std::vector<queue_spec> queues;
  // CPython's cost, fitted to the lessons' sync timings (results/lessons-primes.md); -O2 C++'s.
  kernel_cost python_cost{37.2e-9, 71.2e-9, {}};
  kernel_cost native_cost{4.0e-9, 2.0e-9, {}};
  std::vector<process_spec> processes;
  // The workload as written; loading has added the fragment it expands into to the locks,
  // queues and processes above.
  std::optional<workload_spec> workload;
};

}  // namespace gilsim
