// processes (models/exec/exec_processes.cpp), expanded without an engine. The parent `main`
// starts W children (workers, default one per core) one after the other: its one thread pays
// parent_start (200 us) per child; child i is the process worker-i started at parent_start x
// (i + 1), whose thread `main` pays its start method (fork 1.5 ms, forkserver 10 ms, spawn 40 ms)
// and then works.
// - chunks (default): child i's slice from its own queue chunk-i, then task_overhead (50 us)
//   to send its result back.
// - pool: tasks of chunksize items from the shared queue `calls` (the shorter last one from
//   `calls-tail`), task_overhead each; the chunksize is 1 under pool: executor, ceil(items /
//   (4 x workers)) under pool: multiprocessing, unless the workload gives one.
#include "tests/models/exec_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

TEST_CASE("exec processes: static chunks, forked children started one after the other", "[exec]")
{
  auto w = workload("processes", 1, 10, {exec::cpu(1e-3)}, 2);
  REQUIRE_FRAGMENT(w, machine(4),
                   "queue chunk-0 1..5 by 1\n"
                   "queue chunk-1 6..10 by 1\n"
                   "process main at 0us (gil new)\n"
                   "  main: cpu 400us\n"
                   "process worker-0 at 200us (gil new)\n"
                   "  main: cpu 1500us, for_each chunk-0 [cpu 1000us], cpu 50us\n"
                   "process worker-1 at 400us (gil new)\n"
                   "  main: cpu 1500us, for_each chunk-1 [cpu 1000us], cpu 50us\n");
}

TEST_CASE("exec processes: the start method sets the children's start-up", "[exec]")
{
  // No workers given: one per core, here 3. An empty slice leaves a child only its start-up.
  auto w = workload("processes", 1, 2, {kernel_step()});
  w.model.params.set_choice("start_method", "spawn");
  REQUIRE_FRAGMENT(w, machine(3),
                   "queue chunk-0 1..1 by 1\n"
                   "queue chunk-1 2..2 by 1\n"
                   "process main at 0us (gil new)\n"
                   "  main: cpu 600us\n"
                   "process worker-0 at 200us (gil new)\n"
                   "  main: cpu 40000us, for_each chunk-0 [cpu is_prime], cpu 50us\n"
                   "process worker-1 at 400us (gil new)\n"
                   "  main: cpu 40000us, for_each chunk-1 [cpu is_prime], cpu 50us\n"
                   "process worker-2 at 600us (gil new)\n"
                   "  main: cpu 40000us\n");
  w.model.params.set_choice("start_method", "forkserver");
  const auto f = expand_workload(w, machine(3));
  CHECK(show(f.processes[1].threads[0].program) ==
        "cpu 10000us, for_each chunk-0 [cpu is_prime], cpu 50us");
}

TEST_CASE("exec processes: ProcessPoolExecutor takes one item a task", "[exec]")
{
  auto w = workload("processes", 1, 10, {exec::cpu(1e-3)}, 2);
  w.model.params.set_choice("distribution", "pool");
  REQUIRE_FRAGMENT(w, machine(4),
                   "queue calls 1..10 by 1\n"
                   "process main at 0us (gil new)\n"
                   "  main: cpu 400us\n"
                   "process worker-0 at 200us (gil new)\n"
                   "  main: cpu 1500us, for_each calls [cpu 1000us, cpu 50us]\n"
                   "process worker-1 at 400us (gil new)\n"
                   "  main: cpu 1500us, for_each calls [cpu 1000us, cpu 50us]\n");
}

TEST_CASE("exec processes: multiprocessing.Pool's chunksize, or the workload's", "[exec]")
{
  // 1000 items on 3 workers: divmod(1000, 12) = (83, 4), so 84 a task: 11 tasks (1..924) and a
  // last one of 76. Items that only compute: one kernel phase per task, then task_overhead
  // and 1 us per item of overhead (84 us, 76 us).
  auto w = workload("processes", 1, 1000, {kernel_step()}, 3);
  w.model.params.set_choice("distribution", "pool");
  w.model.params.set_choice("pool", "multiprocessing");
  w.model.params.set_number("per_item_overhead", 1e-6);
  auto f = expand_workload(w, machine(4));
  CHECK(show(f) == "queue calls 1..924 by 84\n"
                   "queue calls-tail 925..1000 by 76\n"
                   "process main at 0us (gil new)\n"
                   "  main: cpu 600us\n"
                   "process worker-0 at 200us (gil new)\n"
                   "  main: cpu 1500us, for_each calls [cpu is_prime, cpu 134us], for_each "
                   "calls-tail [cpu is_prime, cpu 126us]\n"
                   "process worker-1 at 400us (gil new)\n"
                   "  main: cpu 1500us, for_each calls [cpu is_prime, cpu 134us], for_each "
                   "calls-tail [cpu is_prime, cpu 126us]\n"
                   "process worker-2 at 600us (gil new)\n"
                   "  main: cpu 1500us, for_each calls [cpu is_prime, cpu 134us], for_each "
                   "calls-tail [cpu is_prime, cpu 126us]\n");
  // An explicit chunksize wins: 10 tasks of 100, no shorter last one.
  w.model.params.set_number("chunksize", 100);
  f = expand_workload(w, machine(4));
  REQUIRE(f.queues.size() == 1);
  CHECK(f.queues[0].name == "calls");
  CHECK(f.queues[0].chunk == 100);
  CHECK(f.queues[0].last == 1000);
}

TEST_CASE("exec processes: a task of several items runs its waits item by item", "[exec]")
{
  // Tasks of 3 of 7 items: 1..6 by 3 and a last task of 7..7; the kernel's work first, then the
  // I/O three times.
  auto w = workload("processes", 1, 7, {kernel_step(), exec::io(1e-3)}, 1);
  w.model.params.set_choice("distribution", "pool");
  w.model.params.set_number("chunksize", 3);
  REQUIRE_FRAGMENT(w, machine(1),
                   "queue calls 1..6 by 3\n"
                   "queue calls-tail 7..7 by 1\n"
                   "process main at 0us (gil new)\n"
                   "  main: cpu 200us\n"
                   "process worker-0 at 200us (gil new)\n"
                   "  main: cpu 1500us, for_each calls [cpu is_prime, repeat 3 [io 1000us], cpu "
                   "50us], for_each calls-tail [cpu is_prime, io 1000us, cpu 50us]\n");
}
