// processes with distribution manager (models/exec/exec_manager.cpp), expanded without an
// engine. The parent `main` starts the manager (parent_start, 200 us), waits for its start-up
// (I/O of the start method's cost, fork 1.5 ms), then starts the W workers (200 us each). The
// process `manager`, started at 200 us, has its start-up thread `main` and one daemon thread
// conn-i per worker. Worker i starts at 0.2 + 1.5 + 0.2 (i + 1) ms, takes the mutex
// manager.req-i, starts up, connects (one manager_round_trip of I/O, 80 us) and then gets each
// queue element and the end: a get is transit / 2 of I/O, the hand-off (give req-i, take rep-i,
// take req-i, give rep-i), and transit / 2, where transit = round_trip - manager_cpu - 2 x
// wakeup_latency (at least 0). conn-i sleeps until halfway through worker i's connecting round
// trip, takes rep-i and req-i, and answers the gets, each with manager_cpu (20 us) of work under
// the mutex `manager`.
#include "tests/models/exec_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

workload_spec manager_workload(int workers)
{
  auto w = workload("processes", 1, 3, {exec::cpu(1e-3)}, workers);
  w.model.params.set_choice("distribution", "manager");
  return w;
}

// The worker's hand-off on its two mutexes, between the two halves of the transit.
std::string handoff(int i)
{
  return fmt::format("unlock manager.req-{0}, lock manager.rep-{0}, lock manager.req-{0}, "
                     "unlock manager.rep-{0}",
                     i);
}

std::string serve(int i, int gets)
{
  return fmt::format("repeat {1} [lock manager, cpu 20us, unlock manager, unlock manager.rep-{0}, "
                     "unlock manager.req-{0}, lock manager.rep-{0}, lock manager.req-{0}]",
                     i, gets);
}

}  // namespace

TEST_CASE("exec manager: every get is a round trip to the manager's server thread", "[exec]")
{
  // wakeup 10 us: transit = 80 - 20 - 2 x 10 = 40 us, 20 us each side of the hand-off. Worker 0
  // starts at 1.9 ms and worker 1 at 2.1 ms; conn-i sleeps from 0.2 ms to 40 us into worker i's
  // connection: 1.74 ms and 1.94 ms. 3 elements of one item and the end: 4 gets.
  const std::string get0 = "io 20us, " + handoff(0) + ", io 20us";
  const std::string get1 = "io 20us, " + handoff(1) + ", io 20us";
  REQUIRE_FRAGMENT(
      manager_workload(2), machine(2, 10),
      "lock manager (mutex)\n"
      "lock manager.req-0 (mutex)\n"
      "lock manager.rep-0 (mutex)\n"
      "lock manager.req-1 (mutex)\n"
      "lock manager.rep-1 (mutex)\n"
      "queue items 1..3 by 1\n"
      "process main at 0us (gil new)\n"
      "  main: cpu 200us, io 1500us, cpu 400us\n"
      "process manager at 200us (gil new)\n"
      "  main: cpu 1500us\n"
      "  conn-0 (daemon): sleep 1740us, lock manager.rep-0, lock manager.req-0, " + serve(0, 4) +
          "\n"
          "  conn-1 (daemon): sleep 1940us, lock manager.rep-1, lock manager.req-1, " +
          serve(1, 4) +
          "\n"
          "process worker-0 at 1900us (gil new)\n"
          "  main: lock manager.req-0, cpu 1500us, io 80us, for_each items [" + get0 +
          ", cpu 1000us], " + get0 +
          "\n"
          "process worker-1 at 2100us (gil new)\n"
          "  main: lock manager.req-1, cpu 1500us, io 80us, for_each items [" + get1 +
          ", cpu 1000us], " + get1 + "\n");
}

TEST_CASE("exec manager: wake-ups that fill the round trip leave no transit", "[exec]")
{
  // wakeup 50 us: 80 - 20 - 100 < 0, so a get is the hand-off alone.
  const auto f = expand_workload(manager_workload(1), machine(1, 50));
  REQUIRE(f.processes.size() == 3);
  CHECK(show(f.processes[2].threads[0].program) ==
        "lock manager.req-0, cpu 1500us, io 80us, for_each items [" + handoff(0) +
            ", cpu 1000us], " + handoff(0));
}

TEST_CASE("exec manager: a chunksize puts lists of items on the queue", "[exec]")
{
  // 3 items by 2: an element of 2 (its item's steps twice) and a last one of 1; the server
  // answers (3 - 1) / 2 + 2 = 3 gets.
  auto w = manager_workload(1);
  w.model.params.set_number("chunksize", 2);
  const auto f = expand_workload(w, machine(1, 10));
  REQUIRE(f.queues.size() == 2);
  CHECK(show(f).find("queue items 1..2 by 2\nqueue items-tail 3..3 by 1\n") != std::string::npos);
  const std::string get = "io 20us, " + handoff(0) + ", io 20us";
  CHECK(show(f.processes[2].threads[0].program) ==
        "lock manager.req-0, cpu 1500us, io 80us, for_each items [" + get +
            ", repeat 2 [cpu 1000us]], for_each items-tail [" + get + ", cpu 1000us], " + get);
  CHECK(show(f.processes[1].threads[1].program).find(serve(0, 3)) != std::string::npos);
}
