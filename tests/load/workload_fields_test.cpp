// The workload section: the execution models' fields (distribution, chunksize, start_method) as
// the models declare them, checked at their position, and the fragment a model expands the
// workload into added after the scenario's own locks, queues and processes.
#include "tests/load/load_error.hpp"

using namespace gilsim;
using gilsim::test::load_error;
using Catch::Matchers::Contains;

namespace {

// Line 5 is "  KEY: VALUE": KEY at column 3, the value at 5 + len(KEY).
std::string workload(const std::string& model, const std::string& line5 = "")
{
  return "workload:\n"                      // line 1
         "  items: {range: [1, 10]}\n"      // line 2
         "  per_item: [{cpu: 1ms}]\n"       // line 3
         "  model: " + model + "\n" +       // line 4
         line5 + "\n";                      // line 5
}

}  // namespace

TEST_CASE("workload: each model's fields take its defaults", "[workload]")
{
  const scenario threads = load_scenario_text(workload("threads"), "t.yaml");
  REQUIRE(threads.workload);
  CHECK(threads.workload->model.params.choice("distribution") == "queue");
  CHECK(threads.workload->model.params.number("chunksize") == 1);
  const scenario procs = load_scenario_text(workload("processes"), "t.yaml");
  CHECK(procs.workload->model.params.choice("distribution") == "chunks");
  CHECK(procs.workload->model.params.choice("start_method") == "fork");
  // A pool's chunksize has no default: the pool decides.
  CHECK_FALSE(procs.workload->model.params.has("chunksize"));
  const scenario sync = load_scenario_text(workload("sync"), "t.yaml");
  CHECK(sync.workload->model.params.choice("distribution") == "queue");
}

TEST_CASE("workload: a field another model declares is accepted and checked by its declaration",
          "[workload]")
{
  // start_method is the processes model's: threads keep it, unused.
  const scenario sc = load_scenario_text(workload("threads", "  start_method: spawn"), "t.yaml");
  CHECK(sc.workload->model.params.choice("start_method") == "spawn");
  CHECK(load_scenario_text(workload("sync", "  chunksize: 4"), "t.yaml").processes.size() == 1);

  auto e = load_error(workload("threads", "  start_method: spwn"));
  REQUIRE_ERROR_AT(e, "t.yaml", 5, 17, "workload.start_method");
  CHECK_THAT(e.message(), Contains("'spwn' is not a choice here; did you mean 'spawn'?"));
  e = load_error(workload("sync", "  chunksize: 0"));
  REQUIRE_ERROR_AT(e, "t.yaml", 5, 14, "workload.chunksize");
  CHECK_THAT(e.message(), Contains("must be between 1 and 4.5036e+15, got '0'"));
}

TEST_CASE("workload: the chosen model's declaration decides its distributions", "[workload]")
{
  auto e = load_error(workload("asyncio", "  distribution: chunks"));
  REQUIRE_ERROR_AT(e, "t.yaml", 5, 17, "workload.distribution");
  CHECK_THAT(e.message(), Contains("'chunks' is not a choice here; expected one of: queue"));
  e = load_error(workload("processes", "  distribution: queue"));
  CHECK_THAT(e.message(), Contains("expected one of: chunks, pool, manager"));
}

TEST_CASE("workload: a model's parameters stay its own", "[workload]")
{
  auto e = load_error(workload("threads", "  queue_gett: 1us"));
  REQUIRE_ERROR_AT(e, "t.yaml", 5, 3, "workload.queue_gett");
  CHECK_THAT(e.message(),
             Contains("'queue_gett' is not a parameter of execution model 'threads'; did you "
                      "mean 'queue_get'?"));
  e = load_error(workload("sync", "  task_step: 1us"));
  CHECK_THAT(e.message(), Contains("'task_step' is not a parameter of execution model 'sync'"));
}

TEST_CASE("workload: the fragment comes after the scenario's own locks, queues and processes",
          "[workload]")
{
  const scenario sc = load_scenario_text("locks: {db: {}}\n"
                                         "queues: {jobs: {items: {range: [1, 3]}}}\n"
                                         "processes:\n"
                                         "  - name: tool\n"
                                         "    runtime: native\n"
                                         "    threads: [{name: t, program: [{cpu: 1ms}]}]\n" +
                                             workload("asyncio"),
                                         "t.yaml");
  REQUIRE(sc.locks.size() == 2);
  CHECK(sc.locks[0].name == "db");
  CHECK(sc.locks[1].name == "event-loop");
  REQUIRE(sc.queues.size() == 2);
  CHECK(sc.queues[0].name == "jobs");
  CHECK(sc.queues[1].name == "items");
  REQUIRE(sc.processes.size() == 2);
  CHECK(sc.processes[0].name == "tool");
  CHECK(sc.processes[1].name == "main");
}

TEST_CASE("workload: a lock or queue name that the scenario and the model both use is refused",
          "[workload]")
{
  // Under the one line before it, the workload's map starts at line 3, column 3.
  auto e = load_error("locks: {event-loop: {}}\n" + workload("asyncio"));
  REQUIRE_ERROR_AT(e, "t.yaml", 3, 3, "workload");
  CHECK_THAT(e.message(), Contains("model asyncio names a lock 'event-loop' of its own; rename "
                                   "the scenario's lock 'event-loop'"));
  e = load_error("queues: {items: {items: {range: [1, 3]}}}\n" + workload("sync"));
  REQUIRE_ERROR_AT(e, "t.yaml", 3, 3, "workload");
  CHECK_THAT(e.message(), Contains("model sync names a queue 'items' of its own"));
}
