// Tests of the scenario loader: a full scenario read field by field, defaults, durations, --set
// overrides, and every validation rule with the exact line, column and key path of its message.
#include "models/gil/gil_model.hpp"
#include "tests/load/load_error.hpp"

using namespace gilsim;
using gilsim::test::load_error;
using gilsim::test::bad_input;
using gilsim::test::require_errors;

namespace {

// The GIL registry may not hold the real models yet: a stand-in with one duration parameter.
const bool test_gil_registered = gil_registry::add({
    "test_gil",
    "a stand-in GIL for the loader tests",
    {{"switch_interval", param_kind::duration, "s", 5e-3, 0, 1, true, "the switch interval", {}}},
    {},
});

// The text after the raw string's opening newline: line 1 is the line right under R"(.
std::string yaml(const char* text)
{
  std::string s = text;
  return s.substr(s.find('\n') + 1);
}

// A one-thread native process whose program starts at line 8. Each step is written
// "          - KEY: VALUE": 10 spaces, so the dash is at column 11 and KEY starts at column 13.
std::string program(const std::string& steps)
{
  return "locks: {db: {kind: mutex}, pool: {kind: semaphore, capacity: 2}}\n"  // line 1
         "processes:\n"                                                        // line 2
         "  - name: p\n"                                                       // line 3
         "    runtime: native\n"                                               // line 4
         "    threads:\n"                                                      // line 5
         "      - name: t\n"                                                   // line 6
         "        program:\n" +                                                // line 7
         steps;
}

// A one-thread native process whose thread has one extra line: line 6, written
// "        KEY: VALUE" (8 spaces, so KEY starts at column 9).
std::string thread_with(const std::string& line6)
{
  return "processes:\n"           // line 1
         "  - name: p\n"          // line 2
         "    runtime: native\n"  // line 3
         "    threads:\n"         // line 4
         "      - name: w\n" +    // line 5
         line6 + "\n" +           // line 6
         "        program: [{cpu: 1ms}]\n";
}

// A valid tail to append after the lines a test is about.
const std::string native_process = "processes:\n"
                                   "  - name: p\n"
                                   "    runtime: native\n"
                                   "    threads: [{name: t, program: [{cpu: 1ms}]}]\n";


}  // namespace

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

// ---- a valid scenario

TEST_CASE("loader: a full scenario loads with every field", "[loader]")
{
  const std::string text = yaml(R"(
name: kitchen
seed: 42
machine:
  cores: 4
  speed: 2.5
  context_switch: 5us
  wakeup_latency: 0.0001
scheduler:
  policy: rr
  quantum: 10ms
python:
  gil: test_gil
  switch_interval: 1ms
locks:
  db: {kind: mutex}
  pool: {kind: semaphore, capacity: 3}
processes:
  - name: app
    start: 1.5s
    threads:
      - name: worker
        count: 3
        daemon: true
        nice: 5
        priority: 7
        program:
          - cpu: 2ms
          - io: 50ms
          - repeat: 10
            do: [{cpu: 1ms}, {sleep: 1ms}]
          - lock: db
          - cpu: {native: 5ms}
          - cpu: {holds_gil: 1ms}
          - cpu: {python: 3ms}
          - unlock: db
  - name: tool
    runtime: native
    threads:
      - name: main
        program:
          - cpu: 1s
  - name: other
    python: {gil: test_gil}
    threads:
      - name: t
        program: [{lock: pool}, {sleep: 1min}, {unlock: pool}]
)");
  const scenario sc = load_scenario_text(text, "scenarios/kitchen.yaml");
  REQUIRE(sc.file == "scenarios/kitchen.yaml");
  REQUIRE(sc.name == "kitchen");
  REQUIRE(sc.seed == 42);
  REQUIRE(sc.machine.cores == 4);
  REQUIRE(sc.machine.speed == 2.5);
  REQUIRE(sc.machine.context_switch == Approx(5e-6));
  REQUIRE(sc.machine.wakeup_latency == Approx(1e-4));
  REQUIRE(sc.scheduler.name == "rr");
  REQUIRE(sc.scheduler.params.number("quantum") == Approx(0.010));

  REQUIRE(sc.locks.size() == 2);
  REQUIRE(sc.locks[0].name == "db");
  REQUIRE(sc.locks[0].kind.name == "mutex");
  REQUIRE(sc.locks[1].name == "pool");
  REQUIRE(sc.locks[1].kind.name == "semaphore");
  REQUIRE(sc.locks[1].kind.params.number("capacity") == 3);

  REQUIRE(sc.processes.size() == 3);
  const process_spec& app = sc.processes[0];
  REQUIRE(app.name == "app");
  REQUIRE(app.runtime == runtime_kind::python);
  REQUIRE(app.start == Approx(1.5));
  REQUIRE(app.gil.name == "test_gil");
  REQUIRE(app.gil.params.number("switch_interval") == Approx(1e-3));  // the top-level python map
  REQUIRE(app.threads.size() == 3);
  REQUIRE(app.threads[0].name == "worker-0");
  REQUIRE(app.threads[1].name == "worker-1");
  REQUIRE(app.threads[2].name == "worker-2");
  for (const auto& t : app.threads) {
    REQUIRE(t.daemon);
    REQUIRE(t.attributes.number("nice") == 5);
    REQUIRE(t.attributes.number("priority") == 7);
    REQUIRE(t.program.size() == 8);
  }
  const auto& prog = app.threads[2].program;
  REQUIRE(prog[0].kind == step_kind::cpu);
  REQUIRE(prog[0].mode == cpu_mode::python);
  REQUIRE(prog[0].seconds == Approx(2e-3));
  // Line 27 is "          - cpu: 2ms": ten spaces, the dash at column 11, `cpu` at column 13.
  REQUIRE(prog[0].pos.file == "scenarios/kitchen.yaml");
  REQUIRE(prog[0].pos.line == 27);
  REQUIRE(prog[0].pos.col == 13);
  REQUIRE(prog[1].kind == step_kind::io);
  REQUIRE(prog[1].seconds == Approx(0.050));
  REQUIRE(prog[2].kind == step_kind::repeat);
  REQUIRE(prog[2].count == 10);
  REQUIRE(prog[2].pos.line == 29);
  REQUIRE(prog[2].pos.col == 13);
  REQUIRE(prog[2].body.size() == 2);
  REQUIRE(prog[2].body[0].kind == step_kind::cpu);
  REQUIRE(prog[2].body[0].seconds == Approx(1e-3));
  REQUIRE(prog[2].body[1].kind == step_kind::sleep);
  REQUIRE(prog[2].body[1].seconds == Approx(1e-3));
  // Line 30 is "            do: [{cpu: 1ms}, {sleep: 1ms}]": `do` at 13, '[' at 17, the first
  // '{' at 18; "{cpu: 1ms}" spans 18..27, then ',' 28, ' ' 29 and the second '{' at 30.
  REQUIRE(prog[2].body[0].pos.line == 30);
  REQUIRE(prog[2].body[0].pos.col == 18);
  REQUIRE(prog[2].body[1].pos.line == 30);
  REQUIRE(prog[2].body[1].pos.col == 30);
  REQUIRE(prog[3].kind == step_kind::lock);
  REQUIRE(prog[3].lock == "db");
  REQUIRE(prog[4].kind == step_kind::cpu);
  REQUIRE(prog[4].mode == cpu_mode::native);
  REQUIRE(prog[4].seconds == Approx(5e-3));
  REQUIRE(prog[5].mode == cpu_mode::holds_gil);
  REQUIRE(prog[5].seconds == Approx(1e-3));
  REQUIRE(prog[6].mode == cpu_mode::python);
  REQUIRE(prog[6].seconds == Approx(3e-3));
  REQUIRE(prog[7].kind == step_kind::unlock);
  REQUIRE(prog[7].lock == "db");

  const process_spec& tool = sc.processes[1];
  REQUIRE(tool.runtime == runtime_kind::native);
  REQUIRE(tool.gil.name.empty());  // a native process has no GIL
  REQUIRE(tool.start == 0);
  REQUIRE(tool.threads.size() == 1);
  REQUIRE(tool.threads[0].name == "main");  // count 1: the name as written
  REQUIRE_FALSE(tool.threads[0].daemon);
  REQUIRE(tool.threads[0].attributes.number("nice") == 0);
  REQUIRE(tool.threads[0].attributes.number("priority") == 0);
  REQUIRE(tool.threads[0].program[0].seconds == Approx(1.0));

  // Its own python map replaces the top-level one: switch_interval is back to its default.
  const process_spec& other = sc.processes[2];
  REQUIRE(other.gil.name == "test_gil");
  REQUIRE(other.gil.params.number("switch_interval") == Approx(5e-3));
  const auto& flow = other.threads[0].program;
  REQUIRE(flow.size() == 3);
  REQUIRE(flow[0].lock == "pool");
  REQUIRE(flow[1].seconds == Approx(60.0));
  // Line 46 is "        program: [{lock: pool}, ...": `program` at 9..15, '[' at 18, '{' at 19.
  REQUIRE(flow[0].pos.line == 46);
  REQUIRE(flow[0].pos.col == 19);
}

TEST_CASE("loader: absent keys take their defaults", "[loader]")
{
  const std::string text = yaml(R"(
scheduler: {policy: rr}
processes:
  - name: p
    runtime: native
    threads:
      - name: t
        program: [{cpu: 1ms}]
)");
  const scenario sc = load_scenario_text(text, "some/dir/minimal.yaml");
  REQUIRE(sc.name == "minimal");  // the file's stem
  REQUIRE(sc.seed == 1);
  REQUIRE(sc.machine.cores == 1);
  REQUIRE(sc.machine.speed == 1.0);
  REQUIRE(sc.machine.context_switch == Approx(2e-6));
  REQUIRE(sc.machine.wakeup_latency == Approx(30e-6));
  REQUIRE(sc.scheduler.name == "rr");
  REQUIRE(sc.scheduler.params.number("quantum") == Approx(0.004));
  REQUIRE(sc.locks.empty());
  REQUIRE(sc.processes[0].start == 0);
  REQUIRE(sc.processes[0].threads[0].name == "t");
  REQUIRE_FALSE(sc.processes[0].threads[0].daemon);
  REQUIRE(sc.processes[0].threads[0].attributes.number("nice") == 0);
  REQUIRE(sc.processes[0].threads[0].attributes.number("priority") == 0);
}

TEST_CASE("loader: without a scheduler the policy is cfs with its declared defaults", "[loader]")
{
  const scenario sc = load_scenario_text(native_process, "t.yaml");
  REQUIRE(sc.scheduler.name == "cfs");
  REQUIRE(sc.scheduler.params.number("latency") == Approx(6e-3));
  REQUIRE(sc.scheduler.params.number("min_granularity") == Approx(0.75e-3));
  REQUIRE(sc.scheduler.params.number("wakeup_granularity") == Approx(1e-3));
  REQUIRE(sc.scheduler.params.flag("scale_with_cores"));
}

TEST_CASE("loader: a policy's declared parameters are read by kind", "[loader]")
{
  const scenario sc = load_scenario_text(
      "scheduler: {policy: cfs, latency: 12ms, scale_with_cores: false}\n" + native_process,
      "t.yaml");
  REQUIRE(sc.scheduler.params.number("latency") == Approx(12e-3));
  REQUIRE_FALSE(sc.scheduler.params.flag("scale_with_cores"));
  REQUIRE(sc.scheduler.params.number("min_granularity") == Approx(0.75e-3));
}

TEST_CASE("loader: a lock's kind defaults to mutex", "[loader]")
{
  const scenario sc = load_scenario_text("locks: {db: {}}\n" + native_process, "t.yaml");
  REQUIRE(sc.locks[0].kind.name == "mutex");
}

TEST_CASE("loader: a python process without python settings gets gil 'new'", "[loader]")
{
  const std::string text = yaml(R"(
processes:
  - name: p
    threads: [{name: t, program: [{cpu: 1ms}]}]
)");
  if (gil_registry::instance().find("new")) {
    REQUIRE(load_scenario_text(text, "t.yaml").processes[0].gil.name == "new");
  } else {
    // The error points at the process (line 2: "  - name: p", the map starts at column 5).
    const auto e = load_error(text);
    REQUIRE_ERROR_AT(e, "t.yaml", 2, 5, "processes[0].python");
    REQUIRE_THAT(e.message(), Equals("gil model 'new' is not available"));
  }
}

TEST_CASE("loader: a native process needs no gil model", "[loader]")
{
  // Whatever the GIL registry holds, a native-only scenario loads.
  REQUIRE(load_scenario_text(native_process, "t.yaml").processes[0].gil.name.empty());
}

// ---- durations

TEST_CASE("loader: durations accept ns, us, ms, s, min and plain seconds", "[loader]")
{
  REQUIRE(parse_duration("3ns") == Approx(3e-9));
  REQUIRE(parse_duration("250us") == Approx(250e-6));
  REQUIRE(parse_duration("2ms") == Approx(2e-3));
  REQUIRE(parse_duration("1.5 s") == Approx(1.5));
  REQUIRE(parse_duration("1min") == Approx(60));
  REQUIRE(parse_duration("0.25") == Approx(0.25));
  REQUIRE(parse_duration("2") == Approx(2));
  REQUIRE(parse_duration("1e-3s") == Approx(1e-3));
  REQUIRE(parse_duration("0ms") == 0);
}

TEST_CASE("loader: durations reject garbage, negatives and, when asked, zero", "[loader]")
{
  for (const char* bad : {"abc", "", "ms", "5 sec", "5m", "1h", "inf", "nan", "5ms5"}) {
    INFO("duration: '" << bad << "'");
    REQUIRE_THROWS_WITH(parse_duration(bad), Contains("expected a duration like 5ms"));
  }
  REQUIRE_THROWS_WITH(parse_duration("-1ms"), Contains("cannot be negative"));
  REQUIRE_THROWS_WITH(parse_duration("0", {}, "", false), Contains("greater than zero"));
  REQUIRE_THROWS_WITH(parse_duration("0us", {}, "", false), Contains("greater than zero"));
  try {
    parse_duration("fast", {"f.yaml", 3, 4}, "a.b");
    FAIL("no error");
  } catch (const input_error& e) {
    REQUIRE_ERROR_AT(e, "f.yaml", 3, 4, "a.b");
    REQUIRE_THAT(e.message(), Equals("expected a duration like 5ms, got 'fast'"));
  }
}

// ---- --set overrides

TEST_CASE("loader: --set replaces a scalar, the last one winning", "[loader][set]")
{
  const std::string text = "machine: {cores: 2}\n" + native_process;
  REQUIRE(load_scenario_text(text, "t.yaml", {"machine.cores=8"}).machine.cores == 8);
  const scenario twice = load_scenario_text(text, "t.yaml", {"machine.cores=8", "machine.cores=3"});
  REQUIRE(twice.machine.cores == 3);
  REQUIRE(load_scenario_text(text, "t.yaml", {"seed=9"}).seed == 9);
}

TEST_CASE("loader: --set creates the missing maps on its path", "[loader][set]")
{
  const scenario sc = load_scenario_text(
      native_process, "t.yaml",
      {"scheduler.policy=rr", "scheduler.quantum=1ms", "machine.speed=2", "locks.db.kind=mutex"});
  REQUIRE(sc.scheduler.name == "rr");
  REQUIRE(sc.scheduler.params.number("quantum") == Approx(1e-3));
  REQUIRE(sc.machine.speed == 2);
  REQUIRE(sc.locks.size() == 1);
  REQUIRE(sc.locks[0].name == "db");
}

TEST_CASE("loader: --set indexes lists and selects elements by name", "[loader][set]")
{
  const std::string text = yaml(R"(
processes:
  - name: app
    runtime: native
    threads:
      - name: a
        program: [{cpu: 1ms}]
      - name: b
        program: [{cpu: 1ms}]
)");
  const scenario sc = load_scenario_text(
      text, "t.yaml", {"processes.0.threads.1.count=4", "processes.app.start=1s",
                       "processes.app.threads.a.daemon=true"});
  const auto& p = sc.processes[0];
  REQUIRE(p.start == Approx(1.0));
  REQUIRE(p.threads.size() == 5);
  REQUIRE(p.threads[0].name == "a");
  REQUIRE(p.threads[0].daemon);
  REQUIRE(p.threads[1].name == "b-0");
  REQUIRE(p.threads[4].name == "b-3");
}

TEST_CASE("loader: a --set value is YAML: lists and maps replace whole subtrees", "[loader][set]")
{
  const std::string set_program = "processes.0.threads.0.program=[{cpu: 1ms}, {io: 2ms}]";
  const scenario sc = load_scenario_text(
      native_process, "t.yaml",
      {set_program, "processes.0.threads.0.program.1={cpu: {native: 5ms}}"});
  const auto& prog = sc.processes[0].threads[0].program;
  REQUIRE(prog.size() == 2);
  REQUIRE(prog[0].seconds == Approx(1e-3));
  REQUIRE(prog[1].kind == step_kind::cpu);
  REQUIRE(prog[1].mode == cpu_mode::native);
  REQUIRE(prog[1].seconds == Approx(5e-3));
  // A step from an override keeps the override as its position: in
  // "processes.0.threads.0.program=[{cpu: 1ms}, ..." the '=' is character 30, '[' 31, '{' 32.
  REQUIRE(prog[0].pos.file == "--set " + set_program);
  REQUIRE(prog[0].pos.line == 1);
  REQUIRE(prog[0].pos.col == 32);
}

TEST_CASE("loader: an error inside an overridden value names the override", "[loader][set]")
{
  const std::string text = "machine: {cores: 2}\n" + native_process;
  SECTION("a scalar: 'machine.cores=' is 14 characters, so the value starts at column 15")
  {
    const auto e = load_error(text, {"machine.cores=abc"});
    REQUIRE_ERROR_AT(e, "--set machine.cores=abc", 1, 15, "machine.cores");
    REQUIRE_THAT(e.message(), Equals("expected an integer, got 'abc'"));
    REQUIRE_THAT(std::string(e.what()),
                 Equals("--set machine.cores=abc:1:15: machine.cores: expected an integer, "
                        "got 'abc'"));
  }
  SECTION("an empty value is nothing, at the value's column")
  {
    const auto e = load_error(text, {"machine.cores="});
    REQUIRE_ERROR_AT(e, "--set machine.cores=", 1, 15, "machine.cores");
    REQUIRE_THAT(e.message(), Contains("got nothing"));
  }
  SECTION("a key inside a map value: '=' at 36, '{' at 37, the key at 38")
  {
    const std::string o = "processes.0.threads.0.program.0.cpu={natve: 5ms}";
    const auto e = load_error(text, {o});
    REQUIRE_ERROR_AT(e, "--set " + o, 1, 38, "processes[0].threads[0].program[0].cpu.natve");
    REQUIRE_THAT(e.message(), Contains("did you mean 'native'?"));
  }
  SECTION("a key the override created: 'corse' starts at column 9")
  {
    const auto e = load_error(text, {"machine.corse=2"});
    REQUIRE_ERROR_AT(e, "--set machine.corse=2", 1, 9, "machine.corse");
    REQUIRE_THAT(e.message(), Contains("did you mean 'cores'?"));
  }
  SECTION("a top-level section the override created")
  {
    const auto e = load_error(text, {"workload.model=threads"});
    REQUIRE_ERROR_AT(e, "--set workload.model=threads", 1, 1, "workload");
  }
  SECTION("a YAML syntax error in the value")
  {
    const auto e = load_error(text, {"machine.cores=[1,"});
    REQUIRE(e.pos().file == "--set machine.cores=[1,");
    REQUIRE(e.pos().line == 1);
    REQUIRE(e.key_path() == "machine.cores");
  }
}

TEST_CASE("loader: a bad --set path is reported at its bad segment", "[loader][set]")
{
  const std::string text = yaml(R"(
machine: {cores: 2}
processes:
  - name: app
    runtime: native
    threads: [{name: t, program: [{cpu: 1ms}]}]
)");
  SECTION("an index out of range: 'processes.' is 10 characters, the index at 11")
  {
    const auto e = load_error(text, {"processes.5.start=1s"});
    REQUIRE_ERROR_AT(e, "--set processes.5.start=1s", 1, 11, "processes.5.start");
    REQUIRE_THAT(e.message(), Equals("index 5 is out of range: 'processes' has 1 element"));
  }
  SECTION("no element of that name")
  {
    const auto e = load_error(text, {"processes.ap.start=1s"});
    REQUIRE_ERROR_AT(e, "--set processes.ap.start=1s", 1, 11, "processes.ap.start");
    REQUIRE_THAT(e.message(), Contains("no element named 'ap'; did you mean 'app'?"));
  }
  SECTION("a path through a scalar: 'machine.cores.' is 14 characters, 'x' at 15")
  {
    const auto e = load_error(text, {"machine.cores.x=1"});
    REQUIRE_ERROR_AT(e, "--set machine.cores.x=1", 1, 15, "machine.cores.x");
    REQUIRE_THAT(e.message(), Contains("'machine.cores' is a single value"));
  }
  SECTION("no '='")
  {
    const auto e = load_error(text, {"machine.cores"});
    REQUIRE_ERROR_AT(e, "--set machine.cores", 1, 1, "");
    REQUIRE_THAT(e.message(), Contains("key.path=VALUE"));
  }
  SECTION("an empty segment: the second '.' of 'machine..cores' is at column 9")
  {
    const auto e = load_error(text, {"machine..cores=1"});
    REQUIRE_ERROR_AT(e, "--set machine..cores=1", 1, 9, "machine..cores");
  }
}

// ---- keys

TEST_CASE("loader: unknown key suggests the near miss", "[loader]")
{
  require_errors({
      // Line 2 is "  corse: 2": the key at column 3.
      {yaml(R"(
machine:
  corse: 2
)") + native_process,
       2, 3, "machine.corse", "unknown key 'corse'; did you mean 'cores'?"},
      // A different case is a near miss too.
      {"Machine: {cores: 2}\n" + native_process, 1, 1, "Machine", "did you mean 'machine'?"},
      // thread_with's line 6, "        cont: 2": the key at column 9.
      {thread_with("        cont: 2"), 6, 9, "processes[0].threads[0].cont",
       "did you mean 'count'?"},
      // program's line 8, "          - cpus: 1ms": the key at column 13.
      {program("          - cpus: 1ms\n"), 8, 13, "processes[0].threads[0].program[0].cpus",
       "did you mean 'cpu'?"},
  });
}

TEST_CASE("loader: unknown key lists the allowed keys when none is near", "[loader]")
{
  require_errors({
      // "machine: {gpus: 2}": '{' at column 10, `gpus` at 11.
      {"machine: {gpus: 2}\n" + native_process, 1, 11, "machine.gpus",
       "unknown key 'gpus'; allowed keys: cores, speed, context_switch, wakeup_latency"},
      {"gadgets: 3\n" + native_process, 1, 1, "gadgets",
       "allowed keys: name, seed, machine, scheduler, python, locks, queues, cost, processes, workload"},
      {program("          - compute: 1ms\n"), 8, 13,
       "processes[0].threads[0].program[0].compute",
       "allowed keys: cpu, io, sleep, lock, unlock, repeat, for_each, put, get, wait, notify, "
       "notify_all, set, clear, do"},
  });
}

TEST_CASE("loader: a key written twice is an error at the second", "[loader]")
{
  require_errors({
      // "machine: {cores: 2, cores: 3}": '{' 10, cores 11..15, '2' 18, ',' 19, cores at 21.
      {"machine: {cores: 2, cores: 3}\n" + native_process, 1, 21, "machine.cores",
       "the key 'cores' is written twice (first at line 1)"},
      // Lock names are keys: the second `db` is on line 3, column 3.
      {yaml(R"(
locks:
  db: {kind: mutex}
  db: {kind: semaphore}
)") + native_process,
       3, 3, "locks.db", "written twice (first at line 2)"},
  });
}

TEST_CASE("loader: a workload needs its items", "[loader]")
{
  // The workload's map begins at line 2, column 3 ("model: threads").
  const auto e = load_error("workload:\n  model: threads\n" + native_process);
  REQUIRE_ERROR_AT(e, "t.yaml", 2, 3, "workload");
  REQUIRE_THAT(e.message(), Contains("missing required key 'items'"));
}

TEST_CASE("loader: required keys and non-empty lists", "[loader]")
{
  require_errors({
      // No processes: at the document's start.
      {"machine: {cores: 2}\n", 1, 1, "", "missing required key 'processes'"},
      // "processes: []": '[' at column 12.
      {"processes: []\n", 1, 12, "processes", "expected a non-empty list of processes"},
      // A process without a name: its map starts at line 2, column 5.
      {yaml(R"(
processes:
  - runtime: native
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
       2, 5, "processes[0]", "missing required key 'name'"},
      // Line 4 is "    threads: []": '[' at column 14.
      {yaml(R"(
processes:
  - name: p
    runtime: native
    threads: []
)"),
       4, 14, "processes[0].threads", "expected a non-empty list of threads"},
      // A thread without a program: its map starts at line 5, column 9.
      {yaml(R"(
processes:
  - name: p
    runtime: native
    threads:
      - name: w
        count: 2
)"),
       5, 9, "processes[0].threads[0]", "missing required key 'program'"},
      // Line 6 is "        program: []": '[' at column 18.
      {yaml(R"(
processes:
  - name: p
    runtime: native
    threads:
      - name: w
        program: []
)"),
       6, 18, "processes[0].threads[0].program", "expected a non-empty list of steps"},
  });
}

TEST_CASE("loader: the document must be a map of keys", "[loader]")
{
  require_errors({
      {"", 1, 1, "", "the scenario is empty"},
      {"- a\n- b\n", 1, 1, "", "expected a map of scenario keys, got a list"},
  });
}

TEST_CASE("loader: a YAML syntax error carries its position", "[loader]")
{
  // Line 2 closes with '}' a flow list opened by '[': "machine: {cores: [1, 2}" has '{' at 10,
  // cores 11..15, '[' at 18, '1' 19, ',' 20, '2' 22 and the stray '}' at 23.
  const auto e = load_error(yaml(R"(
seed: 1
machine: {cores: [1, 2}
processes: []
)"));
  REQUIRE_ERROR_AT(e, "t.yaml", 2, 23, "");
  REQUIRE_THAT(e.message(), Equals("illegal flow end"));
}

TEST_CASE("loader: a missing file is an input_error naming it", "[loader]")
{
  try {
    load_scenario("/nonexistent/dir/s.yaml");
    FAIL("no error");
  } catch (const input_error& e) {
    REQUIRE(e.pos().file == "/nonexistent/dir/s.yaml");
    REQUIRE_THAT(e.message(), Contains("cannot read"));
  }
}

// ---- scalar types and ranges

TEST_CASE("loader: a wrong type is reported at the value", "[loader]")
{
  // In "machine: {KEY: VALUE}" the value starts at column 13 + len(KEY): 18 after cores/speed,
  // 27 after context_switch / wakeup_latency.
  const std::string tail = "\n" + native_process;
  require_errors({
      {"machine: {cores: abc}" + tail, 1, 18, "machine.cores", "expected an integer, got 'abc'"},
      {"machine: {cores: 2.5}" + tail, 1, 18, "machine.cores", "expected an integer, got '2.5'"},
      // A list of cores is a list of groups: its element must be a group.
      {"machine: {cores: [2]}" + tail, 1, 19, "machine.cores[0]",
       "expected a group like {name: P, count: 2, speed: 1.0}, got '2'"},
      {"machine: {speed: fast}" + tail, 1, 18, "machine.speed", "expected a number, got 'fast'"},
      {"machine: {context_switch: abc}" + tail, 1, 27, "machine.context_switch",
       "expected a duration like 5ms, got 'abc'"},
      {"machine: {wakeup_latency: {a: 1}}" + tail, 1, 27, "machine.wakeup_latency",
       "expected a duration like 5ms, got a map"},
      // "seed: -1", "name: [a]": the value at column 7; "machine: 4": at column 10.
      {"seed: -1" + tail, 1, 7, "seed", "expected a non-negative integer, got '-1'"},
      {"seed: 1.5" + tail, 1, 7, "seed", "expected a non-negative integer, got '1.5'"},
      {"name: [a]" + tail, 1, 7, "name", "expected a name, got a list"},
      {"machine: 4" + tail, 1, 10, "machine", "expected a map like {cores: 2}, got '4'"},
  });
}

TEST_CASE("loader: out-of-range machine values", "[loader]")
{
  const std::string tail = "\n" + native_process;
  require_errors({
      {"machine: {cores: 0}" + tail, 1, 18, "machine.cores", "must be between 1 and 4096, got '0'"},
      {"machine: {cores: 5000}" + tail, 1, 18, "machine.cores",
       "must be between 1 and 4096, got '5000'"},
      {"machine: {speed: 0}" + tail, 1, 18, "machine.speed", "must be > 0, got '0'"},
      {"machine: {speed: -2}" + tail, 1, 18, "machine.speed", "must be > 0, got '-2'"},
      {"machine: {context_switch: -1us}" + tail, 1, 27, "machine.context_switch",
       "a duration cannot be negative, got '-1us'"},
      {"machine: {wakeup_latency: -5us}" + tail, 1, 27, "machine.wakeup_latency",
       "a duration cannot be negative, got '-5us'"},
  });
  // Zero costs are allowed.
  const scenario sc =
      load_scenario_text("machine: {context_switch: 0, wakeup_latency: 0s}" + tail, "t.yaml");
  REQUIRE(sc.machine.context_switch == 0);
  REQUIRE(sc.machine.wakeup_latency == 0);
}

TEST_CASE("loader: out-of-range and mistyped thread values", "[loader]")
{
  // thread_with writes the line as line 6 with its key at column 9: the value starts at
  // 11 + len(KEY).
  const std::string t = "processes[0].threads[0].";
  require_errors({
      {thread_with("        count: 0"), 6, 16, t + "count",
       "must be between 1 and 100000, got '0'"},
      {thread_with("        count: 100001"), 6, 16, t + "count",
       "must be between 1 and 100000, got '100001'"},
      {thread_with("        nice: 20"), 6, 15, t + "nice", "must be between -20 and 19, got '20'"},
      {thread_with("        nice: -21"), 6, 15, t + "nice",
       "must be between -20 and 19, got '-21'"},
      {thread_with("        priority: 1001"), 6, 19, t + "priority",
       "must be between -1000 and 1000, got '1001'"},
      {thread_with("        daemon: yes"), 6, 17, t + "daemon",
       "expected true or false, got 'yes'"},
  });
}

TEST_CASE("loader: out-of-range and mistyped process values", "[loader]")
{
  require_errors({
      // Line 4 is "    start: -1s": the value at column 12.
      {yaml(R"(
processes:
  - name: p
    runtime: native
    start: -1s
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
       4, 12, "processes[0].start", "a duration cannot be negative, got '-1s'"},
      // Line 3 is "    runtime: natve": the value at column 14.
      {yaml(R"(
processes:
  - name: p
    runtime: natve
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
       3, 14, "processes[0].runtime", "'natve' is not a choice here; did you mean 'native'?"},
  });
}

// ---- models: scheduler, gil, locks

TEST_CASE("loader: scheduler keys are the chosen policy's parameters", "[loader]")
{
  // "scheduler: {policy: X, ...": '{' at 12, `policy` at 13..18, X from column 21.
  const std::string tail = "\n" + native_process;
  require_errors({
      // fifo 21..24, ',' 25, `quantum` at 27.
      {"scheduler: {policy: fifo, quantum: 1ms}" + tail, 1, 27, "scheduler.quantum",
       "'quantum' is not a parameter of policy 'fifo'; it takes: queues, steal_every"},
      // rr 21..22, ',' 23, `quantom` at 25.
      {"scheduler: {policy: rr, quantom: 1ms}" + tail, 1, 25, "scheduler.quantom",
       "'quantom' is not a parameter of policy 'rr'; did you mean 'quantum'?"},
      {"scheduler: {polcy: rr}" + tail, 1, 13, "scheduler.polcy", "did you mean 'policy'?"},
      // cfs 21..23, ',' 24, `slice` at 26.
      {"scheduler: {policy: cfs, slice: 1ms}" + tail, 1, 26, "scheduler.slice",
       "'slice' is not a parameter of policy 'cfs'; it takes: latency, min_granularity, "
       "wakeup_granularity, scale_with_cores"},
      {"scheduler: {policy: rrr}" + tail, 1, 21, "scheduler.policy",
       "unknown policy 'rrr'; did you mean 'rr'?"},
      {"scheduler: {policy: gang}" + tail, 1, 21, "scheduler.policy", "available: "},
      // `quantum` 25..31, '0' at 34.
      {"scheduler: {policy: rr, quantum: 0}" + tail, 1, 34, "scheduler.quantum",
       "must be > 0s, got '0'"},
      // `scale_with_cores` 26..41, 'maybe' at 44.
      {"scheduler: {policy: cfs, scale_with_cores: maybe}" + tail, 1, 44,
       "scheduler.scale_with_cores", "expected true or false, got 'maybe'"},
  });
}

TEST_CASE("loader: python settings resolve in the gil registry", "[loader]")
{
  // "python: {gil: X, ...": '{' at 9, `gil` 10..12, X from 15; test_gil 15..22, ',' 23.
  const std::string tail = "\n" + native_process;
  require_errors({
      {"python: {gil: quantum}" + tail, 1, 15, "python.gil",
       "unknown gil model 'quantum'; available: "},
      {"python: {gil: test_gil, interval: 1ms}" + tail, 1, 25, "python.interval",
       "'interval' is not a parameter of gil model 'test_gil'; it takes: switch_interval"},
      // `switch_interval` 25..39, '0' at 42.
      {"python: {gil: test_gil, switch_interval: 0}" + tail, 1, 42, "python.switch_interval",
       "must be > 0s, got '0'"},
      // A native process may not have python settings: the key on line 5, column 5.
      {yaml(R"(
python: {gil: test_gil}
processes:
  - name: p
    runtime: native
    python: {gil: test_gil}
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
       5, 5, "processes[0].python", "a native process has no GIL"},
      // A process's own map is checked: line 4 is "    python: {gil: test_gil, x: 1}", '{' at
      // 13, `gil` 14..16, test_gil 19..26, ',' 27, `x` at 29.
      {yaml(R"(
python: {gil: test_gil}
processes:
  - name: p
    python: {gil: test_gil, x: 1}
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
       4, 29, "processes[0].python.x", "'x' is not a parameter of gil model 'test_gil'"},
  });
}

TEST_CASE("loader: locks resolve their kind and its parameters", "[loader]")
{
  // "locks: {db: {kind: X, ...": the inner '{' at 13, `kind` 14..17, X from 20.
  const std::string tail = "\n" + native_process;
  require_errors({
      {"locks: {db: {kind: mutx}}" + tail, 1, 20, "locks.db.kind",
       "unknown lock kind 'mutx'; did you mean 'mutex'?"},
      // semaphore 20..28, ',' 29, `capacity` 31..38, '0' at 41.
      {"locks: {db: {kind: semaphore, capacity: 0}}" + tail, 1, 41, "locks.db.capacity",
       "must be between 1 and 1e+09, got '0'"},
      // mutex 20..24, ',' 25, `capacity` at 27.
      {"locks: {db: {kind: mutex, capacity: 2}}" + tail, 1, 27, "locks.db.capacity",
       "'capacity' is not a parameter of lock kind 'mutex'; it takes: wakeup"},
      {"locks: {db: mutex}" + tail, 1, 13, "locks.db",
       "expected a map like {kind: mutex}, got 'mutex'"},
  });
}

// ---- names

TEST_CASE("loader: process names are unique", "[loader]")
{
  // Line 5 is "  - name: p": `name` at 5..8, the value at column 11.
  require_errors({{yaml(R"(
processes:
  - name: p
    runtime: native
    threads: [{name: t, program: [{cpu: 1ms}]}]
  - name: p
    runtime: native
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
                   5, 11, "processes[1].name",
                   "process name 'p' is used twice (first at line 2)"}});
}

TEST_CASE("loader: thread names are unique after count expansion", "[loader]")
{
  // w with count 2 becomes w-0 and w-1; line 8 is "      - name: w-1", the value at column 15.
  require_errors({{yaml(R"(
processes:
  - name: p
    runtime: native
    threads:
      - name: w
        count: 2
        program: [{cpu: 1ms}]
      - name: w-1
        program: [{cpu: 1ms}]
)"),
                   8, 15, "processes[0].threads[1].name",
                   "thread name 'w-1' is used twice in process 'p' (first at line 5)"}});
}

TEST_CASE("loader: the same thread name in two processes is fine", "[loader]")
{
  const scenario sc = load_scenario_text(yaml(R"(
processes:
  - name: a
    runtime: native
    threads: [{name: t, program: [{cpu: 1ms}]}]
  - name: b
    runtime: native
    threads: [{name: t, program: [{cpu: 1ms}]}]
)"),
                                         "t.yaml");
  REQUIRE(sc.processes[1].threads[0].name == "t");
}

// ---- steps

TEST_CASE("loader: step values are checked at their position", "[loader]")
{
  // program() puts the steps from line 8, KEY at column 13: the value starts at 15 + len(KEY).
  const std::string p = "processes[0].threads[0].program";
  require_errors({
      {program("          - cpu: 1ms\n          - io: abc\n"), 9, 17, p + "[1].io",
       "expected a duration like 5ms, got 'abc'"},
      {program("          - sleep: 0\n"), 8, 20, p + "[0].sleep",
       "must be greater than zero, got '0'"},
      {program("          - cpu: -2ms\n"), 8, 18, p + "[0].cpu",
       "a duration cannot be negative, got '-2ms'"},
      // An empty value points at its key.
      {program("          - io:\n"), 8, 13, p + "[0].io",
       "expected a duration like 5ms, got nothing"},
      // "          - cpu: {native: 0}": '{' at 18, `native` 19..24, '0' at 27.
      {program("          - cpu: {native: 0}\n"), 8, 27, p + "[0].cpu.native",
       "must be greater than zero, got '0'"},
      {program("          - repeat: 0\n            do: [{cpu: 1ms}]\n"), 8, 21, p + "[0].repeat",
       "must be between 1 and 1e+09, got '0'"},
      {program("          - repeat: x\n            do: [{cpu: 1ms}]\n"), 8, 21, p + "[0].repeat",
       "expected an integer, got 'x'"},
  });
}

TEST_CASE("loader: a step takes exactly one key", "[loader]")
{
  const std::string p = "processes[0].threads[0].program[0]";
  require_errors({
      // "          - {}": '{' at column 13.
      {program("          - {}\n"), 8, 13, p,
       "a step takes exactly one of cpu, io, sleep, lock, unlock, repeat, for_each, put, get, "
       "wait, notify, notify_all, set, clear; got 0 keys"},
      {program("          - {cpu: 1ms, io: 1ms}\n"), 8, 13, p, "got 2 keys (cpu, io)"},
      // In block style the step starts at its first key.
      {program("          - cpu: 1ms\n            io: 2ms\n"), 8, 13, p, "got 2 keys (cpu, io)"},
      {program("          - cpu\n"), 8, 13, p, "expected a step like {cpu: 5ms}, got 'cpu'"},
      {program("          - do: [{cpu: 1ms}]\n"), 8, 13, p + ".do",
       "'do' needs a 'repeat' count or a 'for_each' queue beside it"},
      {program("          - repeat: 3\n"), 8, 13, p,
       "'repeat' needs a 'do' list of steps beside it"},
      // A third key beside repeat and do: at that key, line 10.
      {program("          - repeat: 3\n            do: [{cpu: 1ms}]\n            cpu: 1ms\n"), 10,
       13, p + ".cpu", "a repeat step takes only 'do' beside 'repeat'"},
      // Line 9 is "            do: []": '[' at column 17.
      {program("          - repeat: 3\n            do: []\n"), 9, 17, p + ".do",
       "expected a non-empty list of steps"},
      // Two cpu modes: at the cpu value, '{' at column 18.
      {program("          - cpu: {native: 1ms, python: 1ms}\n"), 8, 18, p + ".cpu",
       "expected exactly one of python, native, holds_gil"},
      // An unknown mode: the key at column 19.
      {program("          - cpu: {natve: 1ms}\n"), 8, 19, p + ".cpu.natve",
       "unknown key 'natve'; did you mean 'native'?"},
  });
}

TEST_CASE("loader: a kernel step names a registered kernel", "[loader]")
{
  // "          - cpu: {kernel: X, range: [1, 10]}": '{' at 18, `kernel` 19..24, X from 27.
  const std::string p = "processes[0].threads[0].program[0].cpu.kernel";
  require_errors({
      {program("          - cpu: {kernel: is_prme, range: [1, 10]}\n"), 8, 27, p,
       "unknown kernel 'is_prme'; did you mean 'is_prime'?"},
      {program("          - cpu: {kernel: sha256, range: [1, 10]}\n"), 8, 27, p,
       "unknown kernel 'sha256'; available: is_prime"},
  });
  const scenario sc =
      load_scenario_text(program("          - cpu: {kernel: is_prime, range: [1, 10]}\n"), "t.yaml");
  const step& s = sc.processes[0].threads[0].program[0];
  REQUIRE(s.kernel.name == "is_prime");
  REQUIRE(s.kernel.fixed_range);
  REQUIRE(s.kernel.first == 1);
  REQUIRE(s.kernel.last == 10);
}

// ---- locks along a program

TEST_CASE("loader: lock steps name declared locks", "[loader]")
{
  // "          - lock: dv": `lock` 13..16, the value at 19; after `unlock` (13..18) at 21.
  const std::string p = "processes[0].threads[0].program[0]";
  require_errors({
      {program("          - lock: dv\n"), 8, 19, p + ".lock",
       "unknown lock 'dv'; did you mean 'db'?"},
      {program("          - unlock: mylock\n"), 8, 21, p + ".unlock",
       "unknown lock 'mylock'; declared locks: db, pool"},
  });
}

TEST_CASE("loader: unlock of a lock the thread does not hold", "[loader]")
{
  const std::string p = "processes[0].threads[0].program";
  require_errors({
      // "          - unlock: db": the value at 21.
      {program("          - cpu: 1ms\n          - unlock: db\n"), 9, 21, p + "[1].unlock",
       "unlock of 'db', which the thread does not hold at this point"},
      // In a repeat body, "            do: [{unlock: db}]": '{' at 18, `unlock` 19..24, db at 27.
      {program("          - repeat: 2\n            do: [{unlock: db}]\n"), 9, 27,
       p + "[0].do[0].unlock", "which the thread does not hold"},
      // Unlocked once already.
      {program("          - lock: db\n          - unlock: db\n          - unlock: db\n"), 10, 21,
       p + "[2].unlock", "which the thread does not hold"},
  });
}

TEST_CASE("loader: a lock taken twice without unlock", "[loader]")
{
  // Line 10 is the second "          - lock: db": the value at column 19.
  require_errors({{program("          - lock: db\n"
                           "          - cpu: 1ms\n"
                           "          - lock: db\n"),
                   10, 19, "processes[0].threads[0].program[2].lock",
                   "lock 'db' is already held here (taken at line 8); unlock it first"}});
}

TEST_CASE("loader: a repeat body must leave the held locks as it found them", "[loader]")
{
  // The error points at the `repeat` key, column 13.
  const std::string p = "processes[0].threads[0].program";
  require_errors({
      {program("          - repeat: 2\n            do: [{lock: db}]\n"), 8, 13, p + "[0].repeat",
       "the repeated steps lock db without unlocking it"},
      {program("          - lock: db\n          - repeat: 2\n            do: [{unlock: db}]\n"), 9,
       13, p + "[1].repeat", "the repeated steps unlock db without locking it again"},
  });
  // Giving a lock back and taking it again within the body is fine.
  const scenario sc = load_scenario_text(
      program("          - lock: db\n"
              "          - repeat: 2\n"
              "            do: [{unlock: db}, {cpu: 1ms}, {lock: db},\n"
              "                 {lock: pool}, {unlock: pool}]\n"
              "          - unlock: db\n"),
      "t.yaml");
  REQUIRE(sc.processes[0].threads[0].program[1].body.size() == 5);
}

TEST_CASE("loader: a lock still held at the end of the program is allowed", "[loader]")
{
  const scenario sc =
      load_scenario_text(program("          - lock: db\n          - cpu: 1ms\n"), "t.yaml");
  REQUIRE(sc.processes[0].threads[0].program.back().kind == step_kind::cpu);
}
