// gilsim choose end to end on small workloads whose rankings can be worked out by hand: no
// context-switch or wake-up cost, the built-in Python figures (fork_start 1.5 ms, parent_start
// 0.2 ms, task_overhead 50 us, queue_get and task_step 5 us, cooperative dispatch 2 us).
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using gilsim::test::run_cli;
using gilsim::test::write_temp_scenario;
namespace fs = std::filesystem;

namespace {

std::string out_dir(const std::string& name)
{
  auto d = fs::temp_directory_path() / ("gilsim-choose-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(d);
  return d.string();
}

std::string workload(int items, const std::string& per_item)
{
  return "machine: {cores: 2, context_switch: 0, wakeup_latency: 0}\n"
         "workload:\n"
         "  items: {range: [1, " + std::to_string(items) + "]}\n"
         "  per_item: " + per_item + "\n";
}

nlohmann::json choose(const std::string& yaml, const std::string& name,
                      const std::vector<std::string>& more)
{
  std::vector<std::string> args = {"choose", write_temp_scenario(yaml, name), "--json", "-j", "2",
                                   "--out", out_dir(name)};
  args.insert(args.end(), more.begin(), more.end());
  auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  fs::remove_all(out_dir(name));
  return nlohmann::json::parse(r.out);
}

// The rank of an approach's best point (1 = first), 0 when it is not there.
int rank_of(const nlohmann::json& rows, const std::string& approach)
{
  for (const auto& w : rows)
    if (w["approach"] == approach)
      return w["rank"].get<int>();
  return 0;
}

bool is_process(const std::string& approach)
{
  return approach.rfind("processes", 0) == 0 || approach.rfind("Pool", 0) == 0 ||
         approach.rfind("ProcessPoolExecutor", 0) == 0;
}

}  // namespace

TEST_CASE("choose: a CPU-bound workload ranks processes first on 2 cores, GIL threads below sync",
          "[choose]")
{
  // 20 items of 10 ms: sync takes 200 ms. Two forked workers: the second starts at 2 x 0.2 ms,
  // pays 1.5 ms, computes its 10 items (100 ms) and sends its result (50 us): 101.95 ms, a
  // speedup of 200 / 101.95 = 1.9618 (Amdahl with 1.95 ms of serial start-up). Nothing does
  // better on 2 cores: the work alone needs 100 ms there, and every process pays its start.
  auto j = choose(workload(20, "[{cpu: 10ms}]"), "cpu", {"--max-workers", "2"});
  REQUIRE(j["rankings"].size() == 1);
  const auto& rows = j["rankings"][0]["rows"];
  CHECK(j["rankings"][0]["cores"] == 2);
  const auto& top = rows[0];
  CHECK(is_process(top["approach"].get<std::string>()));
  CHECK(top["workers"] == 2);
  CHECK_THAT(top["makespan_s"].get<double>(), WithinAbs(0.10195, 1e-6));
  CHECK_THAT(top["speedup"].get<double>(), WithinAbs(0.2 / 0.10195, 1e-4));
  CHECK(top["peak_processes"] == 2);
  const int sync = rank_of(rows, "sync");
  REQUIRE(sync > 0);
  for (const char* gil_threads : {"threads (queue.Queue)", "ThreadPoolExecutor"}) {
    INFO(gil_threads);
    CHECK(rank_of(rows, gil_threads) > sync);
  }
  // Free-threaded (the built-in figures allow the what-if): both cores, each Python CPU phase
  // 8% dearer: at least 20 x 10 ms x 1.08 / 2 = 108 ms, behind the processes.
  const int ft = rank_of(rows, "ThreadPoolExecutor, free-threaded");
  REQUIRE(ft > 0);
  CHECK(rows[ft - 1]["makespan_s"].get<double>() >= 0.108);
  CHECK(rows[ft - 1]["speedup"].get<double>() > 1.5);
}

TEST_CASE("choose: on 1 core nothing beats doing the items in order", "[choose]")
{
  // Every other approach adds its own work to sync's 200 ms. The least is asyncio's with one
  // task: a task whose items never await runs them all in its first step (5 us); then
  // cooperative's 2 us per item; threads pay 5 us per item, processes their start.
  auto j = choose(workload(20, "[{cpu: 10ms}]"), "one", {"--max-workers", "1", "--cores", "1"});
  const auto& rows = j["rankings"][0]["rows"];
  CHECK(j["rankings"][0]["cores"] == 1);
  CHECK(rows[0]["approach"] == "sync");
  CHECK_THAT(rows[0]["makespan_s"].get<double>(), WithinAbs(0.2, 1e-9));
  CHECK(rows[0]["dominant"] == "compute");
  CHECK(rows[1]["approach"] == "asyncio");
  CHECK_THAT(rows[1]["makespan_s"].get<double>(), WithinAbs(0.2 + 5e-6, 1e-9));
  CHECK(rows[2]["approach"] == "cooperative");
  CHECK_THAT(rows[2]["makespan_s"].get<double>(), WithinAbs(0.2 + 20 * 2e-6, 1e-9));
  for (std::size_t i = 1; i < rows.size(); ++i)
    CHECK(rows[i]["speedup"].get<double>() < 1);
}

TEST_CASE("choose: an I/O-bound workload ranks threads or asyncio above processes, sync last",
          "[choose]")
{
  // 4 items of 0.1 ms of Python and 50 ms of I/O: sync takes 4 x 50.1 = 200.4 ms. Four threads
  // (or tasks) wait at once after at most 4 x (0.1 ms + 5 us): 50.42 ms at most. Processes with
  // w workers need w x 1.5 ms of start-up CPU on 2 cores and ceil(4 / w) rounds of 50.1 ms: at
  // least 4 x 0.75 + 50.1 = 53.1 ms. Processes of threads or of event loops: the parent starts
  // a child (0.2 ms), which starts (1.5 ms) before any of its items (50.1 ms): 51.8 ms at least.
  auto j = choose(workload(4, "[{cpu: 0.1ms}, {io: 50ms}]"), "io", {"--max-workers", "4"});
  const auto& rows = j["rankings"][0]["rows"];
  const auto best = rows[0]["approach"].get<std::string>();
  CHECK((best == "asyncio" || best.rfind("threads", 0) == 0 ||
         best.rfind("ThreadPoolExecutor", 0) == 0));
  CHECK(rows[0]["makespan_s"].get<double>() <= 0.05042 + 1e-6);
  CHECK(rows[0]["makespan_s"].get<double>() >= 0.0501);
  int first_process = 0;
  for (const auto& w : rows)
    if (is_process(w["approach"].get<std::string>())) {
      first_process = w["rank"].get<int>();
      const bool nested = w["per_worker"].get<int>() > 0;
      CHECK(w["makespan_s"].get<double>() >= (nested ? 0.0518 : 0.0531));
      break;
    }
  REQUIRE(first_process > 0);
  for (const char* a : {"asyncio", "threads (queue.Queue)", "ThreadPoolExecutor"}) {
    INFO(a);
    CHECK(rank_of(rows, a) < first_process);
  }
  // Sync last but for cooperative, which is sync and 2 us more per item.
  const int n = int(rows.size());
  CHECK(rank_of(rows, "sync") == n - 1);
  CHECK(rank_of(rows, "cooperative") == n);
  CHECK_THAT(rows[n - 2]["makespan_s"].get<double>(), WithinAbs(0.2004, 1e-9));
  CHECK(rows[n - 2]["dominant"] == "I/O wait");
}

TEST_CASE("choose: requests arriving every 10 ms rank by p99 latency and by throughput",
          "[choose]")
{
  // 20 requests at 0, 10, .., 190 ms, each 0.1 ms of Python and 50 ms of I/O. Sync serves them
  // one after the other: request k (from 0) ends at 50.1 (k + 1) ms, so the last waits longest,
  // 50.1 x 20 - 190 = 812 ms, which is the p99 (nearest rank: the 20th of 20), and 20 requests
  // over 1.002 s are 19.96/s. Five workers or more serve each request as it arrives: a p99 of
  // 50.1 ms and a few us of queue and GIL, and 20 requests over 190 + 50.1 ms = 83.3/s.
  const std::string yaml = "machine: {cores: 2, context_switch: 0, wakeup_latency: 0}\n"
                           "workload:\n"
                           "  arrivals: {every: 10ms, count: 20}\n"
                           "  per_item: [{cpu: 0.1ms}, {io: 50ms}]\n";
  for (const char* goal : {"p99", "throughput"}) {
    INFO(goal);
    auto j = choose(yaml, std::string("arrivals-") + goal, {"--max-workers", "8", "--goal", goal});
    CHECK(j["goal"] == goal);
    const auto& rows = j["rankings"][0]["rows"];
    const auto best = rows[0]["approach"].get<std::string>();
    CHECK((best == "asyncio" || best.rfind("threads", 0) == 0 ||
           best.rfind("ThreadPoolExecutor", 0) == 0));
    CHECK(rows[0]["latency_p99_s"].get<double>() >= 0.0501);
    CHECK(rows[0]["latency_p99_s"].get<double>() <= 0.0502);
    CHECK(rows[0]["throughput_per_s"].get<double>() == Approx(20 / 0.2401).epsilon(1e-3));
    for (const auto& w : rows)
      if (w["approach"] == "sync") {
        CHECK_THAT(w["latency_p99_s"].get<double>(), WithinAbs(0.812, 1e-9));
        CHECK(w["throughput_per_s"].get<double>() == Approx(20 / 1.002).epsilon(1e-6));
        CHECK(w["rank"].get<int>() >= int(rows.size()) - 1);  // only cooperative may be worse
      }
  }
}

TEST_CASE("choose --html: one page with each ranking and a line per approach", "[choose]")
{
  const auto page = fs::temp_directory_path() / ("gilsim-choose-" + std::to_string(getpid()) +
                                                 ".html");
  auto j = choose(workload(4, "[{cpu: 0.1ms}, {io: 50ms}]"), "html",
                  {"--max-workers", "4", "--html", page.string()});
  std::ifstream in(page);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string html = text.str();
  fs::remove(page);
  REQUIRE(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);  // self-contained, nothing to load
  CHECK(html.find("http") == html.find("http://www.w3.org/2000/svg"));
  const auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = html.find(what); at != std::string::npos; at = html.find(what, at + 1))
      ++n;
    return n;
  };
  const auto& rows = j["rankings"][0]["rows"];
  std::size_t with_workers = 0;
  for (const auto& w : rows)
    with_workers += w["workers"].get<int>() > 0;
  // One table row per ranked approach (and the header), one line per approach with workers,
  // a dashed level for sync and cooperative, a tooltip on every plotted point.
  CHECK(count("<tr>") == rows.size() + 1);
  CHECK(count("<polyline") == with_workers);
  CHECK(count("(no workers)") == rows.size() - with_workers);
  CHECK(count("<title>") >= rows.size() + 1);
  CHECK(html.find("sync: makespan 0.2004") != std::string::npos);
}

TEST_CASE("choose: a workload with a model or a searched key is refused where it says so",
          "[choose]")
{
  auto with_model = write_temp_scenario(workload(4, "[{cpu: 1ms}]") + "  model: threads\n", "m");
  auto r = run_cli({"choose", with_model});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(".yaml:5:3: workload.model: choose tries every execution model"));
  auto with_workers = write_temp_scenario(workload(4, "[{cpu: 1ms}]") + "  workers: 3\n", "w");
  r = run_cli({"choose", with_workers});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(".yaml:5:3: workload.workers: choose searches 'workers' itself"));
  auto misspelt = write_temp_scenario(workload(4, "[{cpu: 1ms}]") + "  per_itme: []\n", "s");
  r = run_cli({"choose", misspelt});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(".yaml:5:3: workload.per_itme: unknown key 'per_itme'; did you mean 'per_item'?"));
  auto none = write_temp_scenario("machine: {cores: 2}\n", "n");
  r = run_cli({"choose", none});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(".yaml:1:1: workload: choose needs a workload"));
  r = run_cli({"choose", with_workers, "--goal", "p90"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--goal p90: expected makespan, cpu, p99 or throughput"));
  r = run_cli({"choose", with_workers, "--cores", "2,0"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--cores 0: expected a whole number from 1 to 4096"));
}
