// The trace recorder: every state change of every thread and every change of GIL holder, with
// simulated timestamps. One recorder feeds every writer (Chrome trace JSON, timelines); when no
// output asks for a trace the kernel holds no recorder and pays one pointer test per change.
#pragma once

#include <string>
#include <vector>

namespace gilsim {

enum class trace_state { running, ready, io, sleep, lock_wait, gil_wait, idle, done };

const char* trace_state_name(trace_state s);

struct trace_change {
  double t;
  int thread;
  trace_state state;
  int core;  // running: the core; -1 otherwise (and under ps, where nothing is placed)
};

struct gil_change {
  double t;
  int process;
  int holder;  // -1: free
};

struct trace_thread {
  std::string name;
  int process;
};

struct run_trace {
  std::string scenario;
  int cores = 0;
  bool fluid = false;  // ps: threads run on the pooled host, not on a given core
  std::vector<std::string> processes;
  std::vector<bool> has_gil;  // per process: Python under a GIL model with a lock
  std::vector<trace_thread> threads;
  std::vector<trace_change> changes;  // in time order
  std::vector<gil_change> gil;        // in time order
  double end = 0;
};

// Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing): a track per core, a track per
// thread with its states as slices, a GIL-holder track per Python process, and counters of the
// run-queue length and of the threads waiting for each GIL.
std::string chrome_trace_json(const run_trace& tr);

// An SVG Gantt chart: a row per core, a GIL lane and a row per thread (the first 60) per
// process, states in colour with a legend, a time axis, the scenario and makespan as title.
std::string svg_timeline(const run_trace& tr);

// Mermaid text for Markdown: a sequenceDiagram of the cores running the threads (at most
// `max_messages` hand-overs, the rest counted) and a gantt of each thread's states, real times.
std::string mermaid_diagrams(const run_trace& tr, size_t max_messages = 200);

}  // namespace gilsim
