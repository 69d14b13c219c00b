// Writes a run_trace as Chrome trace-event JSON, as the Trace Event Format document and
// Perfetto's JSON importer read it. Timestamps are microseconds of simulated time, whole
// nanoseconds (at most 3 decimals); every slice is a complete event ("X") so that slices of one
// track never overlap, and carries its args. Hand-offs of a GIL and of a lock are flows ("s" on
// the dropper's slice, "f" with "bp": "e" on the taker's, each placed at the middle of its slice
// so that it binds to that slice whatever the importer's order of equal timestamps). Instants
// mark each thread's start and end, each GIL drop request (on the holder asked), each forced
// drop and each context switch (on its core). The events are written one by one as they are
// made, never held as a document: a trace of millions of events takes no more memory than the
// run's record of them.
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
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
  // `name` is a literal: samples keep only its address.
  void set(const char* name, int pid, int tid, const char* key, ns at, int value)
  {
    samples_.push_back({name, pid, tid, key, at, value});
  }
  template <class Emit>
  void emit(Emit&& emit_event) const
  {
    // A sample is superseded by a later one of the same counter at the same instant: found in
    // one pass from the end, so that thousands of samples at one instant cost no more than
    // thousands at different ones.
    std::vector<bool> superseded(samples_.size(), false);
    std::set<std::pair<std::string, int>> later;  // the counters sampled later at this instant
    for (size_t i = samples_.size(); i-- > 0;) {
      if (i + 1 < samples_.size() && samples_[i + 1].at != samples_[i].at)
        later.clear();
      superseded[i] = !later.emplace(samples_[i].name, samples_[i].pid).second;
    }
    std::map<std::pair<std::string, int>, int> last;  // counter -> its value as drawn
    for (size_t i = 0; i < samples_.size(); ++i) {
      const auto& s = samples_[i];
      auto key = std::make_pair(std::string(s.name), s.pid);
      if (superseded[i] || (last.count(key) && last[key] == s.value))
        continue;
      last[key] = s.value;
      emit_event({{"ph", "C"},     {"name", s.name}, {"pid", s.pid}, {"tid", s.tid},
                  {"ts", us(s.at)}, {"args", {{s.key, s.value}}}});
    }
  }

private:
  struct sample {
    const char* name;
    int pid, tid;
    const char* key;
    ns at;
    int value;
  };
  std::vector<sample> samples_;  // in time order
};

}  // namespace

namespace {

// Builds the trace's events: the names of the tracks, the thread and core slices with their
// instants and counters, the GIL holders with the hand-offs between them, lock hand-offs and
// context switches, each written to `out` as it is made.
class chrome_builder {
public:
  chrome_builder(const run_trace& tr, const text_out& out)
      : tr_(tr)
      , out_(out)
      , id_{int(tr.threads.size()), tr.fluid ? 0 : tr.cores, int(tr.processes.size())}
      , open_(tr.threads.size())
      , slices_(tr.threads.size())
      , begun_(tr.threads.size(), false)
      , last_hold_(tr.processes.size(), {-1, 0})
  {
    for (const auto& w : tr.lock_waits)
      waited_[{w.thread, to_ns(w.t)}] = w.lock;
  }

  // Writes the document {"traceEvents": [...], "otherData": {...}} as one line, byte for byte
  // what dumping it whole would give.
  void build()
  {
    out_("{\"traceEvents\":[");
    add_names();
    add_states();
    add_gil_holds();
    for (const auto& h : tr_.lock_handoffs)
      hand_off("lock hand-off", "lock", h.from, to_ns(h.t), h.to, to_ns(h.t));
    for (const auto& d : tr_.drop_requests)
      emit(instant("GIL drop request", "gil", ids::pid(d.process),
                                id_.thread(d.holder), to_ns(d.t),
                                {{"process", tr_.processes[size_t(d.process)]},
                                 {"holder", full_name(d.holder)}}));
    for (const auto& s : tr_.switches)
      if (s.core < id_.cores)
        emit(instant("context switch", "core", ids::machine_pid, id_.core(s.core),
                                  to_ns(s.t),
                                  {{"from", full_name(s.from)}, {"to", full_name(s.to)}}));
    count_.emit([this](const json& e) { emit(e); });
    json other = {{"scenario", tr_.scenario}, {"seed", tr_.seed}, {"version", GILSIM_VERSION}};
    out_("],\"otherData\":" + other.dump() + "}");
  }

private:
  void emit(const json& e)
  {
    out_(events_ ? "," + e.dump() : e.dump());
    ++events_;
  }

  std::string full_name(int t) const
  {
    return tr_.processes[size_t(tr_.threads[size_t(t)].process)] + "/" +
           tr_.threads[size_t(t)].name;
  }

  void add_names()
  {
    emit(meta("process_name", ids::machine_pid, id_.machine_track(),
                           "machine: " + tr_.scenario));
    for (int c = 0; c < id_.cores; ++c)
      emit(
          meta("thread_name", ids::machine_pid, id_.core(c), "core " + std::to_string(c)));
    for (int p = 0; p < id_.processes; ++p) {
      emit(
          meta("process_name", ids::pid(p), id_.process_track(p), tr_.processes[size_t(p)]));
      if (tr_.has_gil[size_t(p)])
        emit(meta("thread_name", ids::pid(p), id_.process_track(p), "GIL holder"));
    }
    for (int t = 0; t < id_.threads; ++t)
      emit(meta("thread_name", ids::pid(tr_.threads[size_t(t)].process),
                             id_.thread(t), tr_.threads[size_t(t)].name));
  }

  // Closes thread t's open state at `now` as a slice on its track (and on its core's).
  void close(size_t t, double now)
  {
    const open_span& o = open_[t];
    ns from = to_ns(o.since), to = to_ns(now);
    if (!o.started || to <= from || o.state == trace_state::idle || o.state == trace_state::done)
      return;
    int pid = ids::pid(tr_.threads[t].process);
    json args = {{"thread", full_name(int(t))}};
    if (o.core >= 0)
      args["core"] = o.core;
    if (auto it = waited_.find({int(t), from}); it != waited_.end())
      args["lock"] = tr_.locks[size_t(it->second)].name;
    emit(
        slice(trace_state_name(o.state), "state", pid, id_.thread(int(t)), from, to, args));
    slices_[t].push_back({from, to});
    if (o.state == trace_state::running && o.core >= 0)
      emit(slice(full_name(int(t)), "core", ids::machine_pid, id_.core(o.core), from,
                              to, {{"thread", full_name(int(t))}, {"core", o.core}}));
  }

  // Thread tracks and core tracks, from each thread's sequence of states; the thread's start
  // (its first state that is not idle) and end as instants; the run-queue and GIL counters.
  void add_states()
  {
    for (const auto& ch : tr_.changes) {
      auto t = size_t(ch.thread);
      open_span& o = open_[t];
      if (o.started && o.state == ch.state && o.core == ch.core)
        continue;
      close(t, ch.t);
      int proc = tr_.threads[t].process, pid = ids::pid(proc);
      ns at = to_ns(ch.t);
      if (!begun_[t] && ch.state != trace_state::idle) {
        begun_[t] = true;
        emit(
            instant("thread start", "thread", pid, id_.thread(int(t)), at, json::object()));
      }
      if (ch.state == trace_state::done)
        emit(
            instant("thread end", "thread", pid, id_.thread(int(t)), at, json::object()));
      count_change(o, ch, proc, at);
      o = {ch.state, ch.core, ch.t, true};
    }
    for (size_t t = 0; t < open_.size(); ++t)
      close(t, tr_.end);
  }

  void count_change(const open_span& o, const trace_change& ch, int proc, ns at)
  {
    int pid = ids::pid(proc), m = id_.machine_track(), g = id_.process_track(proc);
    if (o.started && o.state == trace_state::ready)
      count_.set("run queue", ids::machine_pid, m, "ready", at, --ready_);
    if (o.started && o.state == trace_state::gil_wait)
      count_.set("GIL waiters", pid, g, "waiting", at, --gil_waiting_[proc]);
    if (ch.state == trace_state::ready)
      count_.set("run queue", ids::machine_pid, m, "ready", at, ++ready_);
    if (ch.state == trace_state::gil_wait)
      count_.set("GIL waiters", pid, g, "waiting", at, ++gil_waiting_[proc]);
  }

  // The slice of thread t a hand-off at `at` leaves from: the one that ends at it or spans it;
  // and the one it arrives at: the one that spans it or, failing that, the next to begin.
  const span* leaving(int t, ns at) const
  {
    const auto& all = slices_[size_t(t)];
    auto it = std::lower_bound(all.begin(), all.end(), at,
                               [](const span& s, ns a) { return s.to < a; });
    return it != all.end() && it->from < at ? &*it : nullptr;
  }
  const span* arriving(int t, ns at) const
  {
    const auto& all = slices_[size_t(t)];
    auto it = std::upper_bound(all.begin(), all.end(), at,
                               [](ns a, const span& s) { return a < s.to; });
    return it != all.end() ? &*it : nullptr;
  }

  void hand_off(const char* name, const char* cat, int from, ns left, int to, ns took)
  {
    const span* a = leaving(from, left);
    const span* b = arriving(to, took);
    if (!a || !b)
      return;
    ++flow_id_;
    emit(flow('s', name, cat, flow_id_, ids::pid(tr_.threads[size_t(from)].process),
                           id_.thread(from), a->from, a->to));
    emit(flow('f', name, cat, flow_id_, ids::pid(tr_.threads[size_t(to)].process),
                           id_.thread(to), b->from, b->to));
  }

  // GIL holder tracks, each hand-off from one holder to another a flow, each forced drop an
  // instant on the dropper's track.
  void add_gil_holds()
  {
    for_each_gil_hold(tr_, tr_.end, [&](int p, int holder, double from_s, double to_s, bool forced) {
      ns from = to_ns(from_s), to = to_ns(to_s);
      if (to > from)
        emit(slice(tr_.threads[size_t(holder)].name, "gil", ids::pid(p),
                                id_.process_track(p), from, to,
                                {{"holder", full_name(holder)}, {"forced", forced}}));
      if (forced)
        emit(instant("forced GIL drop", "gil", ids::pid(p), id_.thread(holder), to,
                                  {{"process", tr_.processes[size_t(p)]}}));
      auto [before, until] = last_hold_[size_t(p)];
      if (before >= 0 && before != holder)
        hand_off("GIL hand-off", "gil", before, until, holder, from);
      last_hold_[size_t(p)] = {holder, to};
    });
  }

  const run_trace& tr_;
  const text_out& out_;
  const ids id_;
  std::uint64_t events_ = 0;  // written so far
  std::vector<open_span> open_;
  std::vector<std::vector<span>> slices_;  // per thread, as drawn
  std::vector<bool> begun_;
  counters count_;
  int ready_ = 0;
  std::map<int, int> gil_waiting_;  // process -> threads waiting for its GIL
  int flow_id_ = 0;
  std::vector<std::tuple<int, ns>> last_hold_;  // per process: holder, until
  std::map<std::pair<int, ns>, int> waited_;     // (thread, since) -> the lock it waits on
};

}  // namespace

void write_chrome_trace(const run_trace& tr, const text_out& out) { chrome_builder(tr, out).build(); }

std::string chrome_trace_json(const run_trace& tr)
{
  std::string text;
  write_chrome_trace(tr, [&](std::string_view piece) { text.append(piece); });
  return text;
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
     .write = [](const run_output& o) { return chrome_trace_json(o.trace) + "\n"; },
     .stream =
         [](const run_output& o, const text_out& out) {
           write_chrome_trace(o.trace, out);
           out("\n");
         }});
}  // namespace

}  // namespace gilsim
