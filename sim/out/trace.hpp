// The trace recorder: every state change of every thread and every change of GIL holder, with
// simulated timestamps. One recorder feeds every writer that needs_trace (Chrome trace JSON,
// timelines, Mermaid); when none of the selected writers needs it, `run` does not listen at all.
#pragma once

#include "sim/os/observer.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <optional>
#include <utility>
#include <vector>

namespace gilsim {

struct trace_change {
  double t;
  int thread;
  trace_state state;
  int core;  // running: the core; -1 otherwise (and under ps, where nothing is placed)
};

struct gil_change {
  double t;
  int process;
  int holder;    // -1: free
  bool forced;   // a free GIL: its holder dropped it because another thread asked
};

struct lock_handoff {
  double t;
  std::string lock;
  int from, to;  // threads
};

struct core_switch {
  double t;
  int core;
  int from, to;  // threads
};

struct drop_request {
  double t;
  int process;
  int holder;  // the thread asked to drop the GIL
};

struct lock_change {
  double t;
  int lock;                  // index in run_setup::locks
  std::vector<int> holders;  // empty: free
};

struct lock_wait_start {
  double t;
  int thread, lock;
};

struct request_latency {
  double t;        // when the requests were done
  double latency;  // each one's, seconds
  std::uint64_t count;
};

// The recorder: a listener of the OS that keeps everything the writers draw.
struct run_trace : run_setup, run_observer {
  std::vector<trace_change> changes;  // in time order
  std::vector<gil_change> gil;        // in time order
  std::vector<lock_handoff> lock_handoffs;  // in time order
  std::vector<core_switch> switches;        // in time order
  std::vector<drop_request> drop_requests;  // in time order
  std::vector<lock_change> lock_changes;    // in time order
  std::vector<lock_wait_start> lock_waits;  // in time order
  std::vector<request_latency> requests;    // in time order
  double end = 0;

  void started(const run_setup& setup) override { static_cast<run_setup&>(*this) = setup; }
  void state_changed(double t, int thread, trace_state state, int core) override
  {
    changes.push_back({t, thread, state, core});
  }
  void gil_changed(double t, int process, int holder) override
  {
    gil.push_back({t, process, holder, holder < 0 && forced_ == process});
    forced_ = -1;
  }
  void gil_forced(double, int process, int) override { forced_ = process; }
  void lock_handed(double t, const std::string& lock, int from, int to) override
  {
    lock_handoffs.push_back({t, lock, from, to});
  }
  void context_switched(double t, int core, int from, int to) override
  {
    switches.push_back({t, core, from, to});
  }
  void gil_drop_requested(double t, int process, int holder) override
  {
    drop_requests.push_back({t, process, holder});
  }
  void lock_holders(double t, int lock, const std::vector<int>& holders) override
  {
    lock_changes.push_back({t, lock, holders});
  }
  void lock_waited(double t, int thread, int lock) override { lock_waits.push_back({t, thread, lock}); }
  void requests_done(double t, double latency, std::uint64_t count) override
  {
    requests.push_back({t, latency, count});
  }
  void finished(double at) override { end = at; }

private:
  int forced_ = -1;  // the process whose holder was just told to drop its GIL by force
};

// The spans the writers draw: a thread's state from one of its changes to its next, a GIL's
// holder from one change of holder to the next, the last of each lasting until `end`. They are
// handed to `fn` in the order they close, then those still open at `end`, by thread or process.
// A thread's time before its first change is no span, nor is a time the GIL was free.
// A thread's state since its last change, while the changes are replayed.
struct open_span {
  trace_state state = trace_state::idle;
  int core = -1;
  double since = 0;
  bool started = false;  // it has had a change
};

template <class F>  // fn(int thread, trace_state, int core, double from, double to)
void for_each_state_span(const run_trace& tr, double end, F&& fn)
{
  std::vector<open_span> open(tr.threads.size());
  for (const auto& ch : tr.changes) {
    open_span& o = open[size_t(ch.thread)];
    if (o.started)
      fn(ch.thread, o.state, o.core, o.since, ch.t);
    o = {ch.state, ch.core, ch.t, true};
  }
  for (size_t t = 0; t < open.size(); ++t)
    if (open[t].started)
      fn(int(t), open[t].state, open[t].core, open[t].since, end);
}

// fn(int process, int holder, double from, double to, bool forced): forced when the hold
// ended in a forced drop.
template <class F>
void for_each_gil_hold(const run_trace& tr, double end, F&& fn)
{
  std::vector<std::pair<int, double>> held(tr.processes.size(), {-1, 0.0});  // holder, since
  for (const auto& g : tr.gil) {
    auto& [holder, since] = held[size_t(g.process)];
    if (holder >= 0)
      fn(g.process, holder, since, g.t, g.forced);
    holder = g.holder;
    since = g.t;
  }
  for (size_t p = 0; p < held.size(); ++p)
    if (held[p].first >= 0)
      fn(int(p), held[p].first, held[p].second, end, false);
}

// Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing): a track per core, a track per
// thread with its states as slices, a GIL-holder track per Python process, and counters of the
// run-queue length and of the threads waiting for each GIL.
std::string chrome_trace_json(const run_trace& tr);

// Where a streamed writer puts its text, piece by piece.
using text_out = std::function<void(std::string_view)>;

// The same text written to `out` event by event as it is made, so that a trace of millions of
// events is never held whole (its memory is the run's record of them, not the JSON).
void write_chrome_trace(const run_trace& tr, const text_out& out);

// fn(int lock, const std::vector<int>& holders, double from, double to): each time the lock
// was held, by whom, until its holders changed; the last hold lasting until `end`.
template <class F>
void for_each_lock_hold(const run_trace& tr, double end, F&& fn)
{
  std::vector<std::pair<std::vector<int>, double>> held(tr.locks.size());  // holders, since
  for (const auto& c : tr.lock_changes) {
    auto& [holders, since] = held[size_t(c.lock)];
    if (!holders.empty())
      fn(c.lock, holders, since, c.t);
    holders = c.holders;
    since = c.t;
  }
  for (size_t l = 0; l < held.size(); ++l)
    if (!held[l].first.empty())
      fn(int(l), held[l].first, held[l].second, end);
}

// The part of a run a picture shows, in simulated seconds: from `from` to `to` (< 0: to the
// run's end).
struct time_window {
  double from = 0, to = -1;
};

// The window that `text` names: "FROM..TO", each a duration ("10ms..25ms", "0.5..1s"), either
// end left out for the run's start or end ("..20ms", "1s.."). An input_error labelled
// `--window TEXT` when it is not one, or is empty (FROM at or after TO).
time_window parse_window(const std::string& text);

struct timeline_options {
  std::optional<time_window> window = {};  // none: the whole run
  int columns = 1000;  // the plot's width in pixels: one raster column each
};

// An SVG Gantt chart: a row per core, a lane per lock that is held (its holders), then per
// process a GIL lane and a row per thread (the first 60), states in colour and threads in a
// palette of their own, with a legend, a time axis, the scenario and makespan as title; each
// row a <g class="row"> named by data-row, each segment and mark with a <title> tooltip.
std::string svg_timeline(const run_trace& tr, const timeline_options& options = {});

// Mermaid text for Markdown: a sequenceDiagram of the cores running the threads (at most
// `max_messages` hand-overs, the rest counted) and a gantt of each thread's states, real times.
std::string mermaid_diagrams(const run_trace& tr, size_t max_messages = 200);

}  // namespace gilsim
