// Per-thread policy attributes (nice, priority, ...): declared by the policies in their registry
// entries, accepted on a thread whichever policy is chosen as long as some policy declares them,
// checked by the declaring policy's declaration, and filled with defaults where a thread is silent.
#include "models/sched/sched_policy.hpp"
#include "tests/load/load_error.hpp"

using namespace gilsim;
using gilsim::test::load_error;
using Catch::Matchers::Contains;

namespace {

// A policy the loader has never heard of, with an attribute of its own: nothing in sim/load
// names it, and threads may still say `tickets:`. It schedules as fifo, for the tests that make
// every registered policy.
const bool lottery_registered = sched_registry::add({
    "test_lottery",
    "a stand-in lottery scheduler for the attribute tests, scheduling as fifo",
    {},
    [](const param_values&, const sched_context& ctx) {
      const auto* fifo = sched_registry::instance().find("fifo");
      return fifo->make(default_values(fifo->params), ctx);
    },
    {{"tickets", param_kind::integer, "", 100, 1, 10000, false, "the thread's lottery tickets", {}}},
});

// A native process of two threads, `a` with line 6 written under it, and `b` with nothing.
// Line 6 is "        KEY: VALUE": KEY at column 9, the value at 11 + len(KEY).
std::string two_threads(const std::string& scheduler, const std::string& line6)
{
  return "scheduler: " + scheduler + "\n"  // line 1
         "processes:\n"                    // line 2
         "  - name: p\n"                   // line 3
         "    runtime: native\n"           // line 4
         "    threads:\n"                  // line 5
         "      - name: a\n" +             // line 6
         line6 + "\n" +                    // line 7
         "        program: [{cpu: 1ms}]\n"
         "      - name: b\n"
         "        program: [{cpu: 1ms}]\n";
}

}  // namespace

TEST_CASE("thread attributes: a new policy's attribute needs no loader change", "[attributes]")
{
  const scenario sc = load_scenario_text(two_threads("{policy: test_lottery}", "        tickets: 5"),
                                         "t.yaml");
  const auto& threads = sc.processes[0].threads;
  CHECK(threads[0].attributes.number("tickets") == 5);
  CHECK(threads[1].attributes.number("tickets") == 100);  // the declared default
  // Every declared attribute holds a value, the other policies' too.
  CHECK(threads[1].attributes.number("nice") == 0);
  CHECK(threads[1].attributes.number("priority") == 0);

  // Line 7 is "        tickets: 0": the value at column 18.
  const auto e = load_error(two_threads("{policy: test_lottery}", "        tickets: 0"));
  REQUIRE_ERROR_AT(e, "t.yaml", 7, 18, "processes[0].threads[0].tickets");
  CHECK_THAT(e.message(), Contains("must be between 1 and 10000, got '0'"));
}

TEST_CASE("thread attributes: a key of another policy is accepted and checked by its declaration",
          "[attributes]")
{
  // nice is cfs's: under rr it is kept, and still checked against cfs's range.
  const scenario sc = load_scenario_text(two_threads("{policy: rr}", "        nice: 5"), "t.yaml");
  CHECK(sc.processes[0].threads[0].attributes.number("nice") == 5);
  const auto e = load_error(two_threads("{policy: rr}", "        nice: 20"));
  REQUIRE_ERROR_AT(e, "t.yaml", 7, 15, "processes[0].threads[0].nice");
  CHECK_THAT(e.message(), Contains("must be between -20 and 19, got '20'"));
  // priority is the priority policy's, checked under cfs.
  CHECK_THAT(load_error(two_threads("{policy: cfs}", "        priority: x")).message(),
             Contains("expected an integer, got 'x'"));
}

TEST_CASE("thread attributes: --set scheduler.policy keeps a scenario with nice valid",
          "[attributes]")
{
  const std::string text = two_threads("{policy: cfs}", "        nice: -3");
  for (const char* policy : {"rr", "fifo", "priority", "ps", "test_lottery"}) {
    INFO(policy);
    const scenario sc =
        load_scenario_text(text, "t.yaml", {std::string("scheduler.policy=") + policy});
    CHECK(sc.scheduler.name == policy);
    CHECK(sc.processes[0].threads[0].attributes.number("nice") == -3);
  }
}

TEST_CASE("thread attributes: a key no policy declares is unknown, with a near miss",
          "[attributes]")
{
  const auto e = load_error(two_threads("{policy: cfs}", "        nise: 1"));
  REQUIRE_ERROR_AT(e, "t.yaml", 7, 9, "processes[0].threads[0].nise");
  CHECK_THAT(e.message(), Contains("unknown key 'nise'; did you mean 'nice'?"));
  CHECK_THAT(load_error(two_threads("{policy: cfs}", "        tikets: 1")).message(),
             Contains("did you mean 'tickets'?"));
  CHECK_THAT(load_error(two_threads("{policy: cfs}", "        weight: 1")).message(),
             Contains("unknown key 'weight'; allowed keys: name, count, daemon, start, program, "
                      "affinity, working_set, nice, tickets, priority"));
}

TEST_CASE("thread attributes: a workload's threads hold the policies' defaults", "[attributes]")
{
  const scenario sc = load_scenario_text("scheduler: {policy: test_lottery}\n"
                                         "workload:\n"
                                         "  items: {range: [1, 4]}\n"
                                         "  per_item: [{cpu: 1ms}]\n"
                                         "  model: threads\n"
                                         "  workers: 2\n",
                                         "t.yaml");
  REQUIRE(sc.processes.size() == 1);
  REQUIRE(sc.processes[0].threads.size() == 2);
  for (const auto& t : sc.processes[0].threads) {
    CHECK(t.attributes.number("tickets") == 100);
    CHECK(t.attributes.number("nice") == 0);
    CHECK(t.attributes.number("priority") == 0);
  }
}
