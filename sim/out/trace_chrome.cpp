// Writes a run_trace as Chrome trace-event JSON. Timestamps are microseconds of simulated time;
// every slice is a complete event ("X") so that slices of one track never overlap.
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

namespace gilsim {

namespace {

using json = nlohmann::ordered_json;
constexpr int machine_pid = 0;
double us(double s) { return std::round(s * 1e9) / 1e3; }  // ns precision, in microseconds

json meta(const char* what, int pid, int tid, const std::string& name)
{
  json e = {{"ph", "M"}, {"name", what}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}};
  return e;
}

json slice(const std::string& name, const char* cat, int pid, int tid, double from, double to)
{
  return {{"ph", "X"},        {"name", name},         {"cat", cat}, {"pid", pid},
          {"tid", tid},       {"ts", us(from)},       {"dur", us(to) - us(from)}};
}

json counter(const std::string& name, int pid, double t, const char* key, int value)
{
  return {{"ph", "C"}, {"name", name}, {"pid", pid}, {"ts", us(t)}, {"args", {{key, value}}}};
}

}  // namespace

std::string chrome_trace_json(const run_trace& tr)
{
  json events = json::array();
  events.push_back(meta("process_name", machine_pid, 0, "machine: " + tr.scenario));
  if (!tr.fluid)
    for (int c = 0; c < tr.cores; ++c)
      events.push_back(meta("thread_name", machine_pid, c + 1, "core " + std::to_string(c)));
  for (size_t p = 0; p < tr.processes.size(); ++p) {
    events.push_back(meta("process_name", int(p) + 1, 0, tr.processes[p]));
    if (tr.has_gil[p])
      events.push_back(meta("thread_name", int(p) + 1, 0, "GIL holder"));
  }
  for (size_t t = 0; t < tr.threads.size(); ++t)
    events.push_back(
        meta("thread_name", tr.threads[t].process + 1, int(t) + 1, tr.threads[t].name));

  // Thread tracks and core tracks, from each thread's sequence of states.
  std::vector<open_span> open(tr.threads.size());
  int ready = 0;
  std::map<int, int> gil_waiting;  // process -> threads waiting for its GIL
  auto close = [&](size_t t, double now) {
    const open_span& o = open[t];
    if (!o.started || now <= o.since || o.state == trace_state::idle ||
        o.state == trace_state::done)
      return;
    int pid = tr.threads[t].process + 1;
    events.push_back(slice(trace_state_name(o.state), "state", pid, int(t) + 1, o.since, now));
    if (o.state == trace_state::running && o.core >= 0)
      events.push_back(slice(tr.threads[t].name, "core", machine_pid, o.core + 1, o.since, now));
  };
  for (const auto& ch : tr.changes) {
    auto t = size_t(ch.thread);
    open_span& o = open[t];
    if (o.started && o.state == ch.state && o.core == ch.core)
      continue;
    close(t, ch.t);
    int proc = tr.threads[t].process;
    if (o.started && o.state == trace_state::ready)
      events.push_back(counter("run queue", machine_pid, ch.t, "ready", --ready));
    if (o.started && o.state == trace_state::gil_wait)
      events.push_back(counter("GIL waiters", proc + 1, ch.t, "waiting", --gil_waiting[proc]));
    if (ch.state == trace_state::ready)
      events.push_back(counter("run queue", machine_pid, ch.t, "ready", ++ready));
    if (ch.state == trace_state::gil_wait)
      events.push_back(counter("GIL waiters", proc + 1, ch.t, "waiting", ++gil_waiting[proc]));
    o = {ch.state, ch.core, ch.t, true};
  }
  for (size_t t = 0; t < open.size(); ++t)
    close(t, tr.end);

  // GIL holder tracks.
  for_each_gil_hold(tr, tr.end, [&](int p, int holder, double from, double to) {
    if (to > from)
      events.push_back(slice(tr.threads[size_t(holder)].name, "gil", p + 1, 0, from, to));
  });

  json doc = {{"traceEvents", events}, {"displayTimeUnit", "ms"}};
  return doc.dump();
}

namespace {
const bool registered = writer_registry::add(
    {.name = "chrome-trace",
     .option = "--trace",
     .help = "write a Chrome trace (ui.perfetto.dev, chrome://tracing) of the run to FILE.json",
     .to = sink::file,
     .needs_trace = true,
     .order = 20,
     .write = [](const run_output& o) { return chrome_trace_json(o.trace) + "\n"; }});
}  // namespace

}  // namespace gilsim
