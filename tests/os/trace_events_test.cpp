// What the OS tells the pictures beyond the states: GIL drop requests, a held lock's holders,
// and a wait on a lock named for what the lock stands for (a scenario's lock, an event loop, a
// join). Run by the test driver; times in simulated milliseconds.
#include "tests/os/test_driver.hpp"

#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using gilsim::test::change_log;
using list = std::vector<std::string>;

namespace {

// Two native threads on two free cores, no wake-up: a holds m 0-2 ms; b computes 0-1, waits for
// m 1-2, is handed it at 2 (a's unlock), holds it 2-3.
const char* two_on_m = "machine: {cores: 2, context_switch: 0, wakeup_latency: 0}\n"
                       "locks: {m: {}}\n"
                       "processes:\n"
                       "  - name: c\n"
                       "    runtime: native\n"
                       "    threads:\n"
                       "      - {name: a, program: [{lock: m}, {cpu: 2ms}, {unlock: m}]}\n"
                       "      - {name: b, program: [{cpu: 1ms}, {lock: m}, {cpu: 1ms}, "
                       "{unlock: m}]}\n";

bool has(const list& l, const std::string& line)
{
  return std::find(l.begin(), l.end(), line) != l.end();
}

}  // namespace

TEST_CASE("trace events: a held lock's holders, each change once", "[os][trace]")
{
  change_log log;
  gilsim::test::run_without_simgrid(two_on_m, &log);
  CHECK(log.holders == list{"0ms m a", "2ms m b", "3ms m free"});
  CHECK(has(log.lines, "1ms b lock wait"));
}

TEST_CASE("trace events: a wait on an event loop or a join is named so, not a lock wait",
          "[os][trace]")
{
  gilsim::scenario sc = gilsim::load_scenario_text(two_on_m, "test.yaml");
  REQUIRE(sc.locks.size() == 1);
  sc.locks[0].role = gilsim::lock_role::event_loop;
  change_log loop;
  gilsim::test::run_scenario(sc, &loop);
  CHECK(has(loop.lines, "1ms b waiting for the loop"));
  CHECK_FALSE(has(loop.lines, "1ms b lock wait"));

  sc.locks[0].role = gilsim::lock_role::join;
  change_log join;
  gilsim::test::run_scenario(sc, &join);
  CHECK(has(join.lines, "1ms b join"));
  // The holders are told whatever the lock stands for.
  CHECK(join.holders == list{"0ms m a", "2ms m b", "3ms m free"});
}

TEST_CASE("trace events: the asyncio model's tasks wait for the loop", "[os][trace]")
{
  // Two tasks, two items of 1 ms of CPU then 2 ms of I/O, no task_step, free switches: task-0
  // runs item 1 0-1 ms while task-1 waits for the loop, then task-1 runs item 2 1-2 ms.
  change_log log;
  gilsim::test::run_without_simgrid(
      "machine: {cores: 1, context_switch: 0, wakeup_latency: 0}\n"
      "workload:\n"
      "  items: {range: [1, 2]}\n"
      "  per_item: [{cpu: 1ms}, {io: 2ms}]\n"
      "  model: asyncio\n"
      "  workers: 2\n"
      "  task_step: 0\n",
      &log);
  CHECK(has(log.lines, "0ms task-1 waiting for the loop"));
  CHECK(has(log.lines, "1ms task-1 running@0"));
  for (const auto& l : log.lines)
    CHECK(l.find("lock wait") == std::string::npos);
  CHECK(log.holders.at(0) == "0ms event-loop task-0");
  CHECK(log.holders.at(1) == "1ms event-loop task-1");
}

TEST_CASE("trace events: the new GIL's drop request, asked of the holder", "[os][trace][gil]")
{
  // handoff_test's three threads: a holds the GIL from 0, b waits from 0 and its first pass
  // ends at 5 ms with no switch: it asks a to drop (a drops at 5.005). No later wait lasts a
  // whole interval without a switch: that is the only request.
  change_log log;
  gilsim::test::run_without_simgrid(
      "machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}\n"
      "python: {gil: new, switch_interval: 5ms, check_latency: 5us, handoff: fifo}\n"
      "processes:\n"
      "  - {name: p, threads: [{name: a, program: [{cpu: 20ms}]},\n"
      "                        {name: b, program: [{cpu: 1ms}]},\n"
      "                        {name: c, program: [{io: 1ms}, {cpu: 1ms}]}]}\n",
      &log);
  CHECK(log.drop_requests == list{"5ms drop request p a"});
  CHECK(has(log.lines, "5.005ms GIL p free"));
}

TEST_CASE("trace events: a worker waiting for the next request waits for work, not for a lock",
          "[os][trace][requests]")
{
  // One thread worker, free queue gets and switches: a request every 10 ms of 1 ms CPU. It
  // serves request 1 at 0-1 ms, then waits for request 2, which arrives at 10 ms.
  change_log log;
  gilsim::test::run_without_simgrid(
      "machine: {cores: 1, context_switch: 0, wakeup_latency: 0}\n"
      "workload:\n"
      "  arrivals: {every: 10ms, count: 2}\n"
      "  per_item: [{cpu: 1ms}]\n"
      "  model: threads\n"
      "  workers: 1\n"
      "  queue_get: 0\n",
      &log);
  CHECK(has(log.lines, "1ms worker-0 waiting for work"));
  CHECK(has(log.lines, "10ms worker-0 running@0"));
  for (const auto& l : log.lines)
    CHECK(l.find("lock wait") == std::string::npos);
}
