// Writes a run_trace as Mermaid text for Markdown docs: a sequenceDiagram of cores handing the
// CPU to threads (the lessons' "Processor ->> Task" pictures, with real times) and a gantt of
// each thread's states.
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gilsim {

namespace {

std::string ms(double s) { return fmt::format("{:g} ms", std::round(s * 1e6) / 1e3); }

// A name as Mermaid text: the characters its grammar gives a meaning (a statement's end, a
// task's data, an entity, markup) as entity codes, which every diagram renders as themselves;
// a line break as a space.
std::string text(const std::string& name)
{
  std::string out;
  for (char c : name)
    switch (c) {
      case ';': out += "#59;"; break;
      case ':': out += "#58;"; break;
      case '#': out += "#35;"; break;
      case '<': out += "#60;"; break;
      case '>': out += "#62;"; break;
      case ',': out += "#44;"; break;
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  return out;
}

// The time of each change's thread's next change (or the run's end): a run on a core that ends
// at the instant it began draws nothing.
std::vector<double> next_change_times(const run_trace& tr)
{
  std::vector<double> next(tr.changes.size(), tr.end);
  std::vector<double> later(tr.threads.size(), tr.end);
  for (size_t i = tr.changes.size(); i-- > 0;) {
    next[i] = later[size_t(tr.changes[i].thread)];
    later[size_t(tr.changes[i].thread)] = tr.changes[i].t;
  }
  return next;
}

// Mermaid identifiers: letters and digits only.
std::string core_id(int c) { return fmt::format("C{}", c); }
std::string thread_id(int t) { return fmt::format("T{}", t); }

const char* leaving(trace_state next)
{
  switch (next) {
    case trace_state::ready: return "preempted";
    case trace_state::io: return "blocks on I/O";
    case trace_state::sleep: return "sleeps";
    case trace_state::lock_wait: return "waits for a lock";
    case trace_state::gil_wait: return "waits for the GIL";
    case trace_state::loop_wait: return "waits for the loop";
    case trace_state::join_wait: return "joins";
    case trace_state::work_wait: return "waits for work";
    case trace_state::done: return "done";
    default: return "stops";
  }
}

}  // namespace

std::string mermaid_diagrams(const run_trace& tr, size_t max_messages)
{
  std::string seq = "```mermaid\nsequenceDiagram\n";
  for (int c = 0; c < (tr.fluid ? 0 : tr.cores); ++c)
    seq += fmt::format("    participant {} as core {}\n", core_id(c), c);
  for (size_t t = 0; t < tr.threads.size(); ++t)
    seq += fmt::format("    participant {} as {}\n", thread_id(int(t)), text(tr.threads[t].name));
  if (tr.fluid)
    seq += "    Note over T0: processor sharing: every thread runs on the pooled cores\n";
  // Each thread's state and core as drawn: a run that lasts no time is not drawn (`core` -1).
  std::vector<std::pair<trace_state, int>> now(tr.threads.size(), {trace_state::idle, -1});
  const std::vector<double> next = next_change_times(tr);
  size_t messages = 0, skipped = 0;
  for (size_t i = 0; i < tr.changes.size(); ++i) {
    const trace_change& ch = tr.changes[i];
    auto& [state, core] = now[size_t(ch.thread)];
    if (state == ch.state && core == ch.core)
      continue;
    std::string line;
    if (state == trace_state::running && core >= 0)
      line = fmt::format("    {}-->>-{}: {} at {}\n", thread_id(ch.thread), core_id(core),
                         leaving(ch.state), ms(ch.t));
    const bool drawn = ch.state == trace_state::running && ch.core >= 0 && next[i] > ch.t;
    if (drawn)
      line += fmt::format("    {}->>+{}: runs at {}\n", core_id(ch.core), thread_id(ch.thread),
                          ms(ch.t));
    state = ch.state;
    core = drawn || ch.state != trace_state::running ? ch.core : -1;
    if (line.empty())
      continue;
    if (messages++ < max_messages)
      seq += line;
    else
      ++skipped;
  }
  if (skipped)
    seq += fmt::format("    Note over {}: {} more hand-overs until {}\n", thread_id(0), skipped,
                       ms(tr.end));
  seq += "```\n";

  // The gantt: a section per thread, a bar per state period of a millisecond or more.
  std::string gantt = fmt::format("```mermaid\ngantt\n    title {} (makespan {})\n"
                                  "    dateFormat x\n    axisFormat %S.%L s\n",
                                  text(tr.scenario), ms(tr.end));
  std::vector<std::string> sections(tr.threads.size());
  for_each_state_span(tr, tr.end, [&](int t, trace_state state, int, double from, double to) {
    long a = std::lround(from * 1e3), b = std::lround(to * 1e3);
    if (b <= a || state == trace_state::idle || state == trace_state::done)
      return;
    sections[size_t(t)] += fmt::format("    {} :{}{}, {}\n", trace_state_name(state),
                                       state == trace_state::running ? "active, " : "", a, b);
  });
  for (size_t t = 0; t < sections.size(); ++t)
    if (!sections[t].empty())
      gantt += fmt::format("    section {}\n", text(tr.threads[t].name)) + sections[t];
  gantt += "```\n";
  return seq + "\n" + gantt;
}

namespace {
const bool registered = writer_registry::add(
    {.name = "mermaid",
     .option = "--diagram",
     .choice = "mermaid",
     .help = "print Mermaid diagrams of the run (sequence and gantt) instead of the table",
     .to = sink::console,
     .needs_trace = true,
     .order = 40,
     .write = [](const run_output& o) { return mermaid_diagrams(o.trace); }});
}  // namespace

}  // namespace gilsim
