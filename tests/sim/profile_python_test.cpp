// The host profile's python sections: every figure of every interpreter written and read back
// the same, the first interpreter's is_prime standing for the old single `python:` cost, and a
// malformed section reported at its line and column.
#include "sim/load/host_profile.hpp"
#include "sim/load/profile_python.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace gilsim;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

sample_stats runs_around(double median)
{
  return {median, median * 0.9, median * 1.2, 0.03, 5};
}

// A section whose every figure differs from the defaults and from the others.
host_profile::python_section section(const std::string& interpreter, double scale)
{
  host_profile::python_section s;
  s.costs.interpreter = interpreter;
  s.costs.version = interpreter + ".4";
  s.implementation = "CPython";
  s.executable = "/opt/python" + interpreter + "/bin/python3";
  double v = 1.25e-6 * scale;
  for (const auto& f : python_scalar_figures()) {
    s.costs.*f.member = v;
    s.stats[f.key] = runs_around(v);
    v *= 1.5;
  }
  s.costs.prime = kernel_cost{61e-9, 93.5e-9, {{11, 52e-9 * scale}, {21, 70e-9}, {29, 81e-9}}};
  s.prime_fit = {61e-9, 93.5e-9, 0.0125, 0.028, false};
  s.stats[prime_stats_key(1, 256)] = runs_around(40e-6);
  s.stats[prime_stats_key(1u << 20, (1u << 20) + 1024)] = runs_around(6.5e-3);
  s.stats[prime_check_stats_key(1, 100000)] = runs_around(0.25);
  s.costs.executor_pool = {{150e-6 * scale, 2.5e-6}, {45e-6, 1.75e-6}};
  s.costs.mp_pool = {{30e-6, 0.5e-6}, {20e-6 * scale, 0.25e-6}};
  for (int chunk : {1, 10, 100})
    for (const char* pool : {"executor_pool", "mp_pool"})
      for (const char* side : {"parent", "child"})
        s.stats[pool_stats_key(pool, side, chunk)] = runs_around(chunk * 3e-6);
  for (double d : {50e-6, 1e-3, 10e-3}) {
    s.costs.sleep.emplace_back(d, d + 80e-6 * scale);
    s.stats[sleep_stats_key(d)] = runs_around(d + 80e-6 * scale);
    s.costs.asyncio_sleep.emplace_back(d, d + 900e-6);
    s.stats[sleep_stats_key(d, "asyncio_sleep")] = runs_around(d + 900e-6);
  }
  return s;
}

host_profile profile_with_pythons()
{
  host_profile p;
  p.cpu = "Test CPU";
  p.cores = 2;
  p.mode = "full";
  p.native = {{2.5e-9, 1.5e-9, {}}, {2.5e-9, 1.5e-9, 0.01, 0.02, false}, 9, 0.01, "C++ is_prime"};
  p.context_switch = runs_around(1.5e-6);
  p.wakeup_latency = runs_around(20e-6);
  p.thread_start = runs_around(25e-6);
  p.process_start = runs_around(300e-6);
  p.process_exit = runs_around(50e-6);
  p.pythons = {section("3.11", 1.0), section("3.12", 2.0)};
  return p;
}

void check_same(const host_profile::python_section& a, const host_profile::python_section& b)
{
  CHECK(a.costs.interpreter == b.costs.interpreter);
  CHECK(a.costs.version == b.costs.version);
  CHECK(a.implementation == b.implementation);
  CHECK(a.executable == b.executable);
  for (const auto& f : python_scalar_figures()) {
    INFO(f.key);
    CHECK(a.costs.*f.member == Approx(b.costs.*f.member).epsilon(1e-6));
  }
  REQUIRE(a.costs.prime.has_value());
  REQUIRE(b.costs.prime.has_value());
  CHECK(a.costs.prime->per_item == Approx(b.costs.prime->per_item).epsilon(1e-6));
  REQUIRE(a.costs.prime->by_bits.size() == b.costs.prime->by_bits.size());
  for (size_t k = 0; k < a.costs.prime->by_bits.size(); ++k) {
    CHECK(a.costs.prime->by_bits[k].first == b.costs.prime->by_bits[k].first);
    CHECK(a.costs.prime->by_bits[k].second ==
          Approx(b.costs.prime->by_bits[k].second).epsilon(1e-6));
  }
  CHECK(a.prime_fit.residual == Approx(b.prime_fit.residual));
  CHECK(a.prime_fit.worst == Approx(b.prime_fit.worst));
  CHECK(a.costs.executor_pool.parent.fixed == Approx(b.costs.executor_pool.parent.fixed));
  CHECK(a.costs.executor_pool.child.per_item == Approx(b.costs.executor_pool.child.per_item));
  CHECK(a.costs.mp_pool.child.fixed == Approx(b.costs.mp_pool.child.fixed));
  CHECK(a.costs.mp_pool.parent.per_item == Approx(b.costs.mp_pool.parent.per_item));
  for (const auto& t : python_sleep_tables()) {
    INFO(t.key);
    const sleep_table &x = a.costs.*t.member, &y = b.costs.*t.member;
    REQUIRE(x.size() == y.size());
    for (size_t k = 0; k < x.size(); ++k) {
      CHECK(x[k].first == Approx(y[k].first));
      CHECK(x[k].second == Approx(y[k].second));
    }
  }
  REQUIRE(a.stats.size() == b.stats.size());
  for (const auto& [key, st] : a.stats) {
    INFO(key);
    REQUIRE(b.stats.count(key) == 1);
    CHECK(b.stats.at(key).median == Approx(st.median).epsilon(1e-6));
    CHECK(b.stats.at(key).runs == st.runs);
  }
}

std::string with_replaced(std::string text, const std::string& from, const std::string& to,
                          int& line)
{
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("profile: python sections written and read back, every figure the same", "[profile]")
{
  const host_profile p = profile_with_pythons();
  const std::string text = profile_yaml(p);
  CHECK_THAT(text, Contains("pythons:"));
  CHECK_THAT(text, Contains("# creator's wall time in Thread.start()"));  // figures explained
  CHECK_THAT(text, Contains("checks:"));
  const host_profile q = parse_host_profile(text, "p.yaml");
  REQUIRE(q.pythons.size() == 2);
  check_same(p.pythons[0], q.pythons[0]);
  check_same(p.pythons[1], q.pythons[1]);
  // The first interpreter's is_prime is what the old `python:` cost meant, and stays usable.
  REQUIRE(q.python.has_value());
  CHECK(q.python->cost == *q.pythons[0].costs.prime);
  CHECK(q.python->fit.residual == Approx(0.0125));
  CHECK_THAT(profile_yaml(q), Equals(text));
}

TEST_CASE("profile: a hand-written python section may give plain durations", "[profile]")
{
  const std::string full = profile_yaml(profile_with_pythons());
  const std::string text = full.substr(0, full.find("pythons:")) +
                           "pythons:\n  - interpreter: \"3.13\"\n    queue_put: 3us\n"
                           "    sleep: [{requested: 1ms, taken: 1.1ms}]\n"
                           "    prime: {per_item: 90ns, by_bits: {11: 50ns, 29: 80ns}}\n" +
                           full.substr(full.find("\nmachine:") + 1);
  const host_profile q = parse_host_profile(text, "h.yaml");
  REQUIRE(q.pythons.size() == 1);
  const python_costs& c = q.pythons[0].costs;
  CHECK(c.queue_put == Approx(3e-6));
  CHECK(c.queue_get == python_costs{}.queue_get);  // not given: the default
  CHECK(c.sleep_taken(1e-3) == Approx(1.1e-3));
  REQUIRE(c.prime.has_value());
  CHECK(c.prime->division_at(20) == Approx(50e-9 + 30e-9 * 9 / 18));
  CHECK(q.pythons[0].stats.empty());
}

TEST_CASE("profile: a malformed python section is an input error at its line and column",
          "[profile]")
{
  const std::string text = profile_yaml(profile_with_pythons());
  struct bad_case {
    std::string from, to;
    int col;
    std::string message;
  };
  const bad_case cases[] = {
      {"    queue_put:", "    queue_pot:", 5, "did you mean 'queue_put'?"},
      {"interpreter: \"3.12\"", "interpreter: \"3.x\"", 18, "not a major.minor version"},
      {"interpreter: \"3.12\"", "interpreter: \"3.11\"", 18,
       "interpreter 3.11 is calibrated twice"},
      {"by_bits: {11: 52ns, 21: ", "by_bits: {11: 52ns, 9: ", 27,
       "the bit lengths must increase"},
      {"parent: {fixed: 150us", "parent: {fixed: slow", 23, "expected a duration"},
  };
  for (const auto& c : cases) {
    INFO(c.to);
    int line = 0;
    const std::string bad = with_replaced(text, c.from, c.to, line);
    try {
      parse_host_profile(bad, "bad.yaml");
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(e.pos().file == "bad.yaml");
      CHECK(e.pos().line == line);
      CHECK(e.pos().col == c.col);
      CHECK_THAT(std::string(e.what()), Contains(c.message));
    }
  }
  int line = 0;
  const std::string both =
      with_replaced(text, "\nmachine:", "\npython: {measured: false}\nmachine:", line);
  CHECK_THROWS_WITH(parse_host_profile(both, "b.yaml"), Contains("not both"));
}

TEST_CASE("profile: an event loop's wake for a timer lasts what the interpreter's asyncio.sleep took",
          "[profile]")
{
  // The 3.12 section's asyncio.sleep table: d took d + 900 us (50 us, 1 ms, 10 ms), so a wait
  // of 2 ms takes 2.9 ms. The loop goes idle at 0.8 ms (b's unlock); b's timer is due at 2.3
  // ms: the selector's wait rounds 1.5 ms up to 2 ms, which takes 2.9 ms: the loop wakes at
  // 3.7 ms and runs b (3.7-3.8 ms), then a, due at 2.5 ms (3.8-3.9 ms).
  const std::string profile = gilsim::test::write_temp_scenario(profile_yaml(profile_with_pythons()), "profile");
  const std::string sc = gilsim::test::write_temp_scenario(R"(
machine: {cores: 2, context_switch: 0, speed: host}
scheduler: {policy: fifo}
locks:
  loop: {kind: mutex, wakeup: 0, timer_resolution: 1ms}
processes:
  - name: p
    python: {interpreter: "3.12"}
    threads:
      - {name: a, program: [{lock: loop}, {cpu: {native: 0.3ms}}, {unlock: loop}, {io: 2.2ms}, {lock: {name: loop, by_timer: true}}, {cpu: {native: 0.1ms}}, {unlock: loop}]}
      - {name: b, program: [{lock: loop}, {cpu: {native: 0.5ms}}, {unlock: loop}, {io: 1.5ms}, {lock: {name: loop, by_timer: true}}, {cpu: {native: 0.1ms}}, {unlock: loop}]}
)");
  auto r = gilsim::test::run_cli({"run", sc, "--profile", profile, "--json"});
  REQUIRE(r.exit_code == 0);
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["makespan_s"].get<double>() == Approx(0.0039).margin(1e-9));
  CHECK(gilsim::test::thread_named(report, "b")["end_s"].get<double>() == Approx(0.0038).margin(1e-9));
}
