// The performance benchmark: simulated events per second and wall time for a grid of sizes
// (threads x cores) under the dispatched policies and fluid ps. Each point runs in a forked
// child (one SimGrid engine per process). Run on demand: build/gilsim_bench [--quick]
#include "sim/kernel.hpp"
#include "sim/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
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

figures run_in_child(const point& p)
{
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto sc = gilsim::load_scenario_text(scenario_text(p), "bench.yaml");
    auto r = gilsim::simulate(sc);
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

}  // namespace

int main(int argc, char** argv)
{
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  int reps = quick ? 1 : 3;
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
    std::vector<figures> runs;
    std::fflush(stdout);  // a forked child must not inherit unwritten output
    for (int i = 0; i < reps; ++i)
      runs.push_back(run_in_child(p));
    std::sort(runs.begin(), runs.end(),
              [](const figures& a, const figures& b) { return a.wall_s < b.wall_s; });
    const figures& med = runs[runs.size() / 2];  // the median of the repeats
    fmt::print("{:<6} {:>7} {:>6} {:>10.0f} {:>11.3f} {:>10.3f} {:>13.0f}\n", p.policy, p.threads,
               p.cores, med.events, med.makespan_s, med.wall_s,
               med.wall_s > 0 ? med.events / med.wall_s : 0);
    std::fflush(stdout);
  }
  return 0;
}
