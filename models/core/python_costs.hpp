// What one Python interpreter costs: the figures `gilsim calibrate --python PATH` measures with
// real micro-programs (sim/calib), kept per interpreter in the host profile, and picked for a
// process by `python: {interpreter: "3.12"}`. Without a profile every figure holds the built-in
// default below (docs/model.md section 5), the values the models used before they were measured,
// so a scenario that names no profile runs as it always did.
//
// Every figure is in seconds of the host's own time (the reference core of `speed: host`). "CPU"
// figures are Python work under the GIL; "wall" figures are what a caller waits for.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gilsim {

// The prime kernel's cost on the reference core: per trial division and per number tested.
// CPython's cost per division is not one constant (it grows with the size of n: small-int
// caching, the size of the numbers' objects), so it may be given by the bit length of n: with
// `by_bits` not empty, a division for an n of b bits (2^(b-1) <= n < 2^b) costs the linear
// interpolation between the knots (b, seconds) around b, the first or last knot's figure outside
// them, and per_division is not used (models/cost/kernel_cost.hpp sums a range).
struct kernel_cost {
  double per_division = 0;  // seconds
  double per_item = 0;      // seconds
  std::vector<std::pair<int, double>> by_bits;  // (bits, seconds per division), bits increasing

  // The cost of one division for an n of `bits` bits.
  double division_at(int bits) const
  {
    if (by_bits.empty())
      return per_division;
    if (bits <= by_bits.front().first)
      return by_bits.front().second;
    for (size_t k = 1; k < by_bits.size(); ++k)
      if (bits <= by_bits[k].first) {
        const auto& [b0, c0] = by_bits[k - 1];
        const auto& [b1, c1] = by_bits[k];
        return c0 + (c1 - c0) * double(bits - b0) / double(b1 - b0);
      }
    return by_bits.back().second;
  }
  bool operator==(const kernel_cost&) const = default;
};

// A cost that grows with a task's items: fixed + per_item x items.
struct linear_cost {
  double fixed = 0;
  double per_item = 0;
  double at(double items) const { return fixed + per_item * items; }
  bool operator==(const linear_cost&) const = default;
};

// A process pool's costs per task of c items (ProcessPoolExecutor.map or multiprocessing.Pool.map
// over a trivial function), split between who pays them.
struct pool_task_costs {
  linear_cost parent;  // CPU in the parent (main thread and the executor's manager thread)
  linear_cost child;   // CPU in the worker beyond the call itself: unpickling, pickling, pipe
  bool operator==(const pool_task_costs&) const = default;
};

// How long a sleep of d takes: (requested, taken) pairs, interpolated linearly in between,
// proportionally below the first and by the last overshoot beyond; empty: exactly d.
using sleep_table = std::vector<std::pair<double, double>>;
inline double sleep_taken_in(const sleep_table& table, double d)
{
  if (table.empty() || d <= 0)
    return d;
  if (d <= table.front().first)
    return d * table.front().second / table.front().first;
  for (size_t k = 1; k < table.size(); ++k)
    if (d <= table[k].first) {
      const auto& [x0, y0] = table[k - 1];
      const auto& [x1, y1] = table[k];
      return y0 + (y1 - y0) * (d - x0) / (x1 - x0);
    }
  return d + (table.back().second - table.back().first);
}

struct python_costs {
  // "3.12" (major.minor): the key scenarios name; empty for the built-in defaults.
  std::string interpreter;
  std::string version;  // the full version when measured: "3.12.8"

  // threading
  double thread_start = 60e-6;  // creator's wall time for Thread(...).start()
  double thread_join = 10e-6;   // join of a thread that has finished
  // queue.Queue, one thread, no waiting: Python work of a put and of a get
  double queue_put = 2.5e-6;
  double queue_get = 5e-6;
  // concurrent.futures.ThreadPoolExecutor: per call, beyond the call itself
  double executor_submit = 10e-6;  // the submitting thread: submit, the Future, its result
  double executor_worker = 5e-6;   // a worker: the work item's run and the Future's completion

  // Process pools, per task of c items
  pool_task_costs executor_pool{{40e-6, 1e-6}, {10e-6, 1e-6}};  // ProcessPoolExecutor
  pool_task_costs mp_pool{{40e-6, 1e-6}, {10e-6, 1e-6}};        // multiprocessing.Pool
  // Starting one worker, as the parent waits for it (until it can take a task), by start method
  double fork_start = 1.5e-3;
  double forkserver_start = 10e-3;
  double spawn_start = 40e-3;
  double pool_shutdown = 0;  // per worker: shutdown(wait=True) / close + join at the end
  // A multiprocessing.Process's end as its parent sees it, by start method: from its target
  // returning to the parent's join() returning (wall: a forked child's os._exit, a spawned
  // one's interpreter finalisation, the parent's wake-up). 0: not charged (not measured).
  double fork_exit = 0;
  double forkserver_exit = 0;
  double spawn_exit = 0;

  // Blocking. time.sleep(d) takes sleep_taken(d) (sleep_taken_in above).
  sleep_table sleep;
  // `await asyncio.sleep(d)` takes asyncio_sleep_taken(d): the event loop's timer, whose
  // selector waits in whole milliseconds (epoll), so short sleeps overshoot by up to 1 ms.
  sleep_table asyncio_sleep;
  // A GIL hand-off to a waiter blocked in its condition variable: from the drop to the waiter
  // running with the GIL. 0: the machine's wakeup_latency.
  double gil_handoff = 0;

  // The seed's is_prime under this interpreter; absent: the scenario's `cost.python`.
  std::optional<kernel_cost> prime;

  // asyncio
  double task_step = 5e-6;         // one step of a task (a resume up to its next await)
  double call_soon = 2e-6;         // a callback through call_soon
  // One cycle of a task looping on `await asyncio.sleep(d)`, d > 0: its step, the timer's
  // call_later and firing, the wake-up through call_soon. 0: task_step + call_soon.
  double sleep_await = 0;
  double run_in_executor = 100e-6;  // loop.run_in_executor round trip of a trivial call
  // asyncio.run of a coroutine that returns at once: the loop's making, shutdown and closing
  // (CPU); and an asyncio.Queue's put_nowait and get_nowait of a waiting item (CPU).
  // 0: not charged (not measured).
  double asyncio_run = 0;
  double asyncio_queue_put = 0;
  double asyncio_queue_get = 0;
  // Not a cost: the speed marks' reference (is_prime over [1, 50000], CPU seconds) at the speed
  // every CPU figure of a calibrated section is normalised to; 0 when not measured. `validate`
  // re-times it beside each program to measure the host's drift since calibration.
  double reference = 0;

  // What time.sleep(d) and `await asyncio.sleep(d)` take.
  double sleep_taken(double d) const { return sleep_taken_in(sleep, d); }
  double asyncio_sleep_taken(double d) const { return sleep_taken_in(asyncio_sleep, d); }
};

}  // namespace gilsim
