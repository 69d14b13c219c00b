// YAML merge keys and top-level x- blocks: the expanded tree checked key by key against the
// YAML 1.1 rule worked by hand (a map's own keys win, of a list of maps the earlier wins), the
// loaded scenario, mistakes inside a merged block reported where the block is written, and
// --set overrides that change the one place they name (or, for an x- block, every map merging it).
#include "sim/load/overrides.hpp"
#include "sim/load/yaml_check.hpp"
#include "tests/load/load_error.hpp"

#include <utility>

using namespace gilsim;
using Catch::Matchers::Contains;
using gilsim::test::bad_input;
using gilsim::test::load_error;
using gilsim::test::require_errors;

namespace {

// A map's entries as (key, scalar value) in order; a non-scalar value reads as "{...}".
std::vector<std::pair<std::string, std::string>> entries(const YAML::Node& map)
{
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : map)
    out.emplace_back(kv.first.Scalar(), kv.second.IsScalar() ? kv.second.Scalar() : "{...}");
  return out;
}

using kv = std::vector<std::pair<std::string, std::string>>;

// Two anchored blocks and three maps that merge them (line numbers on the right).
const std::string blocks = "x-base: &base\n"            // 1
                           "  a: 1\n"                   // 2
                           "  b: 2\n"                   // 3
                           "x-more: &more\n"            // 4
                           "  b: 20\n"                  // 5
                           "  c: 30\n"                  // 6
                           "one:\n"                     // 7
                           "  <<: *base\n"              // 8
                           "  b: 5\n"                   // 9
                           "two: &two\n"                // 10
                           "  z: 0\n"                   // 11
                           "  <<: [*more, *base]\n"     // 12
                           "  c: 3\n"                   // 13
                           "three: {<<: *two, d: 4}\n";  // 14

// A native process whose two threads merge the x-worker block; b writes its own nice.
const std::string workers = "x-worker: &worker\n"       // 1
                            "  count: 2\n"              // 2
                            "  nice: 5\n"               // 3
                            "  program: [{cpu: 2ms}]\n"  // 4
                            "processes:\n"              // 5
                            "  - name: p\n"             // 6
                            "    runtime: native\n"     // 7
                            "    threads:\n"            // 8
                            "      - <<: *worker\n"     // 9
                            "        name: a\n"         // 10
                            "      - <<: *worker\n"     // 11
                            "        name: b\n"         // 12
                            "        nice: -3\n";       // 13

double nice_of(const thread_spec& t)
{
  return t.attributes.number("nice");
}

}  // namespace

TEST_CASE("merge keys: the expanded maps, key by key, in order", "[loader][merge]")
{
  detail::yaml_sources src("t.yaml");
  const YAML::Node root = detail::parse_yaml(blocks, "t.yaml");
  detail::expand_merge_keys(root, src);
  // one: base's a at the place of <<, base's b overridden by its own b.
  REQUIRE(entries(root["one"]) == kv{{"a", "1"}, {"b", "5"}});
  // two: its own z and c; of [more, base], more's b (the earlier wins), more's c overridden by
  // its own, then base's a; base's b is already there.
  REQUIRE(entries(root["two"]) == kv{{"z", "0"}, {"b", "20"}, {"a", "1"}, {"c", "3"}});
  // three merges two once expanded: everything two has, then its own d.
  REQUIRE(entries(root["three"]) ==
          kv{{"z", "0"}, {"b", "20"}, {"a", "1"}, {"c", "3"}, {"d", "4"}});
  // The blocks themselves are unchanged.
  REQUIRE(entries(root["x-base"]) == kv{{"a", "1"}, {"b", "2"}});
  REQUIRE(entries(root["x-more"]) == kv{{"b", "20"}, {"c", "30"}});
  // A merged entry is the block's own node: placed where the block writes it.
  for (const auto& e : root["two"]) {
    const auto at = src.pos(e.second);
    if (e.first.Scalar() == "b")
      REQUIRE((at.line == 5 && at.col == 6));
    if (e.first.Scalar() == "a")
      REQUIRE((at.line == 2 && at.col == 6));
    if (e.first.Scalar() == "c")
      REQUIRE((at.line == 13 && at.col == 6));
  }
}

TEST_CASE("merge keys: a quoted '<<' is an ordinary key; !!merge is a merge key", "[loader][merge]")
{
  detail::yaml_sources src("t.yaml");
  const YAML::Node root = detail::parse_yaml("x: &x {a: 1}\n"
                                             "q: {'<<': *x, b: 2}\n"
                                             "t: {!!merge <<: *x, b: 2}\n",
                                             "t.yaml");
  detail::expand_merge_keys(root, src);
  REQUIRE(entries(root["q"]) == kv{{"<<", "{...}"}, {"b", "2"}});
  REQUIRE(entries(root["t"]) == kv{{"a", "1"}, {"b", "2"}});
}

TEST_CASE("merge keys: threads from an x- block load as if written out", "[loader][merge]")
{
  const scenario sc = load_scenario_text(workers, "t.yaml");
  REQUIRE(sc.processes.size() == 1);
  const auto& ts = sc.processes[0].threads;
  REQUIRE(ts.size() == 4);  // count 2 each
  REQUIRE(ts[0].name == "a-0");
  REQUIRE(ts[1].name == "a-1");
  REQUIRE(ts[2].name == "b-0");
  REQUIRE(ts[3].name == "b-1");
  REQUIRE(nice_of(ts[0]) == 5);
  REQUIRE(nice_of(ts[1]) == 5);
  REQUIRE(nice_of(ts[2]) == -3);  // its own key wins
  REQUIRE(nice_of(ts[3]) == -3);
  for (const auto& t : ts) {
    REQUIRE(t.program.size() == 1);
    REQUIRE(t.program[0].kind == step_kind::cpu);
    REQUIRE(t.program[0].seconds == Approx(2e-3));
    // "  program: [{cpu: 2ms}]": the step's '{' at column 13 of line 4, in the block.
    REQUIRE(t.program[0].pos.line == 4);
    REQUIRE(t.program[0].pos.col == 13);
  }
}

TEST_CASE("merge keys: x- blocks are skipped at the top level only", "[loader][merge]")
{
  const std::string process = "processes: [{name: p, runtime: native, threads: [{name: t, "
                              "program: [{cpu: 1ms}]}]}]\n";
  REQUIRE(load_scenario_text("x-anything: {not: [a, scenario]}\n" + process, "t.yaml")
              .processes.size() == 1);
  const auto top = load_error("x_base: {a: 1}\n" + process);
  REQUIRE_ERROR_AT(top, "t.yaml", 1, 1, "x_base");
  const auto nested = load_error("machine: {x-cores: 2}\n" + process);
  REQUIRE_ERROR_AT(nested, "t.yaml", 1, 11, "machine.x-cores");
}

TEST_CASE("merge keys: mistakes in and around merged blocks, at their line and column",
          "[loader][merge]")
{
  const std::string tail = "processes:\n"          // 3
                           "  - name: p\n"         // 4
                           "    runtime: native\n"  // 5
                           "    threads:\n"        // 6
                           "      - <<: *w\n"      // 7
                           "        name: a\n";    // 8
  require_errors({
      // A value out of range inside the block: at the block's line, under the thread's path.
      {"x-w: &w\n  nice: 50\n" + tail + "        program: [{cpu: 1ms}]\n", 2, 9,
       "processes[0].threads[0].nice", "must be between -20 and 19"},
      // A misspelt key inside the block, with its hint.
      {"x-w: &w\n  nicce: 1\n" + tail + "        program: [{cpu: 1ms}]\n", 2, 3,
       "processes[0].threads[0].nicce", "did you mean 'nice'?"},
      // A key written twice by the map itself is still an error, merge or not.
      {"x-w: &w\n  nice: 1\n" + tail + "        name: b\n        program: [{cpu: 1ms}]\n", 9, 9,
       "processes[0].threads[0].name", "the key 'name' is written twice (first at line 8)"},
      // ... and so is one written twice in the merged block.
      {"x-w: &w\n  nice: 1\n  nice: 2\n" + tail + "        program: [{cpu: 1ms}]\n", 3, 3,
       "processes[0].threads[0].<<.nice", "the key 'nice' is written twice (first at line 2)"},
      // Two merge keys in one map.
      {"x-w: &w\n  nice: 1\n" + tail + "        <<: *w\n        program: [{cpu: 1ms}]\n", 9, 9,
       "processes[0].threads[0].<<", "the key '<<' is written twice (first at line 7)"},
      // A merge key's value must be maps.
      {"x-w: &w\n  nice: 1\nprocesses:\n  - name: p\n    runtime: native\n    threads:\n"
       "      - <<: 5\n        name: a\n        program: [{cpu: 1ms}]\n",
       7, 13, "processes[0].threads[0].<<", "a merge key '<<' takes a map or a list of maps"},
      {"x-w: &w\n  nice: 1\nprocesses:\n  - name: p\n    runtime: native\n    threads:\n"
       "      - <<: [*w, 3]\n        name: a\n        program: [{cpu: 1ms}]\n",
       7, 18, "processes[0].threads[0].<<[1]", "a merge key's list holds maps only"},
  });
}

TEST_CASE("merge keys: an alias inside the map it repeats is refused, not followed",
          "[loader][merge]")
{
  const auto e = load_error("x-loop: &loop\n  again: *loop\nprocesses: []\n");
  // Placed at the anchored map (its mark is the alias's too), under the alias's key path.
  REQUIRE_ERROR_AT(e, "t.yaml", 1, 9, "x-loop.again");
  REQUIRE_THAT(e.message(), Contains("holds an alias of itself"));
}

TEST_CASE("merge keys: --set changes the one place it names; an x- block, every map merging it",
          "[loader][merge]")
{
  // A merged key of thread a: a alone changes, not b, nor the block.
  auto sc = load_scenario_text(workers, "t.yaml", {"processes.p.threads.a.count=1"});
  REQUIRE(sc.processes[0].threads.size() == 3);  // a: 1, b: 2
  REQUIRE(sc.processes[0].threads[0].name == "a");
  // Deep in a merged value (the shared program list): a's step only.
  sc = load_scenario_text(workers, "t.yaml", {"processes.p.threads.a.program.0.cpu=5ms"});
  REQUIRE(sc.processes[0].threads[0].program[0].seconds == Approx(5e-3));
  REQUIRE(sc.processes[0].threads[1].program[0].seconds == Approx(5e-3));  // a-1
  REQUIRE(sc.processes[0].threads[2].program[0].seconds == Approx(2e-3));  // b-0
  REQUIRE(sc.processes[0].threads[3].program[0].seconds == Approx(2e-3));
  // The block itself: every thread that merges it, but b's own nice.
  sc = load_scenario_text(workers, "t.yaml", {"x-worker.nice=9", "x-worker.program.0.cpu=7ms"});
  REQUIRE(nice_of(sc.processes[0].threads[0]) == 9);
  REQUIRE(nice_of(sc.processes[0].threads[2]) == -3);
  for (const auto& t : sc.processes[0].threads)
    REQUIRE(t.program[0].seconds == Approx(7e-3));
  // A plain alias too: b's program written as *prog changes without a's.
  const std::string aliased = "processes:\n"
                              "  - name: p\n"
                              "    runtime: native\n"
                              "    threads:\n"
                              "      - {name: a, program: &prog [{cpu: 1ms}]}\n"
                              "      - {name: b, program: *prog}\n";
  sc = load_scenario_text(aliased, "t.yaml", {"processes.p.threads.b.program.0.cpu=3ms"});
  REQUIRE(sc.processes[0].threads[0].program[0].seconds == Approx(1e-3));
  REQUIRE(sc.processes[0].threads[1].program[0].seconds == Approx(3e-3));
  // Overrides after one that copied the path: each still reaches its own place only (the
  // third finds a's maps copied already and changes them in place).
  sc = load_scenario_text(aliased, "t.yaml",
                          {"processes.p.threads.a.program.0.cpu=5ms",
                           "processes.p.threads.b.program.0.cpu=3ms",
                           "processes.p.threads.a.program.0.cpu=6ms"});
  REQUIRE(sc.processes[0].threads[0].program[0].seconds == Approx(6e-3));
  REQUIRE(sc.processes[0].threads[1].program[0].seconds == Approx(3e-3));
  // An override's mistake is still placed in the override.
  const auto e = load_error(workers, {"processes.p.threads.a.program.0.cpu=fast"});
  REQUIRE(e.pos().file == "--set processes.p.threads.a.program.0.cpu=fast");
  REQUIRE(e.pos().col == 37);
}

TEST_CASE("merge keys: many --set overrides copy each map on their paths once, not once each",
          "[loader][merge]")
{
  // Copying the top level again for every override made 800 overrides of new top-level keys
  // take a minute (their count squared in nodes, cubed in yaml-cpp's merges of node memories).
  detail::yaml_sources src("t.yaml");
  YAML::Node root = YAML::Load("a: 1\nb: {c: 2}\n");
  for (int i = 0; i < 100; ++i)
    detail::apply_override(root, "x" + std::to_string(i) + ".y=" + std::to_string(i), src);
  detail::apply_override(root, "b.c=3", src);
  detail::apply_override(root, "b.d=4", src);
  REQUIRE(src.copies() == 2);  // the top level, and b
  REQUIRE(root.size() == 102);
  REQUIRE(root["x99"]["y"].as<int>() == 99);
  REQUIRE(root["b"]["c"].as<int>() == 3);
  REQUIRE(root["b"]["d"].as<int>() == 4);
}
