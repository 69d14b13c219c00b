// Batch runs: parameter sweeps and batches of scenario files, each point run in its own process
// (one SimGrid engine per process), results appended point by point, resumable, sharded.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gilsim::sweep {

// One --grid: a key path and its values in the order given, ranges expanded.
struct axis {
  std::string key;
  std::vector<std::string> values;
};

// "key.path=v1,v2,..." where each item is a YAML scalar or a range: "a..b" (step 1),
// "a..b:+s" (add s), "a..b:xk" (multiply by the integer k >= 2). Range bounds are decimal
// numbers with an optional unit shared by both ends ("1ms..8ms:x2"). Bad syntax is an
// input_error naming the --grid.
axis parse_grid(const std::string& spec);

// The values of one range item ("1..64:x2" -> 1, 2, 4, ..., 64); an input_error on bad syntax.
std::vector<std::string> expand_range(const std::string& item);

// --shard i/n: this command runs the points whose id % n == i - 1.
struct shard {
  int index = 1;  // 1-based
  int count = 1;
};
shard parse_shard(const std::string& text);

// One run of gilsim: the swept columns' values and the seed it is given (none: the scenario's).
struct point {
  long id = 0;
  std::vector<std::string> values;  // one per plan::columns
  std::optional<std::uint64_t> seed;
  std::string scenario;  // the file this point runs
};

// Everything a batch will run, and the manifest (DIR/sweep.json) that identifies it.
struct plan {
  nlohmann::ordered_json manifest;
  std::vector<std::string> columns;    // the swept key paths; "scenario" for a batch of files
  std::vector<point> points;           // in id order
  std::vector<std::string> fixed_args;  // passed to every run: --set ..., --seed, limits
};

// The cartesian product of the axes, the first axis varying slowest and the seeds 1..seeds (when
// seeds > 0) fastest. Validates the scenario once with every axis's first value, and so throws
// the scenario's own input_error before anything is launched.
plan sweep_plan(const std::string& scenario, const std::vector<axis>& axes, int seeds,
                const std::vector<std::string>& sets, const std::vector<std::string>& extra_args);

// One point per file, in the order given; a directory stands for its *.yaml / *.yml files
// (not recursive), sorted by name.
plan batch_plan(const std::vector<std::string>& paths, const std::vector<std::string>& sets,
                const std::vector<std::string>& extra_args);

// Runs a point's gilsim arguments ("run", FILE, "--json", ...) in this process as main() would,
// printing what `gilsim ARGS...` prints, and returns its exit code: what a forked child calls
// (the command line provides it, sim/cli). Only where this process has made no SimGrid engine:
// the child makes the point's one.
using point_runner = std::function<int(const std::vector<std::string>& args)>;

struct options {
  std::string out_dir = "sweep-out";
  int jobs = 0;  // 0: std::thread::hardware_concurrency()
  shard part;
  bool retry_failed = false;
  bool json_events = false;  // progress as JSON lines on stdout
  // How a point runs: given, in a child forked from this process that calls it (no program
  // start to pay: no dynamic linking, no static initialisers); empty, by starting `exe` afresh.
  point_runner in_process;
  std::string exe = "/proc/self/exe";
};

// Runs the plan's points not already in out_dir (resuming), at most `jobs` processes at once.
// Returns 0 if every point of this shard is ok, 1 if any failed, 128 + signal when interrupted.
// Throws input_error for bad input (a directory made by another sweep, say).
int run(const plan& p, const options& o);

// gilsim sweep --slurm N: the plan as a Slurm job array (slurm.cpp).
struct slurm_request {
  int tasks = 1;                        // task i of the array runs --shard i/tasks
  std::vector<std::string> sweep_args;  // what each task gives gilsim sweep, but --shard, --out, -j
  std::string jobs;                     // each task's -j; empty: $SLURM_CPUS_PER_TASK, else 1
  std::vector<std::string> sbatch_args;  // added to both sbatch calls (--partition=..., --time=...)
  bool wait = false;                    // wait for the merge job and exit with its outcome
};

// Writes OUT/slurm/sweep.sh (the array: task i runs shard i into OUT/shards/i) and merge.sh (gilsim
// merge of the shards into OUT), and submits with sbatch the tasks that still have points (all,
// the first time) and the merge after them (afterany). When no task has points left, merges here.
// Returns 0 once submitted (with `wait`: 0 when the merge job found every point ok, 1 otherwise).
// Throws input_error when sbatch is not on PATH or OUT or a shard was made by another sweep.
int submit_to_slurm(const plan& p, const options& o, const slurm_request& r);

// Joins the result directories of shards into out_dir (which may be one of them): the manifests
// must agree; points are de-duplicated by id (an ok one wins) and sorted by id. Returns 0 when
// every point of the manifest is there and ok, 1 otherwise (with the count on stderr).
int merge(const std::vector<std::string>& dirs, const std::string& out_dir);

}  // namespace gilsim::sweep
