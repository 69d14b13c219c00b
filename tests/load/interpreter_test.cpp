// python.interpreter: a Python process's costs are a section of the host profile (speed: host),
// picked by its major.minor; the profile's first section when none is named; the built-in
// costs without a profile. A name the profile lacks, or a name without a profile, is an
// input_error at the name.
#include "tests/load/load_error.hpp"

#include "sim/show/scenario_yaml.hpp"

using namespace gilsim;
using Catch::Matchers::Contains;

namespace {

host_profile two_interpreters()
{
  host_profile p;
  p.cores = 2;
  p.context_switch.median = 3e-6;
  p.wakeup_latency.median = 40e-6;
  p.native.cost = {4e-9, 2e-9, {}};
  for (const char* v : {"3.11", "3.12"}) {
    host_profile::python_section s;
    s.costs.interpreter = v;
    s.costs.queue_get = v == std::string("3.11") ? 6e-6 : 8e-6;
    s.costs.gil_handoff = 120e-6;
    s.costs.prime = kernel_cost{60e-9, 100e-9, {{18, 64e-9}, {28, 78e-9}}};
    p.pythons.push_back(s);
  }
  return p;
}

scenario load_with(const std::string& yaml, const host_profile& p)
{
  return load_scenario_text(yaml, "t.yaml", {}, {}, &p);
}

// python_costs has no operator==: the figures these tests set, and the interpreter.
bool same(const python_costs& a, const python_costs& b)
{
  return a.interpreter == b.interpreter && a.queue_get == b.queue_get &&
         a.gil_handoff == b.gil_handoff && a.prime == b.prime && a.sleep == b.sleep &&
         a.task_step == b.task_step && a.spawn_start == b.spawn_start;
}

input_error error_with(const std::string& yaml, const host_profile* p)
{
  try {
    load_scenario_text(yaml, "t.yaml", {}, {}, p);
  } catch (const input_error& e) {
    return e;
  }
  FAIL("the scenario loaded, but an input_error was expected");
  throw std::logic_error("unreachable");
}

const std::string one_process = "processes:\n"
                                "  - {name: a, threads: [{name: t, program: [{cpu: 1ms}]}]}\n";
const std::string two_processes = "processes:\n"
                                  "  - {name: a, threads: [{name: t, program: [{cpu: 1ms}]}]}\n"
                                  "  - {name: b, python: {gil: new, interpreter: \"3.11\"},\n"
                                  "     threads: [{name: t, program: [{cpu: 1ms}]}]}\n";

}  // namespace

TEST_CASE("interpreter: the profile's first section unless one is named", "[load]")
{
  const host_profile p = two_interpreters();
  const scenario sc = load_with("machine: {speed: host}\n" + two_processes, p);
  REQUIRE(sc.processes.size() == 2);
  CHECK(sc.processes[0].python.interpreter == "3.11");  // the first section
  CHECK(sc.processes[0].python.queue_get == 6e-6);
  CHECK(sc.processes[1].python.interpreter == "3.11");
  CHECK(sc.machine.wakeup_latency == 40e-6);  // the profile's machine figures as before
}

TEST_CASE("interpreter: the top-level one is every process's default", "[load]")
{
  const host_profile p = two_interpreters();
  const scenario sc =
      load_with("machine: {speed: host}\npython: {gil: new, interpreter: \"3.12\"}\n" +
                    two_processes,
                p);
  CHECK(sc.processes[0].python.interpreter == "3.12");
  CHECK(sc.processes[0].python.queue_get == 8e-6);
  CHECK(sc.processes[1].python.interpreter == "3.11");  // its own wins
  // A workload's processes have the top-level one too.
  const scenario w = load_with("machine: {speed: host}\npython: {interpreter: \"3.12\"}\n"
                               "workload: {items: {range: [1, 4]}, per_item: [{cpu: 1ms}], "
                               "model: threads, workers: 2}\n",
                               p);
  REQUIRE(w.processes.size() == 1);
  CHECK(w.processes[0].python.interpreter == "3.12");
  REQUIRE(w.workload);
  CHECK(w.workload->python.interpreter == "3.12");
}

TEST_CASE("interpreter: without a profile every process has the built-in costs", "[load]")
{
  const scenario sc = load_scenario_text(one_process, "t.yaml");
  REQUIRE(sc.processes.size() == 1);
  CHECK(sc.processes[0].python.interpreter.empty());
  CHECK(same(sc.processes[0].python, python_costs{}));
  CHECK_FALSE(sc.processes[0].python.prime);
}

TEST_CASE("interpreter: a name the profile lacks, or no profile, is an error at the name",
          "[load]")
{
  const host_profile p = two_interpreters();
  // line 2, column 33: the value of interpreter in `python: {gil: new, interpreter: "3.13"}`
  auto e = error_with("machine: {speed: host}\npython: {gil: new, interpreter: \"3.13\"}\n" +
                          two_processes,
                      &p);
  REQUIRE_ERROR_AT(e, "t.yaml", 2, 33, "python.interpreter");
  CHECK_THAT(e.what(), Contains("no interpreter '3.13'") && Contains("it has 3.11, 3.12"));
  // No speed: host: naming an interpreter is refused, at the process's own name.
  e = error_with(two_processes, nullptr);
  REQUIRE_ERROR_AT(e, "t.yaml", 3, 47, "processes[1].python.interpreter");
  CHECK_THAT(e.what(), Contains("needs machine.speed: host"));
  // A profile without interpreters: naming one is refused, naming none gives the built-ins.
  host_profile none = two_interpreters();
  none.pythons.clear();
  e = error_with("machine: {speed: host}\n" + two_processes, &none);
  CHECK_THAT(e.what(), Contains("has no Python interpreter"));
  CHECK(same(load_with("machine: {speed: host}\n" + one_process, none).processes[0].python,
             python_costs{}));
}

TEST_CASE("interpreter: cost.python written wins over the measured kernel", "[load]")
{
  const host_profile p = two_interpreters();
  const std::string& one = one_process;
  CHECK(load_with("machine: {speed: host}\n" + one, p).processes[0].python.prime);
  const scenario sc =
      load_with("machine: {speed: host}\ncost: {python: {per_division: 50ns}}\n" + one, p);
  CHECK_FALSE(sc.processes[0].python.prime);
  CHECK(sc.processes[0].python.gil_handoff == 120e-6);  // the rest stays measured
  CHECK(sc.python_cost.per_division == Approx(50e-9));
}

TEST_CASE("interpreter: a threads workload's queue_get, the scenario's or the profile's",
          "[load]")
{
  const host_profile p = two_interpreters();
  auto first_get = [&](const std::string& extra) {
    const scenario sc = load_with("machine: {speed: host}\n"
                                  "workload: {items: {range: [1, 4]}, per_item: [{cpu: 1ms}], "
                                  "model: threads, workers: 1" + extra + "}\n",
                                  p);
    // main (the measured costs' main thread), then worker-0: for_each [cpu get, cpu 1ms]
    REQUIRE(sc.processes[0].threads.size() == 2);
    return sc.processes[0].threads[1].program[0].body[0].seconds;
  };
  CHECK(first_get("") == 6e-6);                       // 3.11's
  CHECK(first_get(", queue_get: 2us") == 2e-6);       // the scenario's
}

TEST_CASE("interpreter: gilsim show writes it, and speed: host, so that it loads back", "[load]")
{
  const host_profile p = two_interpreters();
  const scenario sc = load_with("machine: {speed: host}\n" + two_processes, p);
  const std::string yaml = scenario_yaml(sc);
  CHECK_THAT(yaml, Contains("speed: host") && Contains("interpreter: \"3.11\""));
  // The kernel is the profile's: show leaves cost.python out, which would replace it.
  CHECK_THAT(yaml, !Contains("python: {per_division"));
  const scenario back = load_with(yaml, p);
  REQUIRE(back.processes.size() == 2);
  for (size_t i = 0; i < 2; ++i)
    CHECK(same(back.processes[i].python, sc.processes[i].python));
  CHECK(back.machine.wakeup_latency == sc.machine.wakeup_latency);
}
