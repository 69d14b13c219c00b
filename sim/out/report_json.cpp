// The JSON report: the stable keys of docs/design.md, on stdout with --json and as report.json in
// --out DIR. Figures are rounded to the nanosecond so that the output is byte-stable.
#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include "gilsim_version.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace gilsim {

namespace {
// Rounds to the nanosecond so that JSON output never shows floating-point noise; ratios and the
// wall time, to six decimals.
double ns(double seconds) { return std::round(seconds * 1e9) / 1e9; }
double micro(double x) { return std::round(x * 1e6) / 1e6; }

// A workload's request latency: key `latency` after the processes.
void add_latency(nlohmann::ordered_json& j, const run_report& r)
{
  if (!r.latency)
    return;
  const latency_report& l = *r.latency;
  j["latency"] = {{"mean_s", ns(l.mean_s)},
                  {"p50_s", ns(l.p50_s)},
                  {"p90_s", ns(l.p90_s)},
                  {"p99_s", ns(l.p99_s)},
                  {"throughput_per_s", micro(l.throughput_per_s)},
                  {"count", l.count}};
}

// A thread's textbook figures (sim/os/run_report.hpp, job_of), after its other keys.
void add_job_keys(nlohmann::ordered_json& o, const thread_report& t)
{
  job_figures f = job_of(t);
  o["response_s"] = ns(f.response_s);
  o["turnaround_s"] = ns(f.turnaround_s);
  o["wait_s"] = ns(f.wait_s);
}

// Their means over the jobs (every thread but the daemons), as the OSTEP homework's "Average".
nlohmann::ordered_json jobs_json(const run_report& r)
{
  jobs_summary s = summarize_jobs(r);
  return {{"count", s.count},
          {"mean_response_s", ns(s.mean_response_s)},
          {"mean_turnaround_s", ns(s.mean_turnaround_s)},
          {"mean_wait_s", ns(s.mean_wait_s)}};
}
}  // namespace

std::string report_json(const run_report& r)
{
  nlohmann::ordered_json j;
  j["scenario"] = r.scenario;
  j["version"] = GILSIM_VERSION_STRING;  // which gilsim wrote it
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
    add_job_keys(o, t);
    j["threads"].push_back(o);
  }
  j["jobs"] = jobs_json(r);
  j["cores"] = nlohmann::ordered_json::array();
  for (const auto& c : r.cores) {
    nlohmann::ordered_json o;
    o["id"] = c.id;
    o["busy_s"] = ns(c.busy_s);
    o["utilization"] = micro(c.utilization);
    o["context_switches"] = c.context_switches;
    if (c.warm_s)  // a machine with a cache: how long its threads ran warm there
      o["warm_s"] = ns(*c.warm_s);
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
  add_latency(j, r);
  return j.dump(2);
}

namespace {
std::string json_text(const run_output& o) { return report_json(o.report) + "\n"; }

const bool registered =
    writer_registry::add({.name = "json",
                          .option = "--json",
                          .help = "print the JSON report on stdout, and nothing else",
                          .to = sink::console,
                          .order = 10,
                          .write = json_text}) &&
    writer_registry::add({.name = "report.json",
                          .option = "--out",
                          .help = "write report.json into this directory",
                          .to = sink::directory,
                          .order = 50,
                          .write = json_text});
}  // namespace

}  // namespace gilsim
