// gilsim choose: every reasonable way to run a workload (docs/choose.md), each simulated as its
// own scenario through the sweep machinery, ranked with the cost that dominates each.
// The search (choose_search.cpp) lists the points, the figures (choose_figures.cpp) read a
// point's report, and the run (choose.cpp) writes the scenarios, runs them and ranks them.
#pragma once

#include "sim/batch/sweep.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gilsim::choose {

// One way to run the workload: an approach (its family: "ThreadPoolExecutor", "Pool fork") at
// a worker count and a chunksize, and the scenario keys that make it.
struct candidate {
  std::string approach;
  int workers = 0;              // 0: the approach has none (sync, cooperative)
  std::uint64_t chunksize = 0;  // 0: the approach has none
  std::vector<std::pair<std::string, std::string>> sets;  // key.path, YAML value
  // Processes of threads or of event loops: the threads or tasks in each of the `workers`
  // processes; 0 for every other approach.
  int per_worker = 0;
  std::string label() const;         // a file stem: "pool-fork-w4-c63", "...-w2-t16"
  std::string workers_text() const;  // "4", "2x16" (processes x threads each), "-"
};

// What the search needs to know of the workload and the machine it is asked about.
struct search_space {
  std::uint64_t items = 1;
  int cores = 1;
  bool free_threaded = false;  // add ThreadPoolExecutor under gil: none
  int max_workers = 64;        // threads and processes
  int max_tasks = 1024;        // asyncio tasks
};

// The first round: every approach at worker counts 1, 2, 4, .. max_workers (asyncio: 1, 16, 256
// and one task per item up to max_tasks) and pools at chunksizes around the textbook rule
// ceil(items / (4 x workers)), the pools with fork; forked processes of threads (1, 4, 16 and
// 64 each) and of event loops (1, 16, 256 and one task per item of each process's slice) at 1,
// 2, 4 .. 2 x cores processes, at most 1024 threads or tasks in all.
std::vector<candidate> first_round(const search_space& s);

// The second round, from the first's makespans (one per candidate, < 0 for a failed point): for
// each approach, worker counts around its best (3/4, 3/2 and one either side of it), the best
// pool's chunksize x 2/3 and x 3/2, and the best Pool and ProcessPoolExecutor points with
// forkserver and spawn; for processes of threads or event loops, the best point with half and
// twice the processes, one either side, and half and twice the threads or tasks each. Nothing
// the first round ran.
std::vector<candidate> second_round(const search_space& s, const std::vector<candidate>& ran,
                                    const std::vector<double>& makespans);

// The textbook chunksize of multiprocessing.Pool.map: ceil(items / (4 x workers)).
std::uint64_t textbook_chunksize(std::uint64_t items, int workers);

// --- a point's figures, from its report (docs/choose.md, "The figures") ---

struct costs {
  double compute = 0;     // s of CPU: the sync run's, the work itself
  double io_wait = 0;     // s: Σ io_s + sleep_s
  double gil_wait = 0;    // s: Σ gil_wait_s
  double ready_wait = 0;  // s: Σ ready_wait_s
  double loop_block = 0;  // s: Σ lock_wait_s under asyncio (the loop is a lock)
  double startup = 0;     // s of CPU: starting the workers
  double overhead = 0;    // s of CPU beyond compute and start-up
  double total() const
  {
    return compute + io_wait + gil_wait + ready_wait + loop_block + startup + overhead;
  }
};

struct figures {
  double makespan = 0;
  double cpu = 0;  // Σ cpu_s over every thread
  // The report's request latency (`latency`): each item from its arrival (or from the start
  // for a work list) to its completion; 0 where the report has none.
  double latency_mean = 0, latency_p99 = 0, throughput = 0;
  int peak_processes = 0;
  int peak_threads = 0;
  double overlap = 0;  // Σ (io_s + sleep_s) / makespan: the waits under way at once, on average
  costs split;
};

// The report's figures; `asyncio`: its lock waits are the event loop's. The CPU is split by
// split_cpu.
figures figures_of(const nlohmann::json& report, bool asyncio);
// Splits f.cpu into compute (up to the sync run's CPU, `sync_cpu`), start-up (up to `startup`,
// the CPU the approach spends starting its workers) and the overhead beyond both.
void split_cpu(figures& f, double sync_cpu, double startup);

// The largest part of c and its share of c.total() ("GIL wait", 0.93); with costs_only, the
// largest of the approach's costs (all but compute and I/O wait, which are the work's own).
std::pair<std::string, double> dominant(const costs& c, bool costs_only = false);

}  // namespace gilsim::choose
