// Writes a run_trace as Chrome trace-event JSON, as the Trace Event Format document and
// Perfetto's JSON importer read it. Timestamps are microseconds of simulated time, whole
// nanoseconds (at most 3 decimals); every slice is a complete event ("X") so that slices of one
// track never overlap, and carries its args. Hand-offs of a GIL and of a lock are flows ("s" on
// the dropper's slice, "f" with "bp": "e" on the taker's, each placed at the middle of its slice
// so that it binds to that slice whatever the importer's order of equal timestamps).
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#ifndef GILSIM_VERSION
#define GILSIM_VERSION "unknown"
#endif

namespace gilsim {

namespace {

using json = nlohmann::ordered_json;
using ns = long long;
ns to_ns(double s) { return std::llround(s * 1e9); }
double us(ns n) { return double(n) / 1e3; }  // the nearest double: no float noise when printed

// Every track has a tid of its own across the whole trace: thread t is t + 1, then the cores,
// then one per process (its GIL holders, its name and counters), then the machine's.
struct ids {
  int threads, cores, processes;
  int thread(int t) const { return t + 1; }
  int core(int c) const { return threads + 1 + c; }
  int process_track(int p) const { return threads + cores + 1 + p; }
  int machine_track() const { return threads + cores + processes + 1; }
  static int pid(int process) { return process + 1; }
  static constexpr int machine_pid = 0;
};

json meta(const char* what, int pid, int tid, const std::string& name)
{
  return {{"ph", "M"}, {"name", what}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}};
}

json slice(const std::string& name, const char* cat, int pid, int tid, ns from, ns to, json args)
{
  return {{"ph", "X"},       {"name", name},          {"cat", cat},
          {"pid", pid},      {"tid", tid},            {"ts", us(from)},
          {"dur", us(to - from)}, {"args", std::move(args)}};
}

json instant(const char* name, const char* cat, int pid, int tid, ns at, json args)
{
  return {{"ph", "i"}, {"name", name}, {"cat", cat},  {"s", "t"},
          {"pid", pid}, {"tid", tid},  {"ts", us(at)}, {"args", std::move(args)}};
}

// One end of a flow, at the middle of the slice [from, to) it binds to.
json flow(char ph, const char* name, const char* cat, int id, int pid, int tid, ns from, ns to)
{
  json e = {{"ph", std::string(1, ph)}, {"name", name}, {"cat", cat}, {"id", id},
            {"pid", pid}, {"tid", tid}, {"ts", us((from + to) / 2)}};
  if (ph == 'f')
    e["bp"] = "e";
  return e;
}

struct span {
  ns from, to;
};

// The counters' samples: one per counter and instant, the last value at it, and only when it
// changes the counter's value.
class counters {
public:
  void set(const std::string& name, int pid, int tid, const char* key, ns at, int value)
  {
    samples_.push_back({name, pid, tid, key, at, value});
  }
  void emit(json& events) const
  {
    std::map<std::pair<std::string, int>, int> last;  // counter -> its value as drawn
    for (size_t i = 0; i < samples_.size(); ++i) {
      const auto& s = samples_[i];
      bool superseded = false;  // a later sample of the same counter at the same instant
      for (size_t j = i + 1; j < samples_.size() && samples_[j].at == s.at && !superseded; ++j)
        superseded = samples_[j].name == s.name && samples_[j].pid == s.pid;
      auto key = std::make_pair(s.name, s.pid);
      if (superseded || (last.count(key) && last[key] == s.value))
        continue;
      last[key] = s.value;
      events.push_back({{"ph", "C"},     {"name", s.name}, {"pid", s.pid}, {"tid", s.tid},
                        {"ts", us(s.at)}, {"args", {{s.key, s.value}}}});
    }
  }

private:
  struct sample {
    std::string name;
    int pid, tid;
    const char* key;
    ns at;
    int value;
  };
  std::vector<sample> samples_;  // in time order
};

}  // namespace

std::string chrome_trace_json(const run_trace& tr)
{
  const ids id{int(tr.threads.size()), tr.fluid ? 0 : tr.cores, int(tr.processes.size())};
  auto full_name = [&](int t) {
    return tr.processes[size_t(tr.threads[size_t(t)].process)] + "/" + tr.threads[size_t(t)].name;
  };
  json events = json::array();
  events.push_back(meta("process_name", ids::machine_pid, id.machine_track(),
                        "machine: " + tr.scenario));
  for (int c = 0; c < id.cores; ++c)
    events.push_back(meta("thread_name", ids::machine_pid, id.core(c), "core " + std::to_string(c)));
  for (int p = 0; p < id.processes; ++p) {
    events.push_back(meta("process_name", ids::pid(p), id.process_track(p), tr.processes[size_t(p)]));
    if (tr.has_gil[size_t(p)])
      events.push_back(meta("thread_name", ids::pid(p), id.process_track(p), "GIL holder"));
  }
  for (int t = 0; t < id.threads; ++t)
    events.push_back(meta("thread_name", ids::pid(tr.threads[size_t(t)].process), id.thread(t),
                          tr.threads[size_t(t)].name));

  // Thread tracks and core tracks, from each thread's sequence of states; the thread's start
  // (its first state that is not idle) and end as instants.
  std::vector<open_span> open(tr.threads.size());
  std::vector<std::vector<span>> slices(tr.threads.size());  // per thread, as drawn
  std::vector<bool> begun(tr.threads.size(), false);
  counters count;
  int ready = 0;
  std::map<int, int> gil_waiting;  // process -> threads waiting for its GIL
  auto close = [&](size_t t, double now) {
    const open_span& o = open[t];
    ns from = to_ns(o.since), to = to_ns(now);
    if (!o.started || to <= from || o.state == trace_state::idle || o.state == trace_state::done)
      return;
    int pid = ids::pid(tr.threads[t].process);
    json args = {{"thread", full_name(int(t))}};
    if (o.core >= 0)
      args["core"] = o.core;
    events.push_back(slice(trace_state_name(o.state), "state", pid, id.thread(int(t)), from, to, args));
    slices[t].push_back({from, to});
    if (o.state == trace_state::running && o.core >= 0)
      events.push_back(slice(full_name(int(t)), "core", ids::machine_pid, id.core(o.core), from,
                             to, {{"thread", full_name(int(t))}, {"core", o.core}}));
  };
  for (const auto& ch : tr.changes) {
    auto t = size_t(ch.thread);
    open_span& o = open[t];
    if (o.started && o.state == ch.state && o.core == ch.core)
      continue;
    close(t, ch.t);
    int proc = tr.threads[t].process, pid = ids::pid(proc);
    ns at = to_ns(ch.t);
    if (!begun[t] && ch.state != trace_state::idle) {
      begun[t] = true;
      events.push_back(instant("thread start", "thread", pid, id.thread(int(t)), at, json::object()));
    }
    if (ch.state == trace_state::done)
      events.push_back(instant("thread end", "thread", pid, id.thread(int(t)), at, json::object()));
    int m = id.machine_track(), g = id.process_track(proc);
    if (o.started && o.state == trace_state::ready)
      count.set("run queue", ids::machine_pid, m, "ready", at, --ready);
    if (o.started && o.state == trace_state::gil_wait)
      count.set("GIL waiters", pid, g, "waiting", at, --gil_waiting[proc]);
    if (ch.state == trace_state::ready)
      count.set("run queue", ids::machine_pid, m, "ready", at, ++ready);
    if (ch.state == trace_state::gil_wait)
      count.set("GIL waiters", pid, g, "waiting", at, ++gil_waiting[proc]);
    o = {ch.state, ch.core, ch.t, true};
  }
  for (size_t t = 0; t < open.size(); ++t)
    close(t, tr.end);

  // The slice of thread t a hand-off at `at` leaves from: the one that ends at it or spans it;
  // and the one it arrives at: the one that spans it or, failing that, the next to begin.
  auto leaving = [&](int t, ns at) -> const span* {
    const auto& all = slices[size_t(t)];
    auto it = std::lower_bound(all.begin(), all.end(), at,
                               [](const span& s, ns a) { return s.to < a; });
    return it != all.end() && it->from < at ? &*it : nullptr;
  };
  auto arriving = [&](int t, ns at) -> const span* {
    const auto& all = slices[size_t(t)];
    auto it = std::upper_bound(all.begin(), all.end(), at,
                               [](ns a, const span& s) { return a < s.to; });
    return it != all.end() ? &*it : nullptr;
  };
  int flow_id = 0;
  auto hand_off = [&](const char* name, const char* cat, int from, ns left, int to, ns took) {
    const span* a = leaving(from, left);
    const span* b = arriving(to, took);
    if (!a || !b)
      return;
    ++flow_id;
    events.push_back(flow('s', name, cat, flow_id, ids::pid(tr.threads[size_t(from)].process),
                          id.thread(from), a->from, a->to));
    events.push_back(flow('f', name, cat, flow_id, ids::pid(tr.threads[size_t(to)].process),
                          id.thread(to), b->from, b->to));
  };

  // GIL holder tracks, each hand-off from one holder to another a flow, each forced drop an
  // instant on the dropper's track.
  std::vector<std::tuple<int, ns>> last_hold(tr.processes.size(), {-1, 0});  // holder, until
  for_each_gil_hold(tr, tr.end, [&](int p, int holder, double from_s, double to_s, bool forced) {
    ns from = to_ns(from_s), to = to_ns(to_s);
    if (to > from)
      events.push_back(slice(tr.threads[size_t(holder)].name, "gil", ids::pid(p),
                             id.process_track(p), from, to,
                             {{"holder", full_name(holder)}, {"forced", forced}}));
    if (forced)
      events.push_back(instant("forced GIL drop", "gil", ids::pid(p), id.thread(holder), to,
                               {{"process", tr.processes[size_t(p)]}}));
    auto [before, until] = last_hold[size_t(p)];
    if (before >= 0 && before != holder)
      hand_off("GIL hand-off", "gil", before, until, holder, from);
    last_hold[size_t(p)] = {holder, to};
  });
  for (const auto& h : tr.lock_handoffs)
    hand_off("lock hand-off", "lock", h.from, to_ns(h.t), h.to, to_ns(h.t));
  for (const auto& s : tr.switches)
    if (s.core < id.cores)
      events.push_back(instant("context switch", "core", ids::machine_pid, id.core(s.core),
                               to_ns(s.t), {{"from", full_name(s.from)}, {"to", full_name(s.to)}}));
  count.emit(events);

  json doc = {{"traceEvents", events},
              {"otherData", {{"scenario", tr.scenario}, {"seed", tr.seed}, {"version", GILSIM_VERSION}}}};
  return doc.dump();
}

namespace {
const bool registered = writer_registry::add(
    {.name = "chrome-trace",
     .option = "--trace",
     .help = "write a Chrome trace (ui.perfetto.dev, chrome://tracing) of the run to FILE.json, "
             "or gzip-compressed to FILE.json.gz",
     .to = sink::file,
     .needs_trace = true,
     .order = 20,
     .write = [](const run_output& o) { return chrome_trace_json(o.trace) + "\n"; }});
}  // namespace

}  // namespace gilsim
