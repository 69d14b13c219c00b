// The other lock kinds under the test driver (no SimGrid): queue, condition, barrier, event, and
// a thread's own start. Each schedule is worked out by hand from the rules (docs/semantics.md):
// a woken thread goes on after the wake-up latency (30 us here), a thread that does not block
// goes on at once, and idle cores take threads in core-id order. Times are milliseconds.
#include "tests/os/test_driver.hpp"

#include <catch2/catch.hpp>

using gilsim::test::change_log;
using gilsim::test::run_without_simgrid;
using list = std::vector<std::string>;

TEST_CASE("os sync: a producer puts 3 items 1 ms apart, a consumer gets them", "[os][sync]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}
scheduler: {policy: fifo}
locks: {q: {kind: queue}}
processes:
  - {name: p, runtime: native, threads: [
      {name: producer, program: [{repeat: 3, do: [{sleep: 1ms}, {put: q}]}]},
      {name: consumer, program: [{repeat: 3, do: [{get: q}, {cpu: 100us}]}]}]}
)", &log);
  // The consumer finds q empty at 0 and waits. Each put (at 1, 2, 3) hands its item straight
  // to the waiting consumer, which runs 30 us later for 100 us on core 0 and waits again at
  // x.13; the producer goes on sleeping and ends with its third put at 3.
  CHECK(log.lines == list{"0ms producer sleep", "0ms consumer lock wait",
                          "1ms producer sleep", "1.03ms consumer ready",
                          "1.03ms consumer running@0", "1.13ms consumer lock wait",
                          "2ms producer sleep", "2.03ms consumer ready",
                          "2.03ms consumer running@0", "2.13ms consumer lock wait",
                          "3ms producer done", "3.03ms consumer ready",
                          "3.03ms consumer running@0", "3.13ms consumer done"});
  CHECK(log.handoffs ==
        list{"1ms q producer->consumer", "2ms q producer->consumer", "3ms q producer->consumer"});
  CHECK(r.status == "ok");
  CHECK(r.makespan_s == Approx(3.13e-3).margin(1e-12));
  // Waits 0-1.03, 1.13-2.03 and 2.13-3.03: 1.03 + 0.9 + 0.9.
  CHECK(r.threads[1].lock_wait_s == Approx(2.83e-3).margin(1e-12));
  CHECK(r.threads[1].cpu_s == Approx(0.3e-3).margin(1e-12));
  CHECK(r.threads[0].lock_wait_s == 0);
}

TEST_CASE("os sync: a queue of capacity 1 makes the producer wait", "[os][sync]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}
locks: {q: {kind: queue, capacity: 1}}
processes:
  - {name: p, runtime: native, threads: [
      {name: producer, program: [{repeat: 3, do: [{put: q}]}]},
      {name: consumer, program: [{repeat: 3, do: [{sleep: 1ms}, {get: q}]}]}]}
)", &log);
  // At 0 the first put fills q and the second waits. The get at 1 takes the item and lets the
  // waiting put's item in; the producer goes on at 1.03 and its third put waits on the full q.
  // The get at 2 lets that one in: the producer ends at 2.03. The get at 3 empties q.
  CHECK(log.lines == list{"0ms producer lock wait", "0ms consumer sleep", "1ms consumer sleep",
                          "1.03ms producer lock wait", "2ms consumer sleep", "2.03ms producer done",
                          "3ms consumer done"});
  CHECK(log.handoffs == list{"1ms q consumer->producer", "2ms q consumer->producer"});
  CHECK(r.makespan_s == Approx(3e-3).margin(1e-12));
  CHECK(r.threads[0].lock_wait_s == Approx(2.03e-3).margin(1e-12));  // 0-1.03 and 1.03-2.03
  CHECK(r.threads[1].lock_wait_s == 0);
}

namespace {
// Three waiters on cv and a notifier at 1 ms that runs `how` (notify or notify_all).
std::string condition_scenario(const std::string& how)
{
  return R"(
machine: {cores: 4, context_switch: 0, wakeup_latency: 30us}
locks: {cv: {kind: condition}}
processes:
  - {name: p, runtime: native, threads: [
      {name: waiter, count: 3, program: [{lock: cv}, {wait: cv}, {unlock: cv}]},
      {name: notifier, program: [{sleep: 1ms}, {lock: cv}, {)" +
         how + R"(: cv}, {unlock: cv}]}]}
)";
}
}  // namespace

TEST_CASE("os sync: notify wakes one waiter, notify_all wakes every one", "[os][sync]")
{
  SECTION("notify")
  {
    change_log log;
    auto r = run_without_simgrid(condition_scenario("notify"), &log);
    // Each waiter takes cv at 0 and waits, giving it up. At 1 the notifier moves waiter-0 to
    // the lock's queue and, unlocking, hands it the lock; waiter-0 unlocks and ends at 1.03.
    // The other two wait for a notify that never comes: a deadlock at 1.03.
    CHECK(log.handoffs == list{"1ms cv notifier->waiter-0"});
    CHECK(log.only({"done"}) == list{"1ms notifier done", "1.03ms waiter-0 done"});
    CHECK(r.status == "deadlock");
    CHECK(r.makespan_s == Approx(1.03e-3).margin(1e-12));
    CHECK(r.message == "deadlock at 0.00103 s: every live thread waits for a lock\n"
                       "  waiter-1 holds [] and waits on condition cv for a notify\n"
                       "  waiter-2 holds [] and waits on condition cv for a notify");
  }
  SECTION("notify_all")
  {
    change_log log;
    auto r = run_without_simgrid(condition_scenario("notify_all"), &log);
    // All three move to the lock's queue in the order they waited; each unlock hands the lock
    // to the next, 30 us apart: waiter-0 at 1.03, waiter-1 at 1.06, waiter-2 at 1.09.
    CHECK(log.handoffs == list{"1ms cv notifier->waiter-0", "1.03ms cv waiter-0->waiter-1",
                               "1.06ms cv waiter-1->waiter-2"});
    CHECK(log.only({"done"}) == list{"1ms notifier done", "1.03ms waiter-0 done",
                                     "1.06ms waiter-1 done", "1.09ms waiter-2 done"});
    CHECK(r.status == "ok");
    CHECK(r.makespan_s == Approx(1.09e-3).margin(1e-12));
    CHECK(r.threads[2].lock_wait_s == Approx(1.09e-3).margin(1e-12));
  }
}

TEST_CASE("os sync: a barrier of 3 opens at the last arrival", "[os][sync]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 3, context_switch: 0, wakeup_latency: 30us}
locks: {b: {kind: barrier, parties: 3}}
processes:
  - {name: p, runtime: native, threads: [
      {name: a, program: [{sleep: 1ms}, {wait: b}, {cpu: 1ms}]},
      {name: b, program: [{sleep: 2ms}, {wait: b}, {cpu: 1ms}]},
      {name: c, program: [{sleep: 3ms}, {wait: b}, {cpu: 1ms}]}]}
)", &log);
  // a waits at 1, b at 2; c arrives at 3, goes on at once (core 0, 3-4) and wakes a and b,
  // which run 30 us later on cores 1 and 2 until 4.03.
  CHECK(log.handoffs == list{"3ms b c->a", "3ms b c->b"});
  CHECK(log.only({"running", "done"}) ==
        list{"3ms c running@0", "3.03ms a running@1", "3.03ms b running@2", "4ms c done",
             "4.03ms a done", "4.03ms b done"});
  CHECK(r.threads[0].lock_wait_s == Approx(2.03e-3).margin(1e-12));
  CHECK(r.threads[1].lock_wait_s == Approx(1.03e-3).margin(1e-12));
  CHECK(r.threads[2].lock_wait_s == 0);
  CHECK(r.makespan_s == Approx(4.03e-3).margin(1e-12));
}

TEST_CASE("os sync: an event waited on before and after it is set; a thread's own start",
          "[os][sync]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}
locks: {ev: {kind: event}}
processes:
  - {name: p, runtime: native, threads: [
      {name: early, program: [{wait: ev}, {cpu: 1ms}]},
      {name: setter, program: [{sleep: 2ms}, {set: ev}]}]}
  - {name: q, runtime: native, start: 1ms, threads: [
      {name: late, start: 2ms, program: [{wait: ev}, {cpu: 1ms}]}]}
)", &log);
  // early waits at 0; the set at 2 wakes it: it runs 2.03-3.03 on core 0. late starts 2 ms
  // after its process (which starts at 1): at 3, when ev is set, so it goes on at once, on the
  // idle core 1, until 4.
  CHECK(log.handoffs == list{"2ms ev setter->early"});
  CHECK(log.lines == list{"0ms early lock wait", "0ms setter sleep", "2ms setter done",
                          "2.03ms early ready", "2.03ms early running@0", "3ms late ready",
                          "3ms late running@1", "3.03ms early done", "4ms late done"});
  CHECK(r.threads[0].lock_wait_s == Approx(2.03e-3).margin(1e-12));
  CHECK(r.threads[2].start_s == Approx(3e-3).margin(1e-12));
  CHECK(r.threads[2].lock_wait_s == 0);
  CHECK(r.makespan_s == Approx(4e-3).margin(1e-12));
}

TEST_CASE("os sync: a get that nobody puts to is a deadlock, reported with what it waits for",
          "[os][sync]")
{
  auto r = run_without_simgrid(R"(
machine: {cores: 1, context_switch: 0, wakeup_latency: 0}
locks: {q: {kind: queue}, m: {kind: mutex}}
processes:
  - {name: p, runtime: native, threads: [
      {name: producer, program: [{cpu: 1ms}, {put: q}]},
      {name: consumer, program: [{lock: m}, {get: q}, {get: q}, {unlock: m}]}]}
)");
  // consumer takes m and waits on the empty q at 0; producer puts one item at 1 and ends; with
  // no wake-up latency consumer takes it at once and waits for a second item that never comes.
  CHECK(r.status == "deadlock");
  CHECK(r.makespan_s == Approx(1e-3).margin(1e-12));
  CHECK(r.message == "deadlock at 0.001 s: every live thread waits for a lock\n"
                     "  consumer holds [m] and waits on queue q for an item to get (the queue "
                     "is empty)");
}

TEST_CASE("os sync: a Python thread waiting on a queue has released the GIL", "[os][sync]")
{
  change_log log;
  auto r = run_without_simgrid(R"(
machine: {cores: 2, context_switch: 0, wakeup_latency: 30us}
python: {gil: new, switch_interval: 5ms, check_latency: 0, handoff: fifo}
locks: {q: {kind: queue}}
processes:
  - {name: p, threads: [{name: consumer, program: [{cpu: 1ms}, {get: q}, {cpu: 1ms}]},
                        {name: worker, program: [{cpu: 3ms}, {put: q}]}]}
)", &log);
  // consumer takes the GIL at 0; worker waits for it. At 1 consumer waits on the empty q and
  // drops the GIL, signalling worker, which takes it 30 us later (long before its 5 ms timed
  // wait would have asked for a drop) and runs 1.03-4.03. Its put hands the item to consumer,
  // which takes the free GIL at 4.06 and ends at 5.06.
  std::vector<std::string> gil;
  for (const auto& l : log.lines)
    if (l.find(" GIL p ") != std::string::npos)
      gil.push_back(l);
  CHECK(gil == list{"0ms GIL p consumer", "1ms GIL p free", "1.03ms GIL p worker",
                    "4.03ms GIL p free", "4.06ms GIL p consumer", "5.06ms GIL p free"});
  CHECK(r.threads[1].gil_wait_s == Approx(1.03e-3).margin(1e-12));
  CHECK(r.threads[0].lock_wait_s == Approx(3.06e-3).margin(1e-12));
  CHECK(r.makespan_s == Approx(5.06e-3).margin(1e-12));
}
