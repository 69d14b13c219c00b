// The other lock kinds' steps (put, get, wait, notify, notify_all, set, clear), a thread's own
// start, and a workload beside written processes: what loads, and where each mistake points.
#include "tests/load/load_error.hpp"

#include <catch2/catch.hpp>

using namespace gilsim;
using gilsim::test::require_errors;
using Catch::Matchers::Contains;

namespace {

// `locks` on line 1, one native thread whose steps start on line 8, one a line, and `more`
// threads after it.
std::string program(const std::string& locks, const std::string& steps,
                    const std::string& more = "")
{
  return "locks: " + locks + "\n"  // line 1
         "processes:\n"
         "  - name: p\n"
         "    runtime: native\n"
         "    threads:\n"
         "      - name: t\n"
         "        program:\n" +  // line 7
         steps + more;
}

const std::string step0 = "processes[0].threads[0].program[0]";
const std::string step1 = "processes[0].threads[0].program[1]";

}  // namespace

TEST_CASE("loader sync: the lock steps load with their lock's name", "[loader][sync]")
{
  const scenario sc = load_scenario_text(
      program("{q: {kind: queue, capacity: 2}, cv: {kind: condition}, b: {kind: barrier, "
              "parties: 1}, ev: {kind: event}}",
              "          - put: q\n          - get: q\n          - lock: cv\n"
              "          - notify: cv\n          - notify_all: cv\n          - wait: cv\n"
              "          - unlock: cv\n          - wait: b\n          - set: ev\n"
              "          - wait: ev\n          - clear: ev\n"),
      "t.yaml");
  const auto& prog = sc.processes[0].threads[0].program;
  const std::vector<std::pair<step_kind, std::string>> expected = {
      {step_kind::put, "q"},          {step_kind::get, "q"},     {step_kind::lock, "cv"},
      {step_kind::notify, "cv"},      {step_kind::notify_all, "cv"},
      {step_kind::wait, "cv"},        {step_kind::unlock, "cv"}, {step_kind::wait, "b"},
      {step_kind::set, "ev"},         {step_kind::wait, "ev"},   {step_kind::clear, "ev"}};
  REQUIRE(prog.size() == expected.size());
  for (size_t i = 0; i < prog.size(); ++i) {
    CHECK(prog[i].kind == expected[i].first);
    CHECK(prog[i].lock == expected[i].second);
  }
  CHECK(sc.locks[0].kind.params.number("capacity") == 2);
  CHECK_FALSE(load_scenario_text(program("{q: {kind: queue}}", "          - put: q\n"), "t.yaml")
                  .locks[0]
                  .kind.params.has("capacity"));  // unbounded
}

TEST_CASE("loader sync: a step its lock's kind does not take, or an unknown lock",
          "[loader][sync]")
{
  // "          - put: m": `put` at 13..15, the name at 18; `wait` 13..16, the name at 19.
  require_errors({
      {program("{m: {kind: mutex}}", "          - put: m\n"), 8, 18, step0 + ".put",
       "'m' is of kind mutex, which takes no put step (only lock, unlock)"},
      {program("{q: {kind: queue}}", "          - lock: q\n"), 8, 19, step0 + ".lock",
       "'q' is of kind queue, which takes no lock step (only put, get)"},
      {program("{ev: {kind: event}}", "          - notify: ev\n"), 8, 21, step0 + ".notify",
       "'ev' is of kind event, which takes no notify step (only wait, set, clear)"},
      {program("{q: {kind: queue}}", "          - get: qq\n"), 8, 18, step0 + ".get",
       "unknown lock 'qq'; did you mean 'q'?"},
  });
}

TEST_CASE("loader sync: a condition's wait and notify need its lock held", "[loader][sync]")
{
  require_errors({
      {program("{cv: {kind: condition}}", "          - wait: cv\n"), 8, 19, step0 + ".wait",
       "wait on 'cv' needs its lock, which the thread does not hold at this point: lock: cv "
       "first"},
      {program("{cv: {kind: condition}}",
               "          - lock: cv\n          - unlock: cv\n          - notify: cv\n"),
       10, 21, "processes[0].threads[0].program[2].notify",
       "notify on 'cv' needs its lock"},
  });
}

TEST_CASE("loader sync: a queue's capacity is at least 1", "[loader][sync]")
{
  // `capacity` at 26..33, its value at 36.
  require_errors({{program("{q: {kind: queue, capacity: 0}}", "          - put: q\n"), 1, 36,
                   "locks.q.capacity", "must be between 1 and 1e+12, got '0'"}});
}

TEST_CASE("loader sync: waits that no thread can ever end are refused", "[loader][sync]")
{
  const std::string other = "      - name: u\n        program: [{cpu: 1ms}]\n";
  require_errors({
      // Each at its step: in block style, at the step's key (column 13).
      {program("{q: {kind: queue}}", "          - cpu: 1ms\n          - get: q\n", other), 9,
       13, step1 + ".get",
       "get on queue 'q' can never go on: no thread has a put step on 'q'"},
      {program("{ev: {kind: event}}", "          - wait: ev\n", other), 8, 13, step0 + ".wait",
       "wait on event 'ev' can never go on: no thread has a set step on 'ev'"},
      {program("{cv: {kind: condition}}",
               "          - lock: cv\n          - wait: cv\n          - unlock: cv\n"),
       9, 13, step1 + ".wait",
       "wait on condition 'cv' can never go on: no thread has a notify or notify_all step on "
       "'cv'"},
      {program("{b: {kind: barrier, parties: 3}}", "          - wait: b\n",
               "      - name: u\n        program: [{wait: b}]\n"),
       8, 13, step0 + ".wait",
       "barrier 'b' needs 3 parties, but only 2 threads ever wait at it: it can never open"},
  });
  // A put in another process is enough, and a thread of count 3 is three parties.
  CHECK_NOTHROW(load_scenario_text(
      program("{q: {kind: queue}, b: {kind: barrier, parties: 3}}", "          - get: q\n",
              "      - {name: u, count: 3, program: [{wait: b}]}\n"
              "  - {name: r, runtime: native, threads: [{name: v, program: [{put: q}]}]}\n"),
      "t.yaml"));
}

TEST_CASE("loader sync: a thread's own start, after its process's", "[loader][sync]")
{
  const scenario sc = load_scenario_text(R"(
processes:
  - name: p
    runtime: native
    start: 10ms
    threads: [{name: a, start: 50ms, program: [{cpu: 1ms}]}, {name: b, program: [{cpu: 1ms}]}]
)",
                                         "t.yaml");
  CHECK(sc.processes[0].start == Approx(0.010));
  CHECK(sc.processes[0].threads[0].start == Approx(0.050));
  CHECK(sc.processes[0].threads[1].start == 0);
  // "    threads: [{name: a, start: -1ms, ...": `start` at 25..29, its value at 32.
  require_errors({{"processes:\n  - name: p\n    runtime: native\n"
                   "    threads: [{name: a, start: -1ms, program: [{cpu: 1ms}]}]\n",
                   4, 32, "processes[0].threads[0].start", "negative"}});
}

TEST_CASE("loader sync: a workload's processes go beside the written ones", "[loader][sync]")
{
  const std::string head = "workload:\n"                     // line 1
                           "  items: {range: [1, 2]}\n"
                           "  per_item: [{cpu: 1ms}]\n"
                           "processes:\n";                   // line 4
  const scenario sc = load_scenario_text(
      head + "  - {name: side, runtime: native, threads: [{name: t, program: [{cpu: 1ms}]}]}\n",
      "t.yaml");
  REQUIRE(sc.processes.size() == 2);
  CHECK(sc.processes[0].name == "side");  // the written ones first
  CHECK(sc.processes[1].name == "main");  // then the sync model's
  // "  - name: main": the name at 11.
  require_errors({{head + "  - name: main\n    threads: [{name: t, program: [{cpu: 1ms}]}]\n", 5,
                   11, "processes[0].name",
                   "process name 'main' is also one that the workload's model sync makes; "
                   "rename this process"}});
}
