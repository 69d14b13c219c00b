// The processes model's pool chunksizes (ProcessPoolExecutor, multiprocessing.Pool) and its
// manager queue, against figures worked out by hand. Items are plain CPU phases so that the
// arithmetic is easy; switches and wake-ups cost nothing unless a test says otherwise.
// Start-up, from models/exec/exec_processes.cpp and models/exec/exec_manager.cpp: the parent pays 0.2 ms
// per child; a forked child pays 1.5 ms. Under a manager the parent first starts the manager
// (0.2 ms) and waits for its 1.5 ms start-up, so worker i starts at 1.7 + 0.2 (i + 1) ms, pays
// 1.5 ms, connects (one round trip), and ends with one more get, the one that finds the end.
#include "sim/load/loader.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::thread_named;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {
std::string processes(int cores, int last, int workers, const std::string& per_item,
                      const std::string& extra)
{
  return "machine: {cores: " + std::to_string(cores) +
         ", context_switch: 0, wakeup_latency: 0}\n"
         "workload:\n"
         "  items: {range: [1, " + std::to_string(last) + "]}\n"
         "  per_item: " + per_item + "\n"
         "  model: processes\n"
         "  workers: " + std::to_string(workers) + "\n" + extra;
}
double makespan(const nlohmann::json& r) { return r["makespan_s"].get<double>(); }
// A figure of a process's thread: "worker-0" is worker 0's main thread, "conn-0" the manager's.
double field(const nlohmann::json& r, const std::string& who, const char* key)
{
  for (const auto& t : r["threads"])
    if (t["name"] == who || (t["process"] == who && t["name"] == "main"))
      return t[key].get<double>();
  FAIL("no thread or process named " << who);
  return 0;
}
// The CPU time of every thread of a process.
double process_cpu(const nlohmann::json& r, const std::string& process)
{
  double sum = 0;
  for (const auto& t : r["threads"])
    if (t["process"] == process)
      sum += t["cpu_s"].get<double>();
  return sum;
}
const gilsim::queue_spec* queue(const gilsim::scenario& sc, const std::string& name)
{
  for (const auto& q : sc.queues)
    if (q.name == name)
      return &q;
  return nullptr;
}
}  // namespace

TEST_CASE("processes pool: multiprocessing.Pool's chunksize is ceil(n / (4 x workers))")
{
  // 1000 items on 3 workers: divmod(1000, 12) = (83, 4), so 84: 11 tasks of 84 (items 1..924)
  // and a last one of the 76 left (925..1000). ProcessPoolExecutor's default is 1: one queue.
  std::string y = processes(4, 1000, 3, "[{cpu: {kernel: is_prime}}]",
                            "  distribution: pool\n  pool: multiprocessing\n");
  auto sc = gilsim::load_scenario_text(y, "pool.yaml");
  const auto* whole = queue(sc, "calls");
  const auto* tail = queue(sc, "calls-tail");
  REQUIRE(whole);
  REQUIRE(tail);
  CHECK(whole->first == 1);
  CHECK(whole->last == 924);
  CHECK(whole->chunk == 84);
  CHECK(tail->first == 925);
  CHECK(tail->last == 1000);
  CHECK(tail->chunk == 76);

  sc = gilsim::load_scenario_text(y, "pool.yaml", {"workload.pool=executor"});
  REQUIRE(queue(sc, "calls"));
  CHECK(queue(sc, "calls")->chunk == 1);
  CHECK(queue(sc, "calls")->last == 1000);
  CHECK_FALSE(queue(sc, "calls-tail"));

  // 10 items on 3 workers: divmod(10, 12) = (0, 10), so 1.
  sc = gilsim::load_scenario_text(y, "pool.yaml", {"workload.items.range=[1, 10]"});
  CHECK(queue(sc, "calls")->chunk == 1);
}

TEST_CASE("processes pool: 12 tasks of 84 items against 1000 tasks of one")
{
  // 1000 items of 1 ms, 3 workers, 4 cores, 50 us per task. Worker i is ready at
  // 0.2 (i + 1) + 1.5 ms = 1.7, 1.9, 2.1 ms; equal tasks keep them in that order.
  // multiprocessing.Pool, 84 a task (84.05 ms): tasks 1-3 at 1.7 / 1.9 / 2.1 ms, 4-6 84.05 ms
  // later, and so on; worker 0 and 1 each get 4 whole tasks and end at 1.7 + 4 x 84.05 =
  // 337.9 ms and 1.9 + 336.2 = 338.1 ms; worker 2 gets 3 and the last of 76 (76.05 ms): 2.1 +
  // 252.15 + 76.05 = 330.3 ms. 12 tasks: the workers' CPU is 3 x 1.5 + 1000 + 12 x 0.05 ms.
  std::string y =
      processes(4, 1000, 3, "[{cpu: 1ms}]", "  distribution: pool\n  pool: multiprocessing\n");
  auto r = run_json(y);
  CHECK_THAT(makespan(r), WithinAbs(0.3381, 1e-9));
  CHECK_THAT(field(r, "worker-0", "end_s"), WithinAbs(0.3379, 1e-9));
  CHECK_THAT(field(r, "worker-2", "end_s"), WithinAbs(0.3303, 1e-9));
  double workers_cpu = 0;
  for (const char* p : {"worker-0", "worker-1", "worker-2"})
    workers_cpu += process_cpu(r, p);
  CHECK_THAT(workers_cpu, WithinAbs(0.0045 + 1 + 12 * 0.00005, 1e-9));
  CHECK_THAT(process_cpu(r, "worker-2"), WithinAbs(0.0015 + 0.252 + 0.076 + 4 * 0.00005, 1e-9));

  // ProcessPoolExecutor, one item a task (1.05 ms): the workers take items in turn, worker 0
  // the 1st, 4th, ... and the 1000th (334 items): it ends at 1.7 + 334 x 1.05 = 352.4 ms.
  // 1000 tasks: 3 x 1.5 + 1000 + 1000 x 0.05 ms of CPU.
  r = run_json(y, {"--set", "workload.pool=executor"});
  CHECK_THAT(makespan(r), WithinAbs(0.3524, 1e-9));
  CHECK_THAT(process_cpu(r, "worker-0") + process_cpu(r, "worker-1") + process_cpu(r, "worker-2"),
             WithinAbs(1.0545, 1e-9));

  // An explicit chunksize wins over Pool's: 10 tasks of 100 (100.05 ms); worker 0 takes the
  // 1st, 4th, 7th and 10th and ends at 1.7 + 4 x 100.05 = 401.9 ms.
  r = run_json(y, {"--set", "workload.chunksize=100"});
  CHECK_THAT(makespan(r), WithinAbs(0.4019, 1e-9));
}

TEST_CASE("processes manager: workers below the server's capacity take items / W x (item + "
          "round trip)")
{
  // 100 items of 1 ms, 2 workers, 8 cores, a 100 us round trip of which the server works 20 us
  // (so 80 us of I/O, 40 before and 40 after it). Worker 0 starts at 1.9 ms, worker 1 at
  // 2.1 ms; each pays 1.5 ms and connects (0.1 ms). Their gets, 0.2 ms apart, never meet at the
  // server (20 us each in a 1.1 ms cycle), so they alternate: 50 items each, then the last get.
  // Worker 1 ends at 2.1 + 1.5 + 0.1 + 50 x (0.1 + 1) + 0.1 = 58.8 ms: 50 x 1.1 ms of items and
  // round trips, plus 3.8 ms of start (0.2 + 1.5 + 0.4 for the parent, 1.5, 0.1) and the last get.
  std::string y = processes(8, 100, 2, "[{cpu: 1ms}]",
                            "  distribution: manager\n"
                            "  manager_round_trip: 100us\n"
                            "  manager_cpu: 20us\n");
  auto r = run_json(y);
  CHECK_THAT(makespan(r), WithinAbs(0.0588, 1e-9));
  CHECK_THAT(field(r, "worker-0", "end_s"), WithinAbs(0.0586, 1e-9));
  // Each worker: 51 gets, 40 + 40 us of I/O each plus 0.1 ms to connect; 20 us waiting each.
  CHECK_THAT(field(r, "worker-1", "io_s"), WithinAbs(0.0001 + 51 * 80e-6, 1e-9));
  CHECK_THAT(field(r, "worker-1", "lock_wait_s"), WithinAbs(51 * 20e-6, 1e-9));
  // The server's CPU is the manager process's: 1.5 ms to start and 20 us for each of 102 gets.
  CHECK_THAT(process_cpu(r, "manager"), WithinAbs(0.0015 + 102 * 20e-6, 1e-9));
  CHECK_THAT(field(r, "conn-0", "cpu_s"), WithinAbs(51 * 20e-6, 1e-9));
  CHECK(thread_named(r, "conn-0")["daemon"].get<bool>());
}

TEST_CASE("processes manager: a saturated server caps the rate at 1 / manager_cpu")
{
  // 200 items of 0.1 ms, 4 workers, a round trip of 1 ms that is all the server's work. A
  // worker would ask every 1.1 ms, 4 of them 3.6 gets per ms: the server, serving one at a
  // time, is the bottleneck. Worker i starts at 1.9 + 0.2 i ms and asks first at
  // 1.9 + 0.2 i + 1.5 + 1 = 4.4 + 0.2 i ms; from 4.4 ms on the server is never idle (a worker
  // is back 0.1 ms after its answer, behind three others): the 204 gets (200 items, 4 ends)
  // end at 4.4 + 204 x 1 = 208.4 ms, in turn: worker 0's last at 205.4, worker 3's at 208.4.
  std::string y = processes(8, 200, 4, "[{cpu: 100us}]",
                            "  distribution: manager\n"
                            "  manager_round_trip: 1ms\n"
                            "  manager_cpu: 1ms\n");
  auto r = run_json(y);
  CHECK_THAT(makespan(r), WithinAbs(0.2084, 1e-9));
  CHECK_THAT(field(r, "worker-0", "end_s"), WithinAbs(0.2054, 1e-9));
  CHECK_THAT(process_cpu(r, "manager"), WithinAbs(0.0015 + 0.204, 1e-9));
  // Without a GIL in the manager its threads could run side by side; its request loop still
  // serves one get at a time.
  r = run_json(y, {"--set", "python={gil: none, single_thread_overhead: 0}"});
  CHECK_THAT(makespan(r), WithinAbs(0.2084, 1e-9));

  // With 30 us wake-ups the idle round trip is still 1 ms of server work and two wake-ups (no
  // I/O is left), and each hand-off of the server to a waiting get is one more wake-up: the
  // first service starts at 4.43 ms, each next one 1.03 ms later; the last ends at
  // 4.43 + 204 + 203 x 0.03 = 214.52 ms and its worker wakes at 214.55 ms.
  r = run_json(y, {"--set", "machine.wakeup_latency=30us"});
  CHECK_THAT(makespan(r), WithinAbs(0.21455, 1e-9));
}

TEST_CASE("processes manager: the server needs a core like the workers")
{
  // One core, FIFO, the same 1 ms of server work per get: nothing waits on I/O while there is
  // CPU to do (each connect overlaps another's start-up), so the run is the sum of all CPU:
  // the parent 0.6, the manager's start 1.5, the workers' 2 x 1.5, the items 100 and the
  // server's 102 gets: 207.1 ms. Were the server's work not on a core, the run would be
  // little more than the 105.1 ms of the rest.
  std::string y = processes(1, 100, 2, "[{cpu: 1ms}]",
                            "  distribution: manager\n"
                            "  manager_round_trip: 1ms\n"
                            "  manager_cpu: 1ms\n") +
                  "scheduler: {policy: fifo}\n";
  CHECK_THAT(makespan(run_json(y)), WithinAbs(0.2071, 1e-9));
}

TEST_CASE("processes manager: the expansion is a manager process with one thread per worker")
{
  std::string y = processes(2, 10, 3, "[{cpu: 1ms}]", "  distribution: manager\n");
  auto sc = gilsim::load_scenario_text(y, "m.yaml");
  REQUIRE(sc.processes.size() == 5);  // main, manager, 3 workers
  const auto& m = sc.processes[1];
  CHECK(m.name == "manager");
  REQUIRE(m.threads.size() == 4);
  CHECK(m.threads[0].name == "main");
  CHECK_FALSE(m.threads[0].daemon);
  CHECK(m.threads[3].name == "conn-2");
  CHECK(m.threads[3].daemon);
  REQUIRE(sc.locks.size() == 7);  // manager, and a request and a reply mutex per worker
  CHECK(sc.locks[0].name == "manager");
  CHECK(sc.locks[6].name == "manager.rep-2");
}

TEST_CASE("processes: bad pool and distribution values are refused where they are written")
{
  std::string y = processes(2, 10, 2, "[{cpu: 1ms}]",
                            "  distribution: pool\n"
                            "  pool: multiprocesing\n");  // line 8, the value at column 9
  auto path = write_temp_scenario(y);
  auto c = run_cli({"check", path});
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.err, Contains(path + ":8:9: workload.pool: 'multiprocesing' is not a choice here;"
                                    " did you mean 'multiprocessing'?"));

  y = processes(2, 10, 2, "[{cpu: 1ms}]", "  distribution: manger\n");  // line 7, column 17
  path = write_temp_scenario(y);
  c = run_cli({"check", path});
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.err, Contains(path + ":7:17: workload.distribution: 'manger' is not a choice "
                                    "here; did you mean 'manager'?"));

  // Threads have no manager server, and no pool key.
  c = run_cli({"check", path, "--set", "workload.distribution=manager", "--set",
               "workload.model=threads"});
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.err, Contains("--set workload.distribution=manager:1:23: workload.distribution: "
                             "'manager' is not a choice here; expected one of: queue, pool, chunks"));
  c = run_cli({"check", path, "--set", "workload.pool=executor", "--set",
               "workload.model=threads", "--set", "workload.distribution=pool"});
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.err, Contains("'pool' is not a parameter of execution model 'threads'"));
}

TEST_CASE("processes: a task of several items cannot move a kernel step out of its lock")
{
  std::string y = "locks: {db: {kind: mutex}}\n" +
                  processes(2, 10, 2, "[{lock: db}, {cpu: {kernel: is_prime}}, {unlock: db}]",
                            "  distribution: pool\n  chunksize: 5\n");
  auto path = write_temp_scenario(y);
  auto c = run_cli({"check", path});
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.err, Contains("a kernel step between a lock and its unlock cannot run for "
                             "tasks of 5 items at once"));
  CHECK(run_cli({"check", path, "--set", "workload.chunksize=1"}).exit_code == 0);
}

TEST_CASE("processes: without `workers` there is one worker process per core (os.cpu_count())")
{
  // 8 items of 10 ms in static chunks, no per-item overhead. On 4 cores: 4 workers of 2 items;
  // worker i starts at 0.2 (i + 1) ms, forks in 1.5 ms, computes 20 ms and sends its result
  // (task_overhead 0.05 ms): the last ends at 0.8 + 1.5 + 20 + 0.05 = 22.35 ms. On 2 cores:
  // 2 workers of 4 items, the last ending at 0.4 + 1.5 + 40 + 0.05 = 41.95 ms.
  for (auto [cores, workers, end] : {std::tuple{4, 4, 0.02235}, std::tuple{2, 2, 0.04195}}) {
    std::string y = "machine: {cores: " + std::to_string(cores) +
                    ", context_switch: 0, wakeup_latency: 0}\n"
                    "workload:\n"
                    "  items: {range: [1, 8]}\n"
                    "  per_item: [{cpu: 10ms}]\n"
                    "  model: processes\n"
                    "  start_method: fork\n"
                    "  per_item_overhead: 0\n";
    auto r = run_json(y);
    INFO(cores << " cores");
    int worker_processes = 0;
    for (const auto& p : r["processes"])
      worker_processes += p["name"].get<std::string>().rfind("worker-", 0) == 0;
    CHECK(worker_processes == workers);
    CHECK_THAT(makespan(r), WithinAbs(end, 1e-9));
  }
}

TEST_CASE("check: prints a workload's queues and what each take hands out")
{
  // multiprocessing.Pool on 3 workers, 1000 items: chunksize ceil(1000 / 12) = 84, so 11 whole
  // tasks (items 1..924) and a last task of 76 (925..1000).
  std::string path = write_temp_scenario(processes(2, 1000, 3, "[{cpu: 1ms}]",
                                                   "  distribution: pool\n"
                                                   "  pool: multiprocessing\n"));
  auto r = run_cli({"check", path});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(": ok (4 processes, 4 threads)"));
  CHECK_THAT(r.out, Contains("queue calls: items 1..924, taken 84 at a time"));
  CHECK_THAT(r.out, Contains("queue calls-tail: items 925..1000, taken 76 at a time"));
}
