// Bounded input: only regular files, a size cap, an expanded-node cap that counts aliases as what
// they repeat, a nesting limit, one document, valid UTF-8, durations within 1 ns .. 1e9 s, and
// no exception of yaml-cpp's escaping without a position.
#include "tests/load/load_error.hpp"

#include "sim/load/host_profile.hpp"
#include "sim/load/input_file.hpp"
#include "sim/load/sections.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <string>

using Catch::Matchers::Contains;
using gilsim::input_error;
using gilsim::load_scenario;
using gilsim::test::load_error;

namespace {

const std::string one_thread = R"(machine: {cores: 1}
processes:
  - name: p
    runtime: native
    threads:
      - name: t
        program: [{cpu: 1ms}]
)";

// The error loading the file at `path` raises.
input_error file_error(const std::string& path)
{
  try {
    load_scenario(path);
  } catch (const input_error& e) {
    return e;
  }
  FAIL("the file loaded, but an input_error was expected");
  throw std::logic_error("unreachable");
}

// Line i (0-based) of the bomb: "xi: &ai [*a(i-1), *a(i-1)]" after "x0: &a0 [1, 1]".
std::string alias_bomb(int anchors)
{
  std::string y = "x0: &a0 [1, 1]\n";
  for (int i = 1; i < anchors; ++i)
    y += fmt::format("x{}: &a{} [*a{}, *a{}]\n", i, i, i - 1, i - 1);
  return y;
}

}  // namespace

TEST_CASE("bounds: only a regular file is read: /dev/zero, a directory and a pipe are refused")
{
  for (const char* path : {"/dev/zero", "/dev/null"}) {
    const auto e = file_error(path);
    REQUIRE_ERROR_AT(e, path, 0, 0, "");
    CHECK_THAT(e.message(), Contains("cannot read the scenario: it is not a regular file"));
  }
  CHECK_THAT(file_error("/tmp").message(), Contains("it is a directory"));
  CHECK_THAT(file_error("/nonexistent/x.yaml").message(), Contains("No such file"));
  try {
    gilsim::read_host_profile("/dev/zero");
    FAIL("/dev/zero read as a profile");
  } catch (const input_error& e) {
    CHECK_THAT(e.message(), Contains("cannot read the host profile: it is not a regular file"));
  }
}

TEST_CASE("bounds: a file over GILSIM_MAX_INPUT_BYTES is refused, one at the cap is read")
{
  const std::string path = gilsim::test::write_temp_scenario(one_thread, "bounds_size");
  const auto size = std::to_string(one_thread.size());
  setenv("GILSIM_MAX_INPUT_BYTES", size.c_str(), 1);
  CHECK(load_scenario(path).processes.size() == 1);
  setenv("GILSIM_MAX_INPUT_BYTES", std::to_string(one_thread.size() - 1).c_str(), 1);
  const auto e = file_error(path);
  REQUIRE_ERROR_AT(e, path, 0, 0, "");
  CHECK_THAT(e.message(), Contains(fmt::format("it is larger than {} bytes; set "
                                               "GILSIM_MAX_INPUT_BYTES to raise the cap",
                                               one_thread.size() - 1)));
  setenv("GILSIM_MAX_INPUT_BYTES", "-3", 1);
  CHECK_THAT(file_error(path).message(), Contains("GILSIM_MAX_INPUT_BYTES must be a whole number"));
  // The default: 4 MiB.
  unsetenv("GILSIM_MAX_INPUT_BYTES");
  CHECK(gilsim::current_input_limits().bytes == 4u << 20);
}

TEST_CASE("bounds: 30 doubling anchors are refused at the alias that passes 1,000,000 nodes")
{
  // Anchor a0 is a list of 2 scalars, 3 nodes; a(i) = [*a(i-1), *a(i-1)] is 1 + 2 x size(a(i-1))
  // = 2^(i+2) - 1 nodes. With the top map, after line i the count is 2^(i+3) - 3: 524,285 after
  // x16. Line x17 (line 18) adds its key and list (524,287), its first alias 262,143 more
  // (786,430), and its second passes the cap (1,048,573): the error points at that alias, column
  // 18 of "x17: &a17 [*a16, *a16]".
  const auto e = load_error(alias_bomb(30));
  REQUIRE_ERROR_AT(e, "t.yaml", 18, 18, "");
  CHECK_THAT(e.message(), Contains("the YAML expands to more than 1000000 nodes (an alias counts "
                                   "as the whole value it repeats); set GILSIM_MAX_YAML_NODES"));
  // Raised to 2^20 = 1,048,576 nodes the same text passes line 18 (1,048,573) and fails on line
  // 19's first alias, column 12 (1,048,575 + 524,287).
  setenv("GILSIM_MAX_YAML_NODES", "1048576", 1);
  REQUIRE_ERROR_AT(load_error(alias_bomb(30)), "t.yaml", 19, 12, "");
  unsetenv("GILSIM_MAX_YAML_NODES");
}

TEST_CASE("bounds: an alias in a program counts its steps, and an ordinary scenario fits")
{
  // 20 doubling repeats of one step: 2^20 steps' nodes from a 1 KB text.
  std::string y = one_thread.substr(0, one_thread.find("program")) + "program:\n" +
                  "          - &s0 {cpu: 1ms}\n";
  for (int i = 1; i <= 20; ++i)
    y += fmt::format("          - &s{} {{repeat: 1, do: [*s{}, *s{}]}}\n", i, i - 1, i - 1);
  CHECK_THAT(load_error(y).message(), Contains("more than 1000000 nodes"));
  for (const auto& path : gilsim::test::shipped_scenarios())
    CHECK_NOTHROW(load_scenario(path));
}

TEST_CASE("bounds: nesting past 100 levels has its own message, at the level that passes")
{
  // The top map is level 1 and "x: " 3 characters: the 100th '[' (level 101) is at column 103.
  const std::string deep = "x: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  const auto e = load_error(deep);
  REQUIRE_ERROR_AT(e, "t.yaml", 1, 103, "");
  CHECK_THAT(e.message(), Contains("maps and lists nest deeper than 100 levels here; set "
                                   "GILSIM_MAX_YAML_DEPTH"));
  // 99 levels of lists under the map are allowed (then refused as an unknown key).
  const std::string ok = "x: " + std::string(99, '[') + std::string(99, ']') + "\n";
  CHECK_THAT(load_error(ok).message(), Contains("unknown key 'x'"));
}

TEST_CASE("bounds: a second YAML document is refused where it starts")
{
  const auto e = load_error(one_thread + "---\nname: other\n");
  REQUIRE_ERROR_AT(e, "t.yaml", 8, 1, "");
  CHECK_THAT(e.message(), Contains("a second YAML document starts here"));
  // One document with its own start marker is one document.
  CHECK_NOTHROW(gilsim::load_scenario_text("---\n" + one_thread, "t.yaml"));
}

TEST_CASE("bounds: invalid UTF-8 is refused at its line and column, in a file and in --set")
{
  // Line 6 is "      - name: t": the name's 't' is column 15, so a bad byte in its place too.
  std::string bad = one_thread;
  bad.replace(bad.find("name: t") + 6, 1, "t\xff");
  auto e = load_error(bad);
  REQUIRE_ERROR_AT(e, "t.yaml", 6, 16, "");
  CHECK_THAT(e.message(), Contains("invalid UTF-8 (byte 0xff)"));
  // A lone continuation byte, an overlong '/', a surrogate, a code point past U+10FFFF.
  for (const char* seq : {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"})
    CHECK_THAT(load_error("name: a" + std::string(seq) + "\n").message(), Contains("invalid UTF-8"));
  // Valid multi-byte names load: a 2-, a 3- and a 4-byte character.
  CHECK(gilsim::load_scenario_text("name: \xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82\n" + one_thread,
                                   "t.yaml")
            .name == "\xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82");
  // "name=a\xfe": an override's columns count from its first character, so the bad byte after
  // "name=a" is column 7.
  e = load_error(one_thread, {"name=a\xfe"});
  REQUIRE_ERROR_AT(e, "--set name=a\xfe", 1, 7, "name");
}

TEST_CASE("bounds: --set selecting by name in a list whose elements have no name is located")
{
  // The program's steps are maps without a name: before, yaml-cpp's "invalid node" escaped.
  const std::string o = "processes.p.threads.t.program.first.cpu=2ms";
  const auto e = load_error(one_thread, {o});
  REQUIRE_ERROR_AT(e, "--set " + o, 1, 31, "processes.p.threads.t.program.first.cpu");
  CHECK_THAT(e.message(), Contains("has no element named 'first'"));
}

TEST_CASE("bounds: a duration is 0 or 1 ns .. 1e9 s; a cost per operation may be below 1 ns")
{
  const auto with = [](const std::string& from, const std::string& to) {
    std::string y = one_thread;
    y.replace(y.find(from), from.size(), to);
    return y;
  };
  auto e = load_error(with("cpu: 1ms", "cpu: 1e308"));
  // "        program: [{cpu: 1e308}]": the value starts at column 25.
  REQUIRE_ERROR_AT(e, "t.yaml", 7, 25, "processes[0].threads[0].program[0].cpu");
  CHECK_THAT(e.message(), Contains("a duration must be at most 1e9 s (about 31 years), got "
                                   "'1e308'"));
  e = load_error(with("runtime: native", "runtime: native\n    start: 1e300"));
  CHECK_THAT(e.message(), Contains("at most 1e9 s"));
  CHECK_THAT(load_error(with("cpu: 1ms", "cpu: 1e-12")).message(),
             Contains("a duration must be 0 or at least 1ns, got '1e-12'"));
  CHECK_THAT(load_error(one_thread + "scheduler: {policy: rr, quantum: 1e-12s}\n").message(),
             Contains("at least 1ns"));
  // 1e9 s is the last allowed; 1ns the first.
  CHECK_NOTHROW(gilsim::load_scenario_text(with("cpu: 1ms", "cpu: 1e9"), "t.yaml"));
  CHECK_NOTHROW(gilsim::load_scenario_text(with("cpu: 1ms", "cpu: 1ns"), "t.yaml"));
  CHECK_NOTHROW(gilsim::load_scenario_text(
      one_thread + "cost: {native: {per_division: 0.3ns, per_item: 0.5ns}}\n", "t.yaml"));
}

TEST_CASE("bounds: more threads than this host's engine holds are refused where they are made")
{
  // Each simulated thread takes two memory mappings: under Debian's default vm.max_map_count
  // (65530) 32,600 threads ran and 32,700 aborted inside SimGrid ("Failed to protect stack").
  const long long cap = gilsim::detail::thread_capacity();
  if (cap + 100 > 100000) {
    WARN("vm.max_map_count is raised on this host: the cap, " << cap
                                                              << ", passes what a count allows");
    return;
  }
  auto many = [](long long n) {
    return fmt::format("machine: {{cores: 1}}\nprocesses:\n  - name: p\n    runtime: native\n"
                       "    threads:\n      - name: t\n        count: {}\n"
                       "        program: [{{cpu: 1ms}}]\n",
                       n);
  };
  const auto e = load_error(many(cap + 100));
  CHECK_THAT(e.what(), Contains(fmt::format("the scenario has {} threads", cap + 100)) &&
                           Contains("holds at most") && Contains("vm.max_map_count"));
  REQUIRE_ERROR_AT(e, "t.yaml", 3, 3, "processes");
  CHECK_NOTHROW(gilsim::load_scenario_text(many(cap / 2), "t.yaml"));
  // A workload's threads: the error points at the workload.
  const auto w = load_error(fmt::format("workload:\n  items: {{range: [1, 10]}}\n"
                                        "  per_item: [{{cpu: 1ms}}]\n  model: threads\n"
                                        "  workers: {}\n",
                                        cap + 100));
  CHECK_THAT(w.what(), Contains("holds at most"));
  REQUIRE_ERROR_AT(w, "t.yaml", 1, 1, "workload");
}
