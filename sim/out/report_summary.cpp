// The summary table, printed when no other output takes the console: the run, each thread's
// figures (the first 40), each core's (the first 32) and each Python process's GIL.
#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include "gilsim_version.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gilsim {

namespace {
// Seconds in the unit that reads best: 1.5 s, 12.000 ms, 30.0 us.
std::string human(double s)
{
  double a = std::fabs(s);
  if (a < 5e-11)
    return "0";
  a += 5e-10;  // so that 0.9999999999 s reads 1.000 s, not 1000.000 ms
  if (a >= 1)
    return fmt::format("{:.3f} s", s);
  if (a >= 1e-3)
    return fmt::format("{:.3f} ms", s * 1e3);
  return fmt::format("{:.1f} us", s * 1e6);
}

// A workload's request latency, one line.
std::string latency_line(const run_report& r)
{
  if (!r.latency || r.latency->count == 0)
    return "";
  const latency_report& l = *r.latency;
  return fmt::format("\nrequests {}: latency mean {}, p50 {}, p90 {}, p99 {}; {:.1f} per s\n",
                     l.count, human(l.mean_s), human(l.p50_s), human(l.p90_s), human(l.p99_s),
                     l.throughput_per_s);
}

double unit_seconds(const std::string& unit)
{
  return unit == "s" ? 1 : unit == "ms" ? 1e-3 : 1e-6;
}
}  // namespace

std::string jobs_table(const run_report& r, const std::string& unit)
{
  jobs_summary s = summarize_jobs(r);
  if (s.count == 0)
    return "";
  std::string u = unit;
  if (u.empty()) {
    double longest = 0;
    for (const auto& t : r.threads)
      if (is_job(t))
        longest = std::max(longest, job_of(t).turnaround_s);
    u = longest >= 1 ? "s" : longest >= 1e-3 ? "ms" : "us";
  }
  double scale = unit_seconds(u);
  auto line = [&](double response, double turnaround, double wait) {
    return fmt::format("Response: {:.2f}  Turnaround {:.2f}  Wait {:.2f}", response / scale,
                       turnaround / scale, wait / scale);
  };
  std::string out = fmt::format("Final statistics ({}):\n", u);
  long shown = 0;
  for (const auto& t : r.threads) {
    if (!is_job(t))
      continue;
    if (shown == 40) {
      out += fmt::format("  ... and {} more jobs (see --json or --out)\n", s.count - 40);
      break;
    }
    job_figures j = job_of(t);
    out += fmt::format("  Job {:3} -- {}  ({}/{})\n", shown++, line(j.response_s, j.turnaround_s,
                       j.wait_s), t.process, t.name);
  }
  out += fmt::format("\n  Average -- {}\n",
                     line(s.mean_response_s, s.mean_turnaround_s, s.mean_wait_s));
  return out;
}

std::string report_summary(const run_report& r)
{
  std::string out = fmt::format("scenario {}: {} cores, policy {}, seed {} (gilsim {})\n",
                                r.scenario, r.core_count, r.policy, r.seed, GILSIM_VERSION_STRING);
  out += fmt::format("makespan {}   events {}   wall {:.3f} s   status {}\n\n", human(r.makespan_s),
                     r.events, r.wall_s, r.status);
  size_t w = 6;
  for (const auto& t : r.threads)
    w = std::max(w, t.name.size() + t.process.size() + 1);
  out += fmt::format("{:<{}}  {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>6}\n", "thread",
                     w, "end", "cpu", "ready", "io+sleep", "lock", "gil", "switches", "");
  size_t shown = 0;
  for (const auto& t : r.threads) {
    if (++shown > 40) {
      out += fmt::format("... and {} more threads (see --json or --out)\n", r.threads.size() - 40);
      break;
    }
    out += fmt::format("{:<{}}  {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\n",
                       t.process + "/" + t.name, w, human(t.end_s), human(t.cpu_s),
                       human(t.ready_wait_s), human(t.io_s + t.sleep_s), human(t.lock_wait_s),
                       human(t.gil_wait_s), t.context_switches);
  }
  if (std::string jobs = jobs_table(r); !jobs.empty())
    out += "\n" + jobs;
  out += fmt::format("\n{:<6} {:>11} {:>11} {:>9}\n", "core", "busy", "util", "switches");
  shown = 0;
  for (const auto& c : r.cores) {
    if (++shown > 32) {
      out += fmt::format("... and {} more cores\n", r.cores.size() - 32);
      break;
    }
    out += fmt::format("{:<6} {:>11} {:>10.1f}% {:>9}{}{}\n", c.id, human(c.busy_s),
                       c.utilization * 100, c.context_switches,
                       r.groups.empty() ? "" : fmt::format("  {} x{:g}", c.group, c.speed),
                       c.warm_s ? fmt::format("  warm {} ({:.1f}%)", human(*c.warm_s),
                                              r.makespan_s > 0 ? 100 * *c.warm_s / r.makespan_s : 0)
                                : "");
  }
  for (const auto& g : r.groups)
    out += fmt::format("group {}: {} cores at x{:g}, busy {} ({:.1f}%)\n", g.name, g.cores,
                       g.speed, human(g.busy_s), g.utilization * 100);
  for (const auto& p : r.processes) {
    if (p.runtime != "python")
      continue;
    out += fmt::format("\nprocess {}: GIL {} ({} hand-offs, {} forced)", p.name, p.gil.model,
                       p.gil.switches, p.gil.forced_switches);
    if (p.gil.convoy.count > 0)
      out += fmt::format("; I/O to GIL: mean {}, p50 {}, p99 {} over {} I/Os",
                         human(p.gil.convoy.mean), human(p.gil.convoy.p50),
                         human(p.gil.convoy.p99), p.gil.convoy.count);
  }
  if (!r.processes.empty())
    out += "\n";
  out += latency_line(r);
  return out;
}

namespace {
const bool registered =
    writer_registry::add({.name = "summary",
                          .to = sink::console,
                          .order = 100,
                          .write = [](const run_output& o) { return report_summary(o.report); }});
}  // namespace

}  // namespace gilsim
