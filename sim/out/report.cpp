// The report writers: JSON with the stable keys of docs/design.md, a per-thread CSV, the summary
// table printed by default. Numbers are printed with fixed precision so outputs are byte-stable.
#include "sim/out/report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gilsim {

namespace {
// Rounds to the nanosecond so that JSON output never shows floating-point noise; ratios and the
// wall time, to six decimals.
double ns(double seconds) { return std::round(seconds * 1e9) / 1e9; }
double micro(double x) { return std::round(x * 1e6) / 1e6; }
}  // namespace

std::string report_json(const run_report& r)
{
  nlohmann::ordered_json j;
  j["scenario"] = r.scenario;
  j["status"] = r.status;
  if (!r.message.empty())
    j["message"] = r.message;
  j["policy"] = r.policy;
  j["seed"] = r.seed;
  j["makespan_s"] = ns(r.makespan_s);
  j["events"] = r.events;
  j["wall_s"] = micro(r.wall_s);
  j["threads"] = nlohmann::ordered_json::array();
  for (const auto& t : r.threads) {
    nlohmann::ordered_json o;
    o["name"] = t.name;
    o["process"] = t.process;
    o["daemon"] = t.daemon;
    o["start_s"] = ns(t.start_s);
    o["end_s"] = ns(t.end_s);
    o["cpu_s"] = ns(t.cpu_s);
    o["io_s"] = ns(t.io_s);
    o["sleep_s"] = ns(t.sleep_s);
    o["ready_wait_s"] = ns(t.ready_wait_s);
    o["gil_wait_s"] = ns(t.gil_wait_s);
    o["lock_wait_s"] = ns(t.lock_wait_s);
    o["context_switches"] = t.context_switches;
    o["gil_acquisitions"] = t.gil_acquisitions;
    j["threads"].push_back(o);
  }
  j["cores"] = nlohmann::ordered_json::array();
  for (const auto& c : r.cores) {
    nlohmann::ordered_json o;
    o["id"] = c.id;
    o["busy_s"] = ns(c.busy_s);
    o["utilization"] = micro(c.utilization);
    o["context_switches"] = c.context_switches;
    if (!r.groups.empty()) {  // a machine of core groups: each core's group and speed
      o["group"] = c.group;
      o["speed"] = c.speed;
    }
    j["cores"].push_back(o);
  }
  if (!r.groups.empty()) {
    j["groups"] = nlohmann::ordered_json::array();
    for (const auto& g : r.groups)
      j["groups"].push_back({{"name", g.name},
                             {"cores", g.cores},
                             {"speed", g.speed},
                             {"busy_s", ns(g.busy_s)},
                             {"utilization", micro(g.utilization)}});
  }
  j["processes"] = nlohmann::ordered_json::array();
  for (const auto& p : r.processes) {
    nlohmann::ordered_json o;
    o["name"] = p.name;
    o["runtime"] = p.runtime;
    o["gil"] = {{"model", p.gil.model},
                {"switches", p.gil.switches},
                {"forced_switches", p.gil.forced_switches},
                {"convoy", {{"count", p.gil.convoy.count},
                            {"mean_s", ns(p.gil.convoy.mean)},
                            {"p50_s", ns(p.gil.convoy.p50)},
                            {"p99_s", ns(p.gil.convoy.p99)},
                            {"max_s", ns(p.gil.convoy.max)}}}};
    j["processes"].push_back(o);
  }
  return j.dump(2);
}

std::string report_threads_csv(const run_report& r)
{
  std::string out =
      "name,process,daemon,start_s,end_s,cpu_s,io_s,sleep_s,ready_wait_s,gil_wait_s,"
      "lock_wait_s,context_switches,gil_acquisitions\n";
  for (const auto& t : r.threads)
    out += fmt::format("{},{},{},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{},{}\n",
                       t.name, t.process, t.daemon ? 1 : 0, t.start_s, t.end_s, t.cpu_s, t.io_s,
                       t.sleep_s, t.ready_wait_s, t.gil_wait_s, t.lock_wait_s, t.context_switches,
                       t.gil_acquisitions);
  return out;
}

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
}  // namespace

std::string report_summary(const run_report& r)
{
  std::string out = fmt::format("scenario {}: {} cores, policy {}, seed {}\n", r.scenario,
                                r.core_count, r.policy, r.seed);
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
  out += fmt::format("\n{:<6} {:>11} {:>11} {:>9}\n", "core", "busy", "util", "switches");
  shown = 0;
  for (const auto& c : r.cores) {
    if (++shown > 32) {
      out += fmt::format("... and {} more cores\n", r.cores.size() - 32);
      break;
    }
    out += fmt::format("{:<6} {:>11} {:>10.1f}% {:>9}{}\n", c.id, human(c.busy_s),
                       c.utilization * 100, c.context_switches,
                       r.groups.empty() ? "" : fmt::format("  {} x{:g}", c.group, c.speed));
  }
  for (const auto& g : r.groups)
    out += fmt::format("group {}: {} cores at x{:g}, busy {} ({:.1f}%)\n", g.name, g.cores, g.speed,
                       human(g.busy_s), g.utilization * 100);
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
  return out;
}

}  // namespace gilsim
