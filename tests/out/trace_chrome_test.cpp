// The Chrome trace writer: names for the machine, its cores, each process, its GIL track and
// each thread, every track with a tid of its own; a slice with args per state period on the
// thread's track and per run on its core's; the GIL holders; flows for the GIL's and locks'
// hand-offs; instants for thread start and end, forced drops and context switches; counters of
// the run queue and the GIL waiters, one sample per instant. Times in microseconds.
#include "tests/out/hand_runs.hpp"

#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <tuple>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;
#include <nlohmann/json.hpp>

using nlohmann::ordered_json;

TEST_CASE("chrome trace: the two-core hand-made run, event by event")
{
  // pid 0 is the machine, pid p + 1 a process; tids are unique: thread t is t + 1 (a 1, b 2),
  // core c is 3 + c, py's track (its name, GIL holders, counters) 5, the machine's 6. A state's
  // slice closes when the thread's state next changes, so the events come in the order of the
  // changes, with the instants of starts and ends; then the GIL holders, each hand-off a flow
  // from the dropper's slice to the taker's, each end at the middle of its slice (a's run 0-2
  // to b's 2-3, b's 2-3 to a's 3-5, a's 3-5 to b's 5-6); then the counters, a sample where a
  // value changes (at 5 ms b leaves the run queue: 0).
  const auto expected = ordered_json::parse(R"({"traceEvents": [
    {"ph": "M", "name": "process_name", "pid": 0, "tid": 6, "args": {"name": "machine: t"}},
    {"ph": "M", "name": "thread_name", "pid": 0, "tid": 3, "args": {"name": "core 0"}},
    {"ph": "M", "name": "thread_name", "pid": 0, "tid": 4, "args": {"name": "core 1"}},
    {"ph": "M", "name": "process_name", "pid": 1, "tid": 5, "args": {"name": "py"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 5, "args": {"name": "GIL holder"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "a"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "b"}},
    {"ph": "i", "name": "thread start", "cat": "thread", "s": "t", "pid": 1, "tid": 1, "ts": 0, "args": {}},
    {"ph": "i", "name": "thread start", "cat": "thread", "s": "t", "pid": 1, "tid": 2, "ts": 0, "args": {}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 1, "ts": 0, "dur": 2000, "args": {"thread": "py/a", "core": 0}},
    {"ph": "X", "name": "py/a", "cat": "core", "pid": 0, "tid": 3, "ts": 0, "dur": 2000, "args": {"thread": "py/a", "core": 0}},
    {"ph": "X", "name": "GIL wait", "cat": "state", "pid": 1, "tid": 2, "ts": 0, "dur": 2000, "args": {"thread": "py/b"}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 2, "ts": 2000, "dur": 1000, "args": {"thread": "py/b", "core": 1}},
    {"ph": "X", "name": "py/b", "cat": "core", "pid": 0, "tid": 4, "ts": 2000, "dur": 1000, "args": {"thread": "py/b", "core": 1}},
    {"ph": "X", "name": "ready", "cat": "state", "pid": 1, "tid": 1, "ts": 2000, "dur": 1000, "args": {"thread": "py/a"}},
    {"ph": "X", "name": "io", "cat": "state", "pid": 1, "tid": 2, "ts": 3000, "dur": 1000, "args": {"thread": "py/b"}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 1, "ts": 3000, "dur": 2000, "args": {"thread": "py/a", "core": 0}},
    {"ph": "X", "name": "py/a", "cat": "core", "pid": 0, "tid": 3, "ts": 3000, "dur": 2000, "args": {"thread": "py/a", "core": 0}},
    {"ph": "i", "name": "thread end", "cat": "thread", "s": "t", "pid": 1, "tid": 1, "ts": 5000, "args": {}},
    {"ph": "X", "name": "ready", "cat": "state", "pid": 1, "tid": 2, "ts": 4000, "dur": 1000, "args": {"thread": "py/b"}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 2, "ts": 5000, "dur": 1000, "args": {"thread": "py/b", "core": 0}},
    {"ph": "X", "name": "py/b", "cat": "core", "pid": 0, "tid": 3, "ts": 5000, "dur": 1000, "args": {"thread": "py/b", "core": 0}},
    {"ph": "i", "name": "thread end", "cat": "thread", "s": "t", "pid": 1, "tid": 2, "ts": 6000, "args": {}},
    {"ph": "X", "name": "a", "cat": "gil", "pid": 1, "tid": 5, "ts": 0, "dur": 2000, "args": {"holder": "py/a", "forced": false}},
    {"ph": "X", "name": "b", "cat": "gil", "pid": 1, "tid": 5, "ts": 2000, "dur": 1000, "args": {"holder": "py/b", "forced": false}},
    {"ph": "s", "name": "GIL hand-off", "cat": "gil", "id": 1, "pid": 1, "tid": 1, "ts": 1000},
    {"ph": "f", "name": "GIL hand-off", "cat": "gil", "id": 1, "pid": 1, "tid": 2, "ts": 2500, "bp": "e"},
    {"ph": "X", "name": "a", "cat": "gil", "pid": 1, "tid": 5, "ts": 3000, "dur": 2000, "args": {"holder": "py/a", "forced": false}},
    {"ph": "s", "name": "GIL hand-off", "cat": "gil", "id": 2, "pid": 1, "tid": 2, "ts": 2500},
    {"ph": "f", "name": "GIL hand-off", "cat": "gil", "id": 2, "pid": 1, "tid": 1, "ts": 4000, "bp": "e"},
    {"ph": "X", "name": "b", "cat": "gil", "pid": 1, "tid": 5, "ts": 5000, "dur": 1000, "args": {"holder": "py/b", "forced": false}},
    {"ph": "s", "name": "GIL hand-off", "cat": "gil", "id": 3, "pid": 1, "tid": 1, "ts": 4000},
    {"ph": "f", "name": "GIL hand-off", "cat": "gil", "id": 3, "pid": 1, "tid": 2, "ts": 5500, "bp": "e"},
    {"ph": "C", "name": "GIL waiters", "pid": 1, "tid": 5, "ts": 0, "args": {"waiting": 1}},
    {"ph": "C", "name": "run queue", "pid": 0, "tid": 6, "ts": 2000, "args": {"ready": 1}},
    {"ph": "C", "name": "GIL waiters", "pid": 1, "tid": 5, "ts": 2000, "args": {"waiting": 0}},
    {"ph": "C", "name": "run queue", "pid": 0, "tid": 6, "ts": 3000, "args": {"ready": 0}},
    {"ph": "C", "name": "run queue", "pid": 0, "tid": 6, "ts": 4000, "args": {"ready": 1}},
    {"ph": "C", "name": "run queue", "pid": 0, "tid": 6, "ts": 5000, "args": {"ready": 0}}],
    "otherData": {"scenario": "t", "seed": 0, "version": ")" GILSIM_VERSION R"("}})");
  const auto tr = gilsim::test::hand_trace_two_cores();
  const std::string text = gilsim::chrome_trace_json(tr);
  CHECK(ordered_json::parse(text) == expected);

  const auto& w = gilsim::test::registered("chrome-trace");
  CHECK(how_chosen(w) == chosen_by{"--trace", "", gilsim::sink::file, true});
  CHECK(w.write({gilsim::run_report{}, tr}) == text + "\n");
}

TEST_CASE("chrome trace: no core tracks under ps, a repeated state is one slice, fractions of a us")
{
  gilsim::run_trace tr;
  tr.started({"f", 2, true, {"c"}, {false}, {{"n", 0}}});
  tr.state_changed(0, 0, gilsim::trace_state::running, -1);
  tr.state_changed(1.5e-6, 0, gilsim::trace_state::running, -1);  // no change: ignored
  tr.state_changed(2.5e-6, 0, gilsim::trace_state::sleep, -1);
  tr.finished(4e-6);  // the sleep is still open: it closes at the end
  // tids: the thread 1, no cores, the process c's track 2, the machine's 3.
  const auto expected = ordered_json::parse(R"({"traceEvents": [
    {"ph": "M", "name": "process_name", "pid": 0, "tid": 3, "args": {"name": "machine: f"}},
    {"ph": "M", "name": "process_name", "pid": 1, "tid": 2, "args": {"name": "c"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "n"}},
    {"ph": "i", "name": "thread start", "cat": "thread", "s": "t", "pid": 1, "tid": 1, "ts": 0,
     "args": {}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 1, "ts": 0, "dur": 2.5,
     "args": {"thread": "c/n"}},
    {"ph": "X", "name": "sleep", "cat": "state", "pid": 1, "tid": 1, "ts": 2.5, "dur": 1.5,
     "args": {"thread": "c/n"}}],
    "otherData": {"scenario": "f", "seed": 0, "version": ")" GILSIM_VERSION R"("}})");
  CHECK(ordered_json::parse(gilsim::chrome_trace_json(tr)) == expected);
}

TEST_CASE("chrome trace: every event of the hand-off run, and the flows' pairing")
{
  // tids: a 1, b 2, core 0 3, py's track 4, the machine's 5; pids: the machine 0, py 1.
  const auto doc = ordered_json::parse(gilsim::chrome_trace_json(gilsim::test::hand_trace_handoffs()));
  CHECK(doc.at("otherData") ==
        ordered_json::parse(R"({"scenario": "h", "seed": 7, "version": ")" GILSIM_VERSION R"("})"));
  CHECK(!doc.contains("displayTimeUnit"));
  using flow_end = std::tuple<std::string, int, double>;  // ph, tid, ts
  std::map<int, std::vector<flow_end>> flows;               // id -> its ends
  std::map<std::string, std::vector<std::pair<int, double>>> instants;  // name -> (tid, ts)
  std::vector<std::tuple<std::string, int, double, int>> samples;  // counter, tid, ts, value
  std::map<int, std::vector<std::pair<double, double>>> slices;    // tid -> [ts, ts + dur)
  std::vector<ordered_json> gil;
  int lock_waits = 0;
  for (const auto& e : doc.at("traceEvents")) {
    const std::string ph = e.at("ph");
    CHECK(e.at("pid") == (e.at("tid") == 3 || e.at("tid") == 5 ? 0 : 1));
    CHECK(e.at("tid") >= 1);
    if (ph == "M")
      continue;
    const double ts = e.at("ts");
    CHECK(ts * 1000 == std::round(ts * 1000));  // whole nanoseconds
    if (ph == "X") {
      CHECK(e.at("dur") > 0);
      REQUIRE(e.contains("args"));
      if (e.at("cat") == "gil")
        gil.push_back(e);
      else
        CHECK(e.at("args").contains("thread"));
      if (e.at("name") == "running" || e.at("cat") == "core")
        CHECK(e.at("args").at("core") == 0);
      if (e.at("name") == "lock wait")  // a's, 2-3 ms, on m
        CHECK(e.at("args") == ordered_json::parse(R"({"thread": "py/a", "lock": "m"})"));
      if (e.at("name") == "lock wait")
        ++lock_waits;
      slices[e.at("tid")].push_back({ts, ts + e.at("dur").get<double>()});
    } else if (ph == "s" || ph == "f") {
      CHECK(e.value("bp", "") == (ph == "f" ? "e" : ""));
      flows[e.at("id")].push_back({ph + std::string(e.at("name")), e.at("tid"), ts});
    } else if (ph == "i") {
      CHECK(e.at("s") == "t");
      instants[e.at("name")].push_back({e.at("tid"), ts});
    } else if (ph == "C") {
      for (const auto& [k, v] : e.at("args").items())
        samples.push_back({std::string(e.at("name")) + "." + k, e.at("tid"), ts, v});
    } else {
      FAIL("unexpected phase " << ph);
    }
  }
  // Each flow: a start on the dropper's slice and an end on the taker's, each at the middle of
  // its slice: the GIL b -> a at 1 ms (b's run 0-1, a's run 1-2), a -> b at 2 (a's 1-2, b's
  // 2-3), b -> a at 3 (b's 2-3, a's 3-4); the lock m b -> a at 3, the same slices.
  const std::map<int, std::vector<flow_end>> expected_flows = {
      {1, {{"sGIL hand-off", 2, 500}, {"fGIL hand-off", 1, 1500}}},
      {2, {{"sGIL hand-off", 1, 1500}, {"fGIL hand-off", 2, 2500}}},
      {3, {{"sGIL hand-off", 2, 2500}, {"fGIL hand-off", 1, 3500}}},
      {4, {{"slock hand-off", 2, 2500}, {"flock hand-off", 1, 3500}}}};
  CHECK(flows == expected_flows);
  for (const auto& [id, ends] : flows)
    for (const auto& [ph, tid, ts] : ends) {
      bool inside = false;  // strictly inside one slice of its track: it binds to that one
      for (const auto& [from, to] : slices[tid])
        inside = inside || (from < ts && ts < to);
      CHECK(inside);
    }
  const std::map<std::string, std::vector<std::pair<int, double>>> expected_instants = {
      {"thread start", {{2, 0}, {1, 0}}},
      {"thread end", {{2, 3000}, {1, 4000}}},
      {"forced GIL drop", {{2, 1000}}},
      {"GIL drop request", {{2, 500}}},
      {"context switch", {{3, 1000}, {3, 2000}, {3, 3000}}}};
  CHECK(instants == expected_instants);
  CHECK(lock_waits == 1);
  // The run queue: a is ready at 0 (1); at 1 ms a leaves it and b enters it, one sample of the
  // last value, 1, which is no change: none; at 2 ms b leaves it (0).
  using sample = std::tuple<std::string, int, double, int>;
  CHECK(samples == std::vector<sample>{{"run queue.ready", 5, 0, 1}, {"run queue.ready", 5, 2000, 0}});
  // The GIL's holders, the first hold ended by a forced drop.
  REQUIRE(gil.size() == 4);
  CHECK(gil[0].at("args") == ordered_json::parse(R"({"holder": "py/b", "forced": true})"));
  CHECK(gil[1].at("args") == ordered_json::parse(R"({"holder": "py/a", "forced": false})"));
  CHECK(gil[3].at("ts") == 3000);
  CHECK(gil[3].at("dur") == 1000);
}

TEST_CASE("chrome trace: durations are whole nanoseconds in microseconds, with no float noise")
{
  gilsim::run_trace tr;
  tr.started({"n", 1, true, {"c"}, {false}, {{"t", 0}}});
  tr.state_changed(0.1000003, 0, gilsim::trace_state::running, -1);
  tr.state_changed(0.3000001, 0, gilsim::trace_state::done, -1);
  tr.finished(0.3000001);
  const std::string text = gilsim::chrome_trace_json(tr);
  // 300000.1 - 100000.3 us in doubles is 199999.80000000002; from whole ns it is 199999.8.
  CHECK(text.find("\"ts\":100000.3,\"dur\":199999.8,") != std::string::npos);
}
