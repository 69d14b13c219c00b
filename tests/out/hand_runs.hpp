// Runs made by hand for the writer tests: a report and traces whose every figure is written
// out here, so that each writer's output can be worked out on paper.
#pragma once

#include "sim/os/run_report.hpp"
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

namespace gilsim::test {

// Scenario "t", rr on 2 cores, seed 7: a Python thread py/a and a native native/worker-10.
inline run_report hand_report()
{
  thread_report a{.name = "a",
                  .process = "py",
                  .first_run_s = 0.0025,
                  .end_s = 0.0125,
                  .cpu_s = 0.01,
                  .io_s = 0.002,
                  .sleep_s = 0.001,
                  .ready_wait_s = 0.0025,
                  .gil_wait_s = 0.0005,
                  .context_switches = 3,
                  .gil_acquisitions = 4};
  thread_report w{.name = "worker-10",
                  .process = "native",
                  .daemon = true,
                  .start_s = 0.5,
                  .first_run_s = 0.5,
                  .end_s = 1.5,
                  .cpu_s = 1.0,
                  .lock_wait_s = 3e-5};
  process_report py{"py", "python", {"new", 5, 2, {2, 1e-4, 1e-4, 1.5e-4, 1.5e-4}}};
  process_report native{"native", "native", {"native", 0, 0, {}}};
  return {.scenario = "t",
          .policy = "rr",
          .core_count = 2,
          .seed = 7,
          .message = "",
          .makespan_s = 1.5 + 4e-10,  // rounds to 1.5 in the JSON
          .events = 42,
          .wall_s = 0.2500004,  // rounds to 0.25
          .threads = {a, w},
          .cores = {{0, 0.011, 0.88, 4}, {1, 1.0, 0.5, 1}},
          .processes = {py, native}};
}

// One core, one Python process "py" with its GIL, threads a (0) and b (1), over 10 ms:
//   a runs 0-4 ms, is in I/O 4-6, runs 6-10; b is ready 0-4, runs 4-6 and is done at 6.
//   The GIL is a's 0-4 and 6-10, b's 4-6.
inline run_trace hand_trace_one_core()
{
  run_trace tr;
  tr.started({"t", 1, false, {"py"}, {true}, {{"a", 0}, {"b", 0}}});
  tr.state_changed(0, 0, trace_state::running, 0);
  tr.gil_changed(0, 0, 0);
  tr.state_changed(0, 1, trace_state::ready, -1);
  tr.state_changed(0.004, 0, trace_state::io, -1);
  tr.state_changed(0.004, 1, trace_state::running, 0);
  tr.gil_changed(0.004, 0, 1);
  tr.state_changed(0.006, 1, trace_state::done, -1);
  tr.state_changed(0.006, 0, trace_state::running, 0);
  tr.gil_changed(0.006, 0, 0);
  tr.state_changed(0.01, 0, trace_state::done, -1);
  tr.gil_changed(0.01, 0, -1);
  tr.finished(0.01);
  return tr;
}

// Two cores, the same process and threads over 6 ms, with a GIL wait, I/O and a run queue:
//   a runs on core 0 0-2, is preempted (ready) 2-3, runs on core 0 3-5, done at 5;
//   b waits for the GIL 0-2, runs on core 1 2-3, is in I/O 3-4, ready 4-5, runs on core 0
//   5-6, done at 6. The GIL: a 0-2, b 2-3, a 3-5, b 5-6.
inline run_trace hand_trace_two_cores()
{
  run_trace tr;
  tr.started({"t", 2, false, {"py"}, {true}, {{"a", 0}, {"b", 0}}});
  tr.state_changed(0, 0, trace_state::running, 0);
  tr.gil_changed(0, 0, 0);
  tr.state_changed(0, 1, trace_state::gil_wait, -1);
  tr.state_changed(0.002, 0, trace_state::ready, -1);
  tr.state_changed(0.002, 1, trace_state::running, 1);
  tr.gil_changed(0.002, 0, 1);
  tr.state_changed(0.003, 1, trace_state::io, -1);
  tr.state_changed(0.003, 0, trace_state::running, 0);
  tr.gil_changed(0.003, 0, 0);
  tr.state_changed(0.004, 1, trace_state::ready, -1);
  tr.state_changed(0.005, 0, trace_state::done, -1);
  tr.state_changed(0.005, 1, trace_state::running, 0);
  tr.gil_changed(0.005, 0, 1);
  tr.state_changed(0.006, 1, trace_state::done, -1);
  tr.gil_changed(0.006, 0, -1);
  tr.finished(0.006);
  return tr;
}

// One core, the Python process "py" with its GIL, threads a (0) and b (1) and a lock m, over
// 4 ms, with every kind of hand-off the OS tells:
//   b runs 0-1 ms holding the GIL (and m, from 0), a is ready; at 0.5 ms a asks b to drop the
//   GIL, at 1 ms b is made to (a forced switch) and a runs 1-2; at 2 a waits for m (lock wait
//   2-3) and b runs 2-3; at 3 b hands m to a and is done, and a runs 3-4 holding m to its end.
//   The GIL: b 0-1, a 1-2, b 2-3, a 3-4; the core switches at 1, 2 and 3.
inline run_trace hand_trace_handoffs()
{
  run_trace tr;
  tr.started({"h", 1, false, {"py"}, {true}, {{"a", 0}, {"b", 0}}, 7, {{"m", 0, true}}});
  tr.state_changed(0, 1, trace_state::running, 0);
  tr.gil_changed(0, 0, 1);
  tr.lock_holders(0, 0, {1});
  tr.state_changed(0, 0, trace_state::ready, -1);
  tr.gil_drop_requested(0.0005, 0, 1);
  tr.gil_forced(0.001, 0, 1);
  tr.gil_changed(0.001, 0, -1);
  tr.state_changed(0.001, 1, trace_state::ready, -1);
  tr.state_changed(0.001, 0, trace_state::running, 0);
  tr.context_switched(0.001, 0, 1, 0);
  tr.gil_changed(0.001, 0, 0);
  tr.lock_waited(0.002, 0, 0);
  tr.state_changed(0.002, 0, trace_state::lock_wait, -1);
  tr.gil_changed(0.002, 0, -1);
  tr.state_changed(0.002, 1, trace_state::running, 0);
  tr.context_switched(0.002, 0, 0, 1);
  tr.gil_changed(0.002, 0, 1);
  tr.lock_handed(0.003, "m", 1, 0);
  tr.lock_holders(0.003, 0, {0});
  tr.state_changed(0.003, 1, trace_state::done, -1);
  tr.gil_changed(0.003, 0, -1);
  tr.state_changed(0.003, 0, trace_state::running, 0);
  tr.context_switched(0.003, 0, 1, 0);
  tr.gil_changed(0.003, 0, 0);
  tr.lock_holders(0.004, 0, {});
  tr.state_changed(0.004, 0, trace_state::done, -1);
  tr.gil_changed(0.004, 0, -1);
  tr.finished(0.004);
  return tr;
}

// The registered writer of that name (the test stops here without it).
inline const writer& registered(const std::string& name)
{
  const writer* w = writer_registry::find(name);
  REQUIRE(w);
  return *w;
}

// How a writer is chosen and where it writes: option, choice, sink, needs_trace.
using chosen_by = std::tuple<std::string, std::string, sink, bool>;
inline chosen_by how_chosen(const writer& w) { return {w.option, w.choice, w.to, w.needs_trace}; }

}  // namespace gilsim::test
