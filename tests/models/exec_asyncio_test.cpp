// asyncio (models/exec/exec_asyncio.cpp), expanded without an engine: one Python process `main`,
// one thread `task-i` per task (workers, default 1) over the shared queue `items`, and the event
// loop as the mutex `event-loop` that a task holds while it runs. A task takes the loop, pays
// task_step (5 us), and gives the loop up around every await (io, sleep), paying task_step again
// when it resumes; it keeps the loop from one item into the next (taking an item is no await)
// and gives it up when the queue is empty; per_item_overhead comes at the item's end.
#include "tests/models/exec_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

// The loop, the queue `items` of `range` taken `chunk` at a time, and `tasks` tasks each taking
// the loop, paying its first step `first`, running `body` for every take, and giving the loop
// up when the queue is empty.
std::string event_loop(const std::string& range, int chunk, int tasks, const std::string& first,
                       const std::string& body)
{
  std::string out = fmt::format("lock event-loop (mutex)\n"
                                "queue items {} by {}\n"
                                "process main at 0us (gil new)\n",
                                range, chunk);
  for (int i = 0; i < tasks; ++i)
    out += fmt::format("  task-{}: lock event-loop, cpu {}, for_each items [{}], unlock event-loop\n",
                       i, first, body);
  return out;
}

}  // namespace

TEST_CASE("exec asyncio: awaits give the loop up, CPU keeps it", "[exec]")
{
  auto w = workload("asyncio", 1, 6, {exec::cpu(1e-3), exec::sleep(50e-3), exec::cpu(2e-3)}, 3);
  REQUIRE_FRAGMENT(w, machine(2),
                   event_loop("1..6", 1, 3, "5us",
                              "cpu 1000us, unlock event-loop, sleep 50000us, lock event-loop, "
                              "cpu 5us, cpu 2000us"));
}

TEST_CASE("exec asyncio: one task by default; overhead before the loop is given up", "[exec]")
{
  auto w = workload("asyncio", 1, 2, {exec::io(10e-3)});
  w.model.params.set_number("task_step", 0);
  w.model.params.set_number("per_item_overhead", 3e-6);
  REQUIRE_FRAGMENT(w, machine(1),
                   event_loop("1..2", 1, 1, "0us",
                              "unlock event-loop, io 10000us, lock event-loop, cpu 0us, cpu 3us"));
}

TEST_CASE("exec asyncio: items that only compute are one phase, done by the first task", "[exec]")
{
  // A task that never awaits keeps the loop: the whole range is one take, so task-1 finds the
  // queue empty. 100 items of 1 us overhead: 100 us after the kernel's work.
  auto w = workload("asyncio", 1, 100, {kernel_step()}, 2);
  w.model.params.set_number("per_item_overhead", 1e-6);
  REQUIRE_FRAGMENT(w, machine(2),
                   event_loop("1..100", 100, 2, "5us", "cpu is_prime, cpu 100us"));
}
