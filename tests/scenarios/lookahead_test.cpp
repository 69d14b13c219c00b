// The kernel's look-ahead (sim/os/kernel.cpp) takes the steps that follow from its own orders
// without SimGrid. It must change nothing but speed: every report here is compared, key by key,
// with the same run through SimGrid alone (--no-lookahead). Times may differ by SimGrid's
// dating, which rounds every date it gives to about a nanosecond: up to 2 ns per event of the
// run (the look-ahead's own dates are the exact sums). Counts must be equal.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

using gilsim::test::run_cli;
using gilsim::test::run_json_file;
using gilsim::test::source_dir;
using gilsim::test::write_temp_scenario;

namespace {

// Every difference between two reports but wall_s, as "path: a vs b".
void differences(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
                 double tolerance, std::vector<std::string>& out)
{
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (it.key() == "wall_s")
        continue;
      if (!b.contains(it.key()))
        out.push_back(path + "." + it.key() + ": missing");
      else
        differences(it.value(), b[it.key()], path + "." + it.key(), tolerance, out);
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key()))
        out.push_back(path + "." + it.key() + ": extra");
    return;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) {
      out.push_back(path + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
                    " entries");
      return;
    }
    for (size_t i = 0; i < a.size(); ++i)
      differences(a[i], b[i], path + "[" + std::to_string(i) + "]", tolerance, out);
    return;
  }
  if (a.is_number_float() || b.is_number_float()) {
    // Rates (throughput per second) are items over a time: their precision scales with them.
    double x = a.get<double>(), y = b.get<double>();
    if (std::fabs(x - y) > tolerance * std::max(1.0, std::fabs(x)))
      out.push_back(path + ": " + a.dump() + " vs " + b.dump());
    return;
  }
  if (a != b)
    out.push_back(path + ": " + a.dump() + " vs " + b.dump());
}

void same_reports(const nlohmann::json& with, const nlohmann::json& without)
{
  std::vector<std::string> diff;
  double tolerance = 2e-9 * std::max(1.0, with.value("events", 1.0));
  differences(with, without, "", tolerance, diff);
  std::string shown;
  for (size_t i = 0; i < std::min<size_t>(diff.size(), 8); ++i)
    shown += "\n  " + diff[i];
  INFO(diff.size() << " differences:" << shown);
  CHECK(diff.empty());
}

void same_run(const std::string& yaml, const std::vector<std::string>& args = {})
{
  std::string path = write_temp_scenario(yaml);
  auto with = run_json_file(path, args);
  auto extra = args;
  extra.push_back("--no-lookahead");
  auto without = run_json_file(path, extra);
  same_reports(with, without);
}

}  // namespace

TEST_CASE("look-ahead: every scenario shipped under scenarios/ reports the same without it")
{
  // whatif/primes_scaling.yaml (64 GIL threads on one core) once differed: a GIL timer that
  // woke for a deadline since moved made a step of its own, where CFS could preempt; such
  // spurious steps now decide nothing, with or without the look-ahead.
  const std::vector<std::string> files = gilsim::test::shipped_scenarios();
  REQUIRE(files.size() >= 15);
  for (const auto& f : files) {
    INFO(f);
    auto with = run_json_file(f);
    auto without = run_json_file(f, {"--no-lookahead"});
    CHECK(with["events"].get<long>() > 0);
    same_reports(with, without);
  }
}

TEST_CASE("look-ahead: round robin on faster cores with arrivals, I/O and preemption reports the same")
{
  same_run(R"(
machine: {cores: 2, speed: 1.7, context_switch: 20us, wakeup_latency: 10us}
scheduler: {policy: rr, quantum: 2ms}
processes:
  - name: a
    runtime: native
    threads:
      - {name: cpu, count: 3, program: [{repeat: 5, do: [{cpu: 3ms}, {io: 1ms}]}]}
  - name: b
    runtime: native
    start: 7ms
    threads:
      - {name: late, program: [{cpu: 4ms}, {sleep: 2ms}, {cpu: 1ms}]}
)");
}

TEST_CASE("look-ahead: priorities, nice levels under cfs and locks report the same")
{
  same_run(R"(
machine: {cores: 2}
scheduler: {policy: priority}
locks:
  m: {kind: mutex}
  s: {kind: semaphore, capacity: 2}
processes:
  - name: p
    runtime: native
    threads:
      - {name: low, priority: 1, program: [{cpu: 10ms}, {lock: m}, {cpu: 2ms}, {unlock: m}]}
      - {name: high, priority: 5, program: [{io: 3ms}, {cpu: 4ms}, {lock: m}, {io: 1ms}, {unlock: m}]}
      - {name: pool, count: 3, program: [{lock: s}, {cpu: 3ms}, {unlock: s}, {io: 1ms}]}
)");
  same_run(R"(
machine: {cores: 1}
scheduler: {policy: cfs}
processes:
  - name: p
    runtime: native
    threads:
      - {name: nice0, program: [{cpu: 50ms}]}
      - {name: nice5, nice: 5, program: [{cpu: 50ms}]}
      - {name: io, program: [{repeat: 10, do: [{cpu: 1ms}, {io: 2ms}]}]}
)");
}

TEST_CASE("look-ahead: the new, old and no GIL with I/O threads and handoff picks report the same")
{
  for (const char* gil : {"{gil: new}", "{gil: new, handoff: fifo}", "{gil: new, switch_interval: 1ms}",
                          "{gil: old}", "{gil: none}"}) {
    INFO(gil);
    same_run(std::string(R"(
machine: {cores: 2}
python: )") + gil + R"(
processes:
  - name: py
    threads:
      - {name: crunch, count: 3, program: [{cpu: 40ms}]}
      - {name: io, program: [{repeat: 6, do: [{io: 2ms}, {cpu: 100us}]}]}
      - {name: helper, daemon: true, program: [{repeat: 1000, do: [{sleep: 1ms}, {cpu: {native: 50us}}]}]}
)");
  }
}

TEST_CASE("look-ahead: a run stopped by --max-time or --max-events stops at the same place")
{
  std::string path = write_temp_scenario(R"(
machine: {cores: 2}
processes:
  - name: py
    threads:
      - {name: crunch, count: 4, program: [{cpu: 1s}]}
)");
  for (std::vector<std::string> limit : {std::vector<std::string>{"--max-time", "0.123"},
                                         std::vector<std::string>{"--max-events", "500"}}) {
    std::vector<std::string> args = {"run", path, "--json"};
    args.insert(args.end(), limit.begin(), limit.end());
    auto with = run_cli(args);
    args.push_back("--no-lookahead");
    auto without = run_cli(args);
    INFO(limit[0]);
    CHECK(with.exit_code == 1);
    CHECK(without.exit_code == 1);
    CHECK(with.err == without.err);
  }
}

TEST_CASE("look-ahead: a Manager() queue and a multiprocessing.Pool report the same")
{
  std::string file = source_dir() + "/scenarios/lessons/primes_wait.yaml";
  for (std::vector<std::string> sets :
       {std::vector<std::string>{"workload.distribution=manager", "workload.workers=3"},
        std::vector<std::string>{"workload.distribution=pool", "workload.pool=multiprocessing",
                                 "workload.workers=4"}}) {
    std::vector<std::string> args = {"--set", "workload.model=processes",
                                     "--set", "workload.items.range=[1,200]"};
    for (const auto& s : sets)
      args.insert(args.end(), {"--set", s});
    INFO(sets[0]);
    auto with = run_json_file(file, args);
    args.push_back("--no-lookahead");
    auto without = run_json_file(file, args);
    same_reports(with, without);
  }
}

// A run alone (sim/os/os_batch.cpp, run_alone): while one thread's run ends follow each other
// with nothing else before them, the OS takes those steps itself. The lessons' threads walking a
// queue item by item under each GIL, with chunks and a per-item overhead; threads looping over
// short phases beside an I/O thread, a native hog that preempts them and rr's quantum ticks; a
// queue of requests that arrive (no quiet steps: every one goes through the whole step).
TEST_CASE("look-ahead: threads walking a queue item by item, alone or not, report the same")
{
  std::string file = source_dir() + "/scenarios/lessons/primes_compare.yaml";
  const std::vector<std::string> queue = {"--set", "workload.model=threads", "--set",
                                          "workload.distribution=queue", "--set",
                                          "workload.items.range=[1,30000]"};
  for (std::vector<std::string> extra :
       {std::vector<std::string>{"--set", "workload.workers=10"},
        std::vector<std::string>{"--set", "workload.workers=3", "--set", "python.gil=old"},
        std::vector<std::string>{"--set", "workload.workers=4", "--set", "python.gil=none"},
        std::vector<std::string>{"--set", "workload.workers=2", "--set", "workload.chunksize=7",
                                 "--set", "workload.per_item_overhead=3us", "--set",
                                 "machine.cores=1"}}) {
    std::vector<std::string> args = queue;
    args.insert(args.end(), extra.begin(), extra.end());
    INFO(extra[1]);
    auto with = run_json_file(file, args);
    args.push_back("--no-lookahead");
    auto without = run_json_file(file, args);
    CHECK(with["events"].get<long>() > 2 * 30000 / 7);  // two run ends per get at least
    same_reports(with, without);
  }
  same_run(R"(
machine: {cores: 2, context_switch: 3us}
scheduler: {policy: rr, quantum: 1ms}
processes:
  - name: py
    threads:
      - {name: walk, count: 3, program: [{repeat: 3000, do: [{cpu: 7us}, {cpu: 11us}]}]}
      - {name: io, program: [{repeat: 20, do: [{io: 1500us}, {cpu: 40us}]}]}
  - name: hog
    runtime: native
    start: 2ms
    threads:
      - {name: hog, program: [{repeat: 30, do: [{cpu: 300us}, {sleep: 1ms}]}]}
)");
  std::string requests = source_dir() + "/scenarios/choose/service_requests.yaml";
  std::vector<std::string> args = {"--set", "workload.model=threads", "--set",
                                   "workload.workers=4", "--set", "workload.arrivals.count=300",
                                   "--set", "machine.speed=1"};
  auto with = run_json_file(requests, args);
  args.push_back("--no-lookahead");
  same_reports(with, run_json_file(requests, args));
}

TEST_CASE("look-ahead: --max-events stops a queue walked item by item at the same place")
{
  std::string file = source_dir() + "/scenarios/lessons/primes_compare.yaml";
  std::vector<std::string> args = {"run", file, "--json", "--set", "workload.model=threads",
                                   "--set", "workload.distribution=queue", "--set",
                                   "workload.items.range=[1,100000]", "--max-events", "12345"};
  auto with = run_cli(args);
  args.push_back("--no-lookahead");
  auto without = run_cli(args);
  CHECK(with.exit_code == 1);
  CHECK(without.exit_code == 1);
  CHECK(with.err.find("12345") != std::string::npos);
  CHECK(with.err == without.err);
}

TEST_CASE("look-ahead: processor sharing dated by its shares reports what SimGrid's fluid model does")
{
  // Under ps the look-ahead dates runs itself (sim/engine/fluid_share.hpp): R runs on N cores
  // each at min(1, N/R). Runs of unequal length, arrivals, I/O, sleeps, locks and a GIL.
  same_run(R"(
machine: {cores: 3}
scheduler: {policy: ps}
locks:
  m: {kind: mutex}
processes:
  - name: a
    runtime: native
    threads:
      - {name: long, count: 2, program: [{cpu: 40ms}]}
      - {name: short, count: 5, program: [{repeat: 8, do: [{cpu: 1.3ms}, {io: 0.7ms}]}]}
      - {name: locker, count: 2, program: [{repeat: 4, do: [{lock: m}, {cpu: 2ms}, {unlock: m}, {sleep: 1ms}]}]}
  - name: b
    runtime: native
    start: 9ms
    threads:
      - {name: late, count: 4, program: [{cpu: 7ms}, {io: 3ms}, {cpu: 0.5ms}]}
)");
  for (const char* gil : {"{gil: new}", "{gil: old}", "{gil: none}"}) {
    INFO(gil);
    same_run(std::string(R"(
machine: {cores: 2}
scheduler: {policy: ps}
python: )") + gil + R"(
processes:
  - name: py
    threads:
      - {name: crunch, count: 3, program: [{cpu: 30ms}]}
      - {name: io, program: [{repeat: 6, do: [{io: 2ms}, {cpu: 100us}]}]}
  - name: c
    runtime: native
    threads:
      - {name: side, count: 2, program: [{repeat: 5, do: [{cpu: 3ms}, {sleep: 1ms}]}]}
)");
  }
}

TEST_CASE("look-ahead: 1024 threads in step on 256 cores under ps take 2.6 s exactly")
{
  // 200 rounds of 3 ms of CPU (1024 runs on 256 cores: each at a quarter of a core, 12 ms)
  // and 1 ms of I/O: 200 x 13 ms. SimGrid's fluid model ends at 2.60000014 s (its dates drift
  // by under a nanosecond a round); the shares' own dates are exact.
  std::string path = write_temp_scenario(R"(
machine: {cores: 256}
scheduler: {policy: ps}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 1024, program: [{repeat: 200, do: [{cpu: 3ms}, {io: 1ms}]}]}
)");
  auto with = run_json_file(path);
  CHECK(with["makespan_s"].get<double>() == 2.6);
  CHECK(with["events"].get<long>() == 410624);
  auto without = run_json_file(path, {"--no-lookahead"});
  CHECK(std::fabs(without["makespan_s"].get<double>() - 2.6) < 1e-6);
}

TEST_CASE("look-ahead: a ps run stopped by --max-time stops at the same place")
{
  // At the horizon the shares' runs go to SimGrid with the work they have left; nothing ends
  // before the limit then, so the report is the state at the limit: 14 rounds of 8.5 ms done
  // (5 runs of 3 ms on 2 cores, then 1 ms of I/O), the 15th under way.
  std::string path = write_temp_scenario(R"(
machine: {cores: 2}
scheduler: {policy: ps}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 5, program: [{repeat: 100, do: [{cpu: 3ms}, {io: 1ms}]}]}
)");
  std::vector<std::string> args = {"run", path, "--json", "--max-time", "0.1234"};
  auto with = run_cli(args);
  args.push_back("--no-lookahead");
  auto without = run_cli(args);
  CHECK(with.exit_code == 1);
  CHECK(without.exit_code == 1);
  CHECK(with.err == without.err);
  auto report = nlohmann::json::parse(with.out);
  CHECK(report["threads"][0]["cpu_s"].get<double>() == Approx(0.042).margin(1e-12));
  same_reports(report, nlohmann::json::parse(without.out));
}
