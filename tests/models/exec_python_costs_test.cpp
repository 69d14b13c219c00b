// The execution models with an interpreter's measured costs (exec_context::python, from the
// workload's python_costs): every figure below is set by the test, and the fragments follow
// from the rules in models/exec/exec_threads.cpp, exec_processes.cpp and exec_asyncio.cpp.
#include "tests/models/exec_support.hpp"

#include <functional>

using namespace gilsim;
using namespace gilsim::test;

namespace {
// Whether w's fragment on one core shows `text`.
bool shows(const workload_spec& w, const std::string& text)
{
  return show(expand_workload(w, machine(1))).find(text) != std::string::npos;
}

// A measured interpreter with round figures, unlike the built-in ones.
python_costs measured()
{
  python_costs py;
  py.interpreter = "3.12";
  py.thread_start = 60e-6;
  py.thread_join = 10e-6;
  py.queue_put = 3e-6;
  py.queue_get = 7e-6;
  py.executor_submit = 10e-6;
  py.executor_worker = 5e-6;
  py.executor_pool = {{40e-6, 1e-6}, {10e-6, 2e-6}};
  py.mp_pool = {{30e-6, 0.5e-6}, {8e-6, 1e-6}};
  py.fork_start = 2e-3;
  py.forkserver_start = 12e-3;
  py.spawn_start = 50e-3;
  py.pool_shutdown = 100e-6;
  py.task_step = 6e-6;
  py.call_soon = 3e-6;
  return py;
}
}  // namespace

TEST_CASE("python costs: ThreadPoolExecutor's main thread starts, submits and joins", "[exec]")
{
  // 10 items on 2 workers: main starts 2 threads (2 x 60 us), submits 10 calls (10 x 10 us),
  // joins 2 (2 x 10 us). A worker's call costs executor_worker (5 us) after the item, and its
  // get from the executor's SimpleQueue nothing more.
  auto w = workload("threads", 1, 10, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("distribution", "pool");
  w.python = measured();
  REQUIRE_FRAGMENT(w, machine(2), "queue items 1..10 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  main: cpu 120us, cpu 100us, cpu 20us\n"
                                  "  worker-0: for_each items [cpu 1000us, cpu 5us]\n"
                                  "  worker-1: for_each items [cpu 1000us, cpu 5us]\n");
  // A queue_get the scenario gives is paid per get, pool or not.
  w.model.params.set_number("queue_get", 4e-6);
  REQUIRE_FRAGMENT(w, machine(2), "queue items 1..10 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  main: cpu 120us, cpu 100us, cpu 20us\n"
                                  "  worker-0: for_each items [cpu 4us, cpu 1000us, cpu 5us]\n"
                                  "  worker-1: for_each items [cpu 4us, cpu 1000us, cpu 5us]\n");
}

TEST_CASE("python costs: a queue.Queue's gets and the producer's puts", "[exec]")
{
  // 10 items by 4 are 3 tasks: main puts 3 (3 x 3 us); each get costs the interpreter's
  // queue_get (7 us).
  auto w = workload("threads", 1, 10, {exec::cpu(1e-3)}, 2);
  w.model.params.set_number("chunksize", 4);
  w.python = measured();
  const std::string loops = "for_each items [cpu 7us, repeat 4 [cpu 1000us]], for_each "
                            "items-tail [cpu 7us, repeat 2 [cpu 1000us]]";
  REQUIRE_FRAGMENT(w, machine(2), "queue items 1..8 by 4\n"
                                  "queue items-tail 9..10 by 2\n"
                                  "process main at 0us (gil new)\n"
                                  "  main: cpu 120us, cpu 9us, cpu 20us\n"
                                  "  worker-0: " + loops + "\n"
                                  "  worker-1: " + loops + "\n");
  // Without measured costs the built-in queue_get (5 us) and no main thread, as before.
  w.python = {};
  const std::string before = "for_each items [cpu 5us, repeat 4 [cpu 1000us]], for_each "
                             "items-tail [cpu 5us, repeat 2 [cpu 1000us]]";
  REQUIRE_FRAGMENT(w, machine(2), "queue items 1..8 by 4\n"
                                  "queue items-tail 9..10 by 2\n"
                                  "process main at 0us (gil new)\n"
                                  "  worker-0: " + before + "\n"
                                  "  worker-1: " + before + "\n");
}

namespace {
// A ProcessPoolExecutor of 2 forked workers over 20 items of 1 ms.
workload_spec executor_pool(std::uint64_t chunksize)
{
  auto w = workload("processes", 1, 20, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("distribution", "pool");
  w.model.params.set_number("chunksize", double(chunksize));
  w.python = measured();
  return w;
}

std::string pool_fragment(const std::string& queue, const std::string& submit,
                          const std::string& collect, const std::string& child_loop)
{
  const std::string child = "lock worker-{0}-alive, cpu 2000us, " + child_loop +
                            ", unlock worker-{0}-alive\n";
  return "lock worker-0-alive (mutex)\nlock worker-1-alive (mutex)\n" + queue +
         "process main at 0us (gil new)\n"
         "  main: cpu 400us, cpu " + submit + ", lock worker-0-alive, unlock worker-0-alive, "
         "lock worker-1-alive, unlock worker-1-alive, io 200us\n"
         "  queue-manager: cpu " + collect + "\n"
         "process worker-0 at 200us (gil new)\n"
         "  main: " + fmt::format(fmt::runtime(child), 0) +
         "process worker-1 at 400us (gil new)\n"
         "  main: " + fmt::format(fmt::runtime(child), 1);
}
}  // namespace

TEST_CASE("python costs: a process pool's parent pays per task, split submit / collect", "[exec]")
{
  // chunksize 1: 20 tasks x (40 + 1 x 1) us = 820 us of parent CPU, 410 us in the main thread
  // (submitting) and 410 us in the queue-management thread (collecting). A child pays
  // 10 + 2 x 1 = 12 us per task; the start-up is fork_start (2 ms); the parent joins both and
  // waits pool_shutdown per worker (2 x 100 us).
  REQUIRE_FRAGMENT(executor_pool(1), machine(4),
                   pool_fragment("queue calls 1..20 by 1\n", "410us", "410us",
                                 "for_each calls [cpu 1000us, cpu 12us]"));
  // chunksize 10: 2 tasks x (40 + 1 x 10) us = 100 us, 50 us each; a child's task
  // 10 + 2 x 10 = 30 us.
  REQUIRE_FRAGMENT(executor_pool(10), machine(4),
                   pool_fragment("queue calls 1..20 by 10\n", "50us", "50us",
                                 "for_each calls [repeat 10 [cpu 1000us], cpu 30us]"));
}

TEST_CASE("python costs: the scenario's own parameters win over the interpreter's", "[exec]")
{
  // task_overhead given: 25 us a task in the child instead of the measured 10 + 2 x c; the
  // parent still works. fork_start given: 1 ms instead of 2.
  auto w = executor_pool(1);
  w.model.params.set_number("task_overhead", 25e-6);
  w.model.params.set_number("fork_start", 1e-3);
  const std::string f = show(expand_workload(w, machine(4)));
  CHECK(f.find("main: lock worker-0-alive, cpu 1000us, for_each calls [cpu 1000us, cpu 25us]") !=
        std::string::npos);
  CHECK(f.find("queue-manager: cpu 410us") != std::string::npos);
  // spawn without a given spawn_start: the interpreter's 50 ms.
  w.model.params.set_choice("start_method", "spawn");
  CHECK(show(expand_workload(w, machine(4))).find("cpu 50000us") != std::string::npos);
}

TEST_CASE("python costs: multiprocessing.Pool's parent and its default chunksize", "[exec]")
{
  // 20 items on 2 workers: chunksize ceil(20 / 8) = 3, 6 tasks of 3 and one of 2. Parent:
  // 6 x (30 + 0.5 x 3) + (30 + 0.5 x 2) = 189 + 31 = 220 us, 110 us each in the main thread
  // and the result handler. A child's task: 8 + 1 x 3 = 11 us, the last 8 + 1 x 2 = 10 us.
  auto w = workload("processes", 1, 20, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("distribution", "pool");
  w.model.params.set_choice("pool", "multiprocessing");
  w.python = measured();
  const std::string f = show(expand_workload(w, machine(4)));
  CHECK(f.find("  main: cpu 400us, cpu 110us, lock worker-0-alive") != std::string::npos);
  CHECK(f.find("  result-handler: cpu 110us\n") != std::string::npos);
  CHECK(f.find("for_each calls [repeat 3 [cpu 1000us], cpu 11us], for_each calls-tail [repeat 2 "
               "[cpu 1000us], cpu 10us]") != std::string::npos);
}

TEST_CASE("python costs: asyncio's task step and call_soon", "[exec]")
{
  // A resumption after an await costs task_step + call_soon = 6 + 3 us; the first step 6 us.
  auto w = workload("asyncio", 1, 4, {exec::cpu(1e-3), exec::io(2e-3)}, 2);
  w.python = measured();
  const std::string task = "lock event-loop, cpu 6us, for_each items [cpu 1000us, unlock "
                           "event-loop, io 2000us, lock event-loop, cpu 9us], unlock event-loop";
  REQUIRE_FRAGMENT(w, machine(1), "lock event-loop (mutex)\n"
                                  "queue items 1..4 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  task-0: " + task + "\n"
                                  "  task-1: " + task + "\n");
  // task_step given: 4 us, call_soon still the interpreter's.
  w.model.params.set_number("task_step", 4e-6);
  CHECK(shows(w, "cpu 4us, for_each items [cpu 1000us"));
  CHECK(shows(w, "cpu 7us], unlock"));
}

TEST_CASE("python costs: asyncio's resumption after a sleep is the measured sleep cycle",
          "[exec]")
{
  // sleep_await 20 us: a resumption after the sleep step costs 20 us in place of task_step +
  // call_soon (6 + 3 us), which a resumption after I/O still costs; the first step 6 us.
  auto w = workload("asyncio", 1, 4, {exec::cpu(1e-3), exec::sleep(5e-3), exec::io(2e-3)}, 1);
  w.python = measured();
  w.python.sleep_await = 20e-6;
  const std::string task = "lock event-loop, cpu 6us, for_each items [cpu 1000us, unlock "
                           "event-loop, sleep 5000us, lock event-loop, cpu 20us, unlock "
                           "event-loop, io 2000us, lock event-loop, cpu 9us], unlock event-loop";
  CHECK(shows(w, "  task-0: " + task + "\n"));
  // Not measured (0): as any await. The scenario's task_step: as any await too.
  w.python.sleep_await = 0;
  CHECK(shows(w, "sleep 5000us, lock event-loop, cpu 9us"));
  w.python.sleep_await = 20e-6;
  w.model.params.set_number("task_step", 4e-6);
  CHECK(shows(w, "sleep 5000us, lock event-loop, cpu 7us"));
}

TEST_CASE("python costs: asyncio's sleep is a timer that wakes the loop in whole milliseconds", "[exec]")
{
  // With the interpreter's asyncio_sleep table, a 5 ms sleep step is a timer due after 5 ms
  // exactly (an io step), after which the task takes the loop back by_timer; the loop's lock
  // wakes in whole milliseconds (the OS then applies the table to the loop's wait: os tests).
  auto w = workload("asyncio", 1, 4, {exec::cpu(1e-3), exec::sleep(5e-3)}, 1);
  w.python = measured();
  w.python.asyncio_sleep = {{1e-3, 1.8e-3}, {10e-3, 10.6e-3}};
  CHECK(shows(w, "unlock event-loop, io 5000us, lock event-loop"));
  const scenario_fragment f = expand_workload(w, machine(1));
  REQUIRE(f.locks.size() == 1);
  CHECK(f.locks[0].kind.params.number("timer_resolution") == 1e-3);
  int by_timer = 0;
  std::function<void(const std::vector<step>&)> count = [&](const std::vector<step>& steps) {
    for (const auto& st : steps) {
      by_timer += st.by_timer;
      count(st.body);
    }
  };
  for (const auto& p : f.processes)
    for (const auto& t : p.threads)
      count(t.program);
  CHECK(by_timer == 1);  // the one task's lock after its sleep
  // Not measured: the sleep step stays (the OS applies time.sleep's table to it).
  w.python = python_costs{};
  w.python.asyncio_sleep = {{1e-3, 1.8e-3}, {10e-3, 10.6e-3}};
  CHECK(shows(w, "unlock event-loop, sleep 5000us, lock"));
}

TEST_CASE("python costs: asyncio's run_in_executor hands CPU steps out of the loop", "[exec]")
{
  // in_executor: the CPU step runs outside the loop after the round trip (the interpreter's
  // run_in_executor, here 100 us built in), and the task resumes as after an await (task_step
  // 5 us, no call_soon without measured costs). The items await, so they are taken one at a
  // time.
  auto w = workload("asyncio", 1, 4, {exec::cpu(1e-3), exec::io(2e-3)}, 2);
  w.model.params.set_number("in_executor", 1);
  const std::string task = "lock event-loop, cpu 5us, for_each items [unlock event-loop, io "
                           "100us, cpu 1000us, lock event-loop, cpu 5us, unlock event-loop, io "
                           "2000us, lock event-loop, cpu 5us], unlock event-loop";
  REQUIRE_FRAGMENT(w, machine(1), "lock event-loop (mutex)\n"
                                  "queue items 1..4 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  task-0: " + task + "\n"
                                  "  task-1: " + task + "\n");
  // The scenario's round trip wins over the interpreter's; the interpreter's when measured.
  w.model.params.set_number("executor_round_trip", 40e-6);
  CHECK(shows(w, "io 40us, cpu 1000us"));
  w.model.params = workload("asyncio", 1, 4, {}).model.params;
  w.model.params.set_number("in_executor", 1);
  w.python = measured();
  w.python.run_in_executor = 70e-6;
  CHECK(shows(w, "io 70us, cpu 1000us"));
}

TEST_CASE("python costs: asyncio's main coroutine makes the loop and fills its queue", "[exec]")
{
  // asyncio_run 200 us and 4 puts of 2 us: a `main` thread, first in the loop's queue, holds
  // the loop for 200 + 4 x 2 = 208 us. Each item taken costs a get (1 us) beside the task's
  // own per-item work (none here).
  auto w = workload("asyncio", 1, 4, {exec::cpu(1e-3), exec::io(2e-3)}, 2);
  w.python = measured();
  w.python.asyncio_run = 200e-6;
  w.python.asyncio_queue_put = 2e-6;
  w.python.asyncio_queue_get = 1e-6;
  const std::string task = "lock event-loop, cpu 6us, for_each items [cpu 1000us, unlock "
                           "event-loop, io 2000us, lock event-loop, cpu 9us, cpu 1us], unlock "
                           "event-loop";
  REQUIRE_FRAGMENT(w, machine(1), "lock event-loop (mutex)\n"
                                  "queue items 1..4 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  main: lock event-loop, cpu 208us, unlock event-loop\n"
                                  "  task-0: " + task + "\n"
                                  "  task-1: " + task + "\n");
  // Not measured: none of it.
  w.python = python_costs{};
  w.python.asyncio_run = 200e-6;
  CHECK_FALSE(shows(w, "main:"));
}

TEST_CASE("python costs: a process's measured exit ends each static chunk", "[exec]")
{
  // fork_exit 1 ms: after its slice and its result (task_overhead, 50 us), each child waits its
  // exit as its parent's join sees it. spawn has its own figure; a pool's end is pool_shutdown.
  auto w = workload("processes", 1, 4, {exec::cpu(1e-3)}, 2);
  w.python = measured();
  w.python.fork_exit = 1e-3;
  w.python.spawn_exit = 30e-3;
  CHECK(shows(w, "cpu 2000us, for_each chunk-0 [cpu 1000us], cpu 50us, io 1000us\n"));
  w.model.params.set_choice("start_method", "spawn");
  CHECK(shows(w, "cpu 50000us, for_each chunk-1 [cpu 1000us], cpu 50us, io 30000us\n"));
  w.model.params.set_choice("distribution", "pool");
  CHECK_FALSE(shows(w, "io 30000us"));
}

TEST_CASE("python costs: a process of threads waits its exit at the end of every thread", "[exec]")
{
  // Two threads in each child: the child ends fork_exit (1 ms) after the last of them.
  auto w = workload("processes", 1, 4, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("inner", "threads");
  w.model.params.set_number("inner_workers", 2);
  w.python = measured();
  w.python.fork_exit = 1e-3;
  const auto f = expand_workload(w, machine(4));
  REQUIRE(f.processes.size() == 3);
  for (std::size_t c = 1; c < 3; ++c)
    for (const auto& t : f.processes[c].threads) {
      REQUIRE_FALSE(t.program.empty());
      CHECK(t.program.back().kind == step_kind::io);
      CHECK(t.program.back().seconds == Approx(1e-3));
    }
}
