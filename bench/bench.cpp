// The performance benchmark. Two tables, every figure the median of 3 runs (1 with --quick),
// each run in a forked child (one SimGrid engine per process):
// - simulated events per second and wall time for a grid of sizes (threads x cores) under the
//   dispatched policies and fluid ps, a CPU/I/O mix;
// - the lessons' comparison table (scenarios/lessons/primes_compare.yaml, 10 workers, 10^5 to
//   10^8 numbers, as scripts/lessons-primes.py runs it), with the kernel's look-ahead and
//   without it (--no-lookahead: every event through SimGrid), and the ratio of the two.
// Run on demand: build/gilsim_bench [--quick] [--grid-only | --lessons-only]
#include "sim/engine/simulate.hpp"
#include "sim/load/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct point {
  int threads;
  int cores;
  std::string policy;
  long repeats;
};

// A run: a scenario (its text, or a file with overrides) and whether the kernel looks ahead.
struct job {
  std::string text;  // YAML, or empty for `file`
  std::string file;
  std::vector<std::string> overrides;
  bool lookahead = true;
};

struct figures {
  double events = 0;
  double wall_s = 0;
  double makespan_s = 0;
};

// A CPU/I/O mix: every thread alternates 1 ms of CPU and 0.5 ms of I/O.
std::string scenario_text(const point& p)
{
  return fmt::format(R"(
machine: {{cores: {}}}
scheduler: {{policy: {}}}
processes:
  - name: load
    runtime: native
    threads:
      - name: w
        count: {}
        program: [{{repeat: {}, do: [{{cpu: 1ms}}, {{io: 500us}}]}}]
)",
                     p.cores, p.policy, p.threads, p.repeats);
}

figures run_in_child(const job& j)
{
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto sc = j.text.empty() ? gilsim::load_scenario(j.file, j.overrides)
                             : gilsim::load_scenario_text(j.text, "bench.yaml", j.overrides);
    gilsim::run_limits limits;
    limits.lookahead = j.lookahead;
    auto r = gilsim::simulate(sc, limits);
    figures f{double(r.events), r.wall_s, r.makespan_s};
    ssize_t n = write(fds[1], &f, sizeof f);
    _exit(n == sizeof f ? 0 : 1);
  }
  close(fds[1]);
  figures f;
  ssize_t n = read(fds[0], &f, sizeof f);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != sizeof f || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("a benchmark child failed");
  return f;
}

// The median (by wall time) of `reps` runs.
figures median_run(const job& j, int reps)
{
  std::vector<figures> runs;
  std::fflush(stdout);  // a forked child must not inherit unwritten output
  for (int i = 0; i < reps; ++i)
    runs.push_back(run_in_child(j));
  std::sort(runs.begin(), runs.end(),
            [](const figures& a, const figures& b) { return a.wall_s < b.wall_s; });
  return runs[runs.size() / 2];
}

void grid_table(bool quick, int reps)
{
  // About 200 000 CPU phases per point (fewer for --quick), whatever the thread count.
  long phases = quick ? 40000 : 200000;
  std::vector<point> points;
  for (const char* policy : {"cfs", "rr", "ps"})
    for (int threads : {1, 64, 1024})
      for (int cores : {1, 16, 256})
        points.push_back({threads, cores, policy, std::max(1L, phases / threads)});

  fmt::print("{:<6} {:>7} {:>6} {:>10} {:>11} {:>10} {:>13}\n", "policy", "threads", "cores",
             "events", "sim_s", "wall_s", "events/s");
  for (const auto& p : points) {
    figures med = median_run({scenario_text(p), "", {}, true}, reps);
    fmt::print("{:<6} {:>7} {:>6} {:>10.0f} {:>11.3f} {:>10.3f} {:>13.0f}\n", p.policy, p.threads,
               p.cores, med.events, med.makespan_s, med.wall_s,
               med.wall_s > 0 ? med.events / med.wall_s : 0);
    std::fflush(stdout);
  }
}

void lessons_table(int reps)
{
  struct column {
    const char* name;
    std::vector<std::string> sets;
  };
  const std::vector<column> columns = {
      {"sync", {"workload.model=sync"}},
      {"asyncio", {"workload.model=asyncio", "workload.workers=10"}},
      {"threads",
       {"workload.model=threads", "workload.workers=10", "workload.distribution=chunks"}},
      {"processes", {"workload.model=processes", "workload.workers=10"}},
  };
  const std::string file =
      std::string(GILSIM_SOURCE_DIR) + "/scenarios/lessons/primes_compare.yaml";
  fmt::print("\nthe lessons' comparison table (primes_compare.yaml), wall seconds\n");
  fmt::print("{:<10} {:>10} {:>10} {:>12} {:>10} {:>12} {:>7}\n", "model", "N", "events",
             "sim_s", "wall_s", "no-lookahead", "ratio");
  double total_on = 0, total_off = 0;
  for (std::uint64_t n : {100000ULL, 1000000ULL, 10000000ULL, 50000000ULL, 100000000ULL}) {
    for (const auto& c : columns) {
      job j{"", file, c.sets, true};
      j.overrides.push_back(fmt::format("workload.items.range=[1,{}]", n));
      figures on = median_run(j, reps);
      j.lookahead = false;
      figures off = median_run(j, reps);
      total_on += on.wall_s;
      total_off += off.wall_s;
      fmt::print("{:<10} {:>10} {:>10.0f} {:>12.3f} {:>10.3f} {:>12.3f} {:>7.1f}\n", c.name, n,
                 on.events, on.makespan_s, on.wall_s, off.wall_s,
                 on.wall_s > 0 ? off.wall_s / on.wall_s : 0);
      if (std::fabs(on.makespan_s - off.makespan_s) > 1e-6 * std::max(1.0, on.makespan_s))
        fmt::print("  (makespans differ: {} vs {})\n", on.makespan_s, off.makespan_s);
      std::fflush(stdout);
    }
  }
  fmt::print("{:<10} {:>10} {:>10} {:>12} {:>10.3f} {:>12.3f} {:>7.1f}\n", "all", "", "", "",
             total_on, total_off, total_on > 0 ? total_off / total_on : 0);
}

}  // namespace

int main(int argc, char** argv)
{
  bool quick = false, grid = true, lessons = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--grid-only") == 0) {
      lessons = false;
    } else if (std::strcmp(argv[i], "--lessons-only") == 0) {
      grid = false;
    } else {
      fmt::print(stderr, "usage: gilsim_bench [--quick] [--grid-only | --lessons-only]\n");
      return 2;
    }
  }
  int reps = quick ? 1 : 3;
  if (grid)
    grid_table(quick, reps);
  if (lessons)
    lessons_table(reps);
  return 0;
}
