// gilsim jobs: the textbook's quick form, a list of jobs with no YAML, as the OSTEP homework
// simulators take them. `gilsim jobs 100,200,300 --policy rr --quantum 1 --unit ms` makes a
// scenario of one core with free switches and one native thread per job, runs it and prints
// each job's response, turnaround and wait as the homework does; the outputs of `run` (--json,
// --out, --timeline, ...) work as there, and --print-scenario prints the YAML instead of running.
//
// A job is LENGTH or ARRIVAL:LENGTH, in --unit, then options after colons: io-every-N (after every
// N of CPU it does --io-time of I/O, but not after its last CPU, as the homework's mlfq.py), and
// tickets-N (lottery, stride). So 0:50:io-every-9,10:30 is a job of 50 arriving at 0 that blocks
// for I/O after each 9 of CPU, and a job of 30 arriving at 10.
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/engine/simulate.hpp"
#include "sim/load/loader.hpp"
#include "sim/out/report.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <iostream>

namespace gilsim::cli {

namespace {

struct jobs_options {
  std::string list;
  std::string policy = "fifo";
  std::string quantum;  // in --unit; empty: the policy's default
  std::string unit = "ms";
  std::string io_time = "5";
  std::string cores = "1";
  std::string seed;
  std::vector<std::string> overrides;
  bool print_scenario = false;
  std::string out_dir;
  bool json = false;
  std::map<std::string, std::string> writer_values;
};

struct job {
  double arrival = 0, length = 0;
  double io_every = 0;  // 0: no I/O
  long tickets = 0;     // 0: the policy's default
};

// A number in the list: digits with an optional fraction, nothing else.
std::optional<double> number(const std::string& text)
{
  double v = 0;
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos)
    return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return v;
}

// Parses the list; a mistake is reported at its column in the list ("jobs:1:COL").
std::vector<job> parse_jobs(const std::string& list)
{
  std::vector<job> out;
  size_t at = 0;
  while (true) {
    size_t end = std::min(list.find(',', at), list.size());
    std::vector<std::pair<std::string, size_t>> fields;  // text and its column
    for (size_t f = at; f <= end;) {
      size_t stop = std::min(list.find(':', f), end);
      fields.push_back({list.substr(f, stop - f), f + 1});
      f = stop + 1;
    }
    auto fail = [&](size_t col, const std::string& what) {
      fail_input({"jobs", 1, int(col)}, fmt::format("job {}", out.size()),
                 fmt::format("{}; a job is LENGTH or ARRIVAL:LENGTH, then :io-every-N or "
                             ":tickets-N",
                             what));
    };
    size_t numbers = 0;
    while (numbers < fields.size() && numbers < 2 && number(fields[numbers].first))
      ++numbers;
    if (numbers == 0)
      fail(fields[0].second, fmt::format("'{}' is not a length", fields[0].first));
    job j;
    j.arrival = numbers == 2 ? *number(fields[0].first) : 0;
    j.length = *number(fields[numbers - 1].first);
    if (j.length <= 0)
      fail(fields[numbers - 1].second, "a length must be more than 0");
    for (size_t i = numbers; i < fields.size(); ++i) {
      const auto& [text, col] = fields[i];
      auto value = [&](const std::string& prefix) -> std::optional<double> {
        if (text.rfind(prefix, 0) != 0)
          return std::nullopt;
        auto v = number(text.substr(prefix.size()));
        if (!v || *v <= 0)
          fail(col, fmt::format("'{}': expected {}N with N more than 0", text, prefix));
        return v;
      };
      if (auto v = value("io-every-"))
        j.io_every = *v;
      else if (auto n = value("tickets-"); n && *n == double(long(*n)))
        j.tickets = long(*n);
      else
        fail(col, fmt::format("'{}' is no job option (io-every-N, tickets-N)", text));
    }
    out.push_back(j);
    if (end == list.size())
      return out;
    at = end + 1;
  }
}

// The scenario the list stands for: one core with free switches and no wake-up latency (the
// homework's machine), one native thread per job, starting at its arrival.
std::string scenario_text(const jobs_options& o, const std::vector<job>& jobs)
{
  const std::string& u = o.unit;
  std::string y = fmt::format("# gilsim jobs {}\nname: jobs\n", o.list);
  y += fmt::format("machine: {{cores: {}, context_switch: 0, wakeup_latency: 0}}\n", o.cores);
  y += fmt::format("scheduler: {{policy: {}{}}}\n", o.policy,
                   o.quantum.empty() ? "" : fmt::format(", quantum: {}{}", o.quantum, u));
  y += "processes:\n  - name: jobs\n    runtime: native\n    threads:\n";
  for (size_t i = 0; i < jobs.size(); ++i) {
    const job& j = jobs[i];
    y += fmt::format("      - name: job{}\n        start: {:g}{}\n", i, j.arrival, u);
    if (j.tickets > 0)
      y += fmt::format("        tickets: {}\n", j.tickets);
    long ios = j.io_every > 0 ? long(std::ceil(j.length / j.io_every)) - 1 : 0;
    if (ios <= 0) {
      y += fmt::format("        program: [{{cpu: {:g}{}}}]\n", j.length, u);
      continue;
    }
    y += fmt::format("        program:\n          - repeat: {}\n            do: [{{cpu: {:g}{}}}, "
                     "{{io: {}{}}}]\n          - cpu: {:g}{}\n",
                     ios, j.io_every, u, o.io_time, u, j.length - double(ios) * j.io_every, u);
  }
  return y;
}

int run_jobs(const CLI::App& sub, jobs_options& o)
{
  if (o.unit != "s" && o.unit != "ms" && o.unit != "us")
    fail_input({"--unit " + o.unit}, "", "expected s, ms or us");
  count_arg("--cores", o.cores, 1, 4096);
  for (const auto* n : {&o.quantum, &o.io_time})
    if (!n->empty() && !number(*n))
      fail_input({(n == &o.quantum ? "--quantum " : "--io-time ") + *n}, "",
                 "expected a number in --unit");
  const std::string yaml = scenario_text(o, parse_jobs(o.list));
  if (!o.seed.empty())
    o.overrides.push_back("seed=" + std::to_string(seed_arg(o.seed)));
  const scenario sc = load_scenario_text(yaml, "jobs", o.overrides);
  if (o.print_scenario) {
    std::cout << yaml;
    return 0;
  }
  take_interrupts();
  auto outputs = choose_writers(given_on(sub));
  // The console's default is the homework's table rather than run's summary.
  const writer table{.name = "jobs",
                     .to = sink::console,
                     .write = [&o](const run_output& r) { return jobs_table(r.report, o.unit); }};
  for (auto& c : outputs)
    if (c.w->to == sink::console && c.w->option.empty())
      c.w = &table;
  check_outputs(outputs);
  run_trace trace;
  std::vector<run_observer*> listeners;
  if (any_needs_trace(outputs))
    listeners.push_back(&trace);
  const run_report r = simulate(sc, {}, listeners);
  write_outputs(outputs, {r, trace}, std::cout);
  if (r.status != "ok") {
    std::cerr << "gilsim: " << r.message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

command add_jobs(CLI::App& app)
{
  auto o = std::make_shared<jobs_options>();
  auto* sub = app.add_subcommand(
      "jobs", "run a textbook list of jobs (100,200,300 or ARRIVAL:LENGTH[:io-every-N]"
              "[:tickets-N],...) on one core and print each job's response, turnaround and wait");
  sub->add_option("jobs", o->list, "the jobs, comma-separated: LENGTH or ARRIVAL:LENGTH in "
                                   "--unit, then :io-every-N, :tickets-N")
      ->required();
  sub->add_option("--policy", o->policy, "the scheduler: fifo, sjf, stcf, rr, mlfq, lottery, "
                                         "stride, ... [fifo]");
  add_text_option(*sub, "--quantum", o->quantum, "the policy's quantum, in --unit");
  sub->add_option("--unit", o->unit, "the unit of the list, the quantum and the table: s, ms, "
                                     "us [ms]");
  add_text_option(*sub, "--io-time", o->io_time, "how long each I/O of io-every-N takes, in "
                                                 "--unit [5]");
  add_text_option(*sub, "--cores", o->cores, "the machine's cores [1]");
  add_text_option(*sub, "--seed", o->seed, "the random seed (lottery's draws) [1]");
  sub->add_option("--set", o->overrides, "override a key of the scenario made: "
                                         "scheduler.levels=3 (repeatable)");
  sub->add_flag("--print-scenario", o->print_scenario, "print the scenario's YAML, do not run");
  sub->add_option("--out", o->out_dir, "write report.json and threads.csv into this directory");
  sub->add_flag("--json", o->json, "print the JSON report on stdout, and nothing else");
  add_writer_options(*sub, o->writer_values);
  return {sub, [sub, o] { return run_jobs(*sub, *o); }};
}

}  // namespace gilsim::cli
