// The Chrome trace writer: names for the machine, its cores, each process, its GIL track and
// each thread; a slice per state period on the thread's track and per run on its core's; the
// GIL holders; counters of the run queue and the GIL waiters. Times in microseconds.
#include "tests/out/hand_runs.hpp"

#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;
#include <nlohmann/json.hpp>

using nlohmann::ordered_json;

TEST_CASE("chrome trace: the two-core hand-made run, event by event")
{
  // pid 0 is the machine (tid c + 1: core c), pid p + 1 a process (tid 0: its GIL holder,
  // tid t + 1: thread t). A state's slice closes when the thread's state next changes, so the
  // events come in the order of the changes; the GIL holders follow, then nothing is open at
  // the end (both threads are done).
  const auto expected = ordered_json::parse(R"({"traceEvents": [
    {"ph": "M", "name": "process_name", "pid": 0, "tid": 0, "args": {"name": "machine: t"}},
    {"ph": "M", "name": "thread_name", "pid": 0, "tid": 1, "args": {"name": "core 0"}},
    {"ph": "M", "name": "thread_name", "pid": 0, "tid": 2, "args": {"name": "core 1"}},
    {"ph": "M", "name": "process_name", "pid": 1, "tid": 0, "args": {"name": "py"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 0, "args": {"name": "GIL holder"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "a"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "b"}},
    {"ph": "C", "name": "GIL waiters", "pid": 1, "ts": 0, "args": {"waiting": 1}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 1, "ts": 0, "dur": 2000},
    {"ph": "X", "name": "a", "cat": "core", "pid": 0, "tid": 1, "ts": 0, "dur": 2000},
    {"ph": "C", "name": "run queue", "pid": 0, "ts": 2000, "args": {"ready": 1}},
    {"ph": "X", "name": "GIL wait", "cat": "state", "pid": 1, "tid": 2, "ts": 0, "dur": 2000},
    {"ph": "C", "name": "GIL waiters", "pid": 1, "ts": 2000, "args": {"waiting": 0}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 2, "ts": 2000, "dur": 1000},
    {"ph": "X", "name": "b", "cat": "core", "pid": 0, "tid": 2, "ts": 2000, "dur": 1000},
    {"ph": "X", "name": "ready", "cat": "state", "pid": 1, "tid": 1, "ts": 2000, "dur": 1000},
    {"ph": "C", "name": "run queue", "pid": 0, "ts": 3000, "args": {"ready": 0}},
    {"ph": "X", "name": "io", "cat": "state", "pid": 1, "tid": 2, "ts": 3000, "dur": 1000},
    {"ph": "C", "name": "run queue", "pid": 0, "ts": 4000, "args": {"ready": 1}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 1, "ts": 3000, "dur": 2000},
    {"ph": "X", "name": "a", "cat": "core", "pid": 0, "tid": 1, "ts": 3000, "dur": 2000},
    {"ph": "X", "name": "ready", "cat": "state", "pid": 1, "tid": 2, "ts": 4000, "dur": 1000},
    {"ph": "C", "name": "run queue", "pid": 0, "ts": 5000, "args": {"ready": 0}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 2, "ts": 5000, "dur": 1000},
    {"ph": "X", "name": "b", "cat": "core", "pid": 0, "tid": 1, "ts": 5000, "dur": 1000},
    {"ph": "X", "name": "a", "cat": "gil", "pid": 1, "tid": 0, "ts": 0, "dur": 2000},
    {"ph": "X", "name": "b", "cat": "gil", "pid": 1, "tid": 0, "ts": 2000, "dur": 1000},
    {"ph": "X", "name": "a", "cat": "gil", "pid": 1, "tid": 0, "ts": 3000, "dur": 2000},
    {"ph": "X", "name": "b", "cat": "gil", "pid": 1, "tid": 0, "ts": 5000, "dur": 1000}],
    "displayTimeUnit": "ms"})");
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
  const auto expected = ordered_json::parse(R"({"traceEvents": [
    {"ph": "M", "name": "process_name", "pid": 0, "tid": 0, "args": {"name": "machine: f"}},
    {"ph": "M", "name": "process_name", "pid": 1, "tid": 0, "args": {"name": "c"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "n"}},
    {"ph": "X", "name": "running", "cat": "state", "pid": 1, "tid": 1, "ts": 0, "dur": 2.5},
    {"ph": "X", "name": "sleep", "cat": "state", "pid": 1, "tid": 1, "ts": 2.5, "dur": 1.5}],
    "displayTimeUnit": "ms"})");
  CHECK(ordered_json::parse(gilsim::chrome_trace_json(tr)) == expected);
}
