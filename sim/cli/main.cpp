// gilsim's command line: load a scenario, run it, report; or run many (sweep, batch, merge), each
// in its own gilsim process, and plot them. Exit codes: 0 ok, 1 a run failed, 2 bad input or usage.
#include "sim/engine/simulate.hpp"
#include "sim/load/loader.hpp"
#include "sim/batch/plot.hpp"
#include "sim/out/report.hpp"
#include "sim/out/trace.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/calib/validate.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

void write_file(const std::filesystem::path& p, const std::string& text)
{
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + p.string());
}

// The limits as arguments for the child processes of a sweep or batch, when they were given.
std::vector<std::string> limit_args(const CLI::App& cmd, const gilsim::run_limits& limits)
{
  std::vector<std::string> args;
  if (cmd.count("--max-events"))
    args.insert(args.end(), {"--max-events", std::to_string(limits.max_events)});
  if (cmd.count("--max-time"))
    args.insert(args.end(), {"--max-time", fmt::format("{}", limits.max_time)});
  if (!limits.lookahead)
    args.push_back("--no-lookahead");
  return args;
}

}  // namespace

int main(int argc, char** argv)
{
  CLI::App app{"gilsim: a discrete-event simulator of CPUs, the CPython GIL and OS schedulers"};
  app.require_subcommand(1);

  std::string file;
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::string out_dir;
  bool json = false;
  gilsim::run_limits limits;
  std::uint64_t seed = 0;
  std::vector<std::string> grids;
  int seeds = 0;
  int jobs = 0;
  std::string shard_text = "1/1";
  bool retry_failed = false;

  auto* run = app.add_subcommand("run", "simulate a scenario and report; several, or a directory "
                                        "of them, run as a batch into --out DIR");
  run->add_option("scenario", files, "the scenario (YAML), or several, or a directory")->required();
  run->add_option("--set", overrides, "override a scenario key: key.path=VALUE (repeatable)");
  run->add_option("--seed", seed, "the random seed (overrides the scenario's)");
  run->add_option("--out", out_dir, "write report.json and threads.csv into this directory; for "
                                    "a batch, results.csv and points.jsonl [sweep-out]");
  run->add_flag("--json", json, "print the JSON report on stdout, and nothing else; for a batch, "
                                "progress events as JSON lines");
  run->add_option("--max-events", limits.max_events, "stop with an error after this many events");
  run->add_option("--max-time", limits.max_time, "stop with an error at this simulated time (s)");
  bool no_lookahead = false;
  run->add_flag("--no-lookahead", no_lookahead,
                "hand every event to SimGrid, even where the kernel could look ahead: slower, "
                "the same results (for checking)");
  run->add_option("-j,--jobs", jobs, "a batch's runs at once [the host's cores]");
  run->add_option("--shard", shard_text, "a batch's i-th of n slices: i/n");
  run->add_flag("--retry-failed", retry_failed, "a resumed batch runs its failed runs again");
  std::string trace_file, timeline_file;
  run->add_option("--trace", trace_file,
                  "write a Chrome trace (ui.perfetto.dev, chrome://tracing) of the run to "
                  "FILE.json");
  run->add_option("--timeline", timeline_file, "draw the run as an SVG timeline in FILE.svg");
  std::string diagram;
  run->add_option("--diagram", diagram,
                  "print Mermaid diagrams of the run (sequence and gantt) instead of the table")
      ->check(CLI::IsMember({"mermaid"}));

  auto* check = app.add_subcommand("check", "validate a scenario without running it");
  check->add_option("scenario", file, "the scenario (YAML)")->required();
  check->add_option("--set", overrides, "override a scenario key: key.path=VALUE (repeatable)");

  auto* sweep = app.add_subcommand("sweep", "run a scenario over the cartesian product of grids, "
                                            "each point its own process, resumably");
  sweep->add_option("scenario", file, "the scenario (YAML)")->required();
  sweep->add_option("--grid", grids, "key.path=v1,v2,... or a range a..b, a..b:+s, a..b:xk; "
                                     "the first --grid varies slowest (repeatable)")
      ->required();
  sweep->add_option("--seeds", seeds, "run every point with the seeds 1..K");
  sweep->add_option("--set", overrides, "a fixed override for every point (repeatable)");
  sweep->add_option("-j,--jobs", jobs, "points run at once [the host's cores]");
  sweep->add_option("--out", out_dir, "the result directory [sweep-out]");
  sweep->add_option("--shard", shard_text, "run only the i-th of n slices: i/n");
  sweep->add_flag("--json", json, "progress events as JSON lines on stdout");
  sweep->add_flag("--retry-failed", retry_failed, "a resumed sweep runs its failed points again");
  sweep->add_option("--max-events", limits.max_events, "passed to every point");
  sweep->add_option("--max-time", limits.max_time, "passed to every point (s)");

  std::vector<std::string> merge_dirs;
  auto* merge = app.add_subcommand("merge", "join the result directories of a sweep's shards");
  merge->add_option("dirs", merge_dirs, "the shards' result directories")->required();
  merge->add_option("--out", out_dir, "the merged result directory")->required();

  std::string plot_csv, plot_kind = "makespan";
  gilsim::plot::selection plot_sel;
  gilsim::plot::figure plot_fig;
  bool plot_no_fit = false;
  auto* plot = app.add_subcommand("plot", "draw a sweep's results.csv with gnuplot: makespan, "
                                          "speedup or efficiency, with Amdahl's law fitted");
  plot->add_option("results", plot_csv, "the sweep's results.csv")->required();
  plot->add_option("--x", plot_sel.x, "the x column (a swept key: machine.cores)")->required();
  plot->add_option("--y", plot_sel.y, "the y column [makespan_s]");
  plot->add_option("--series", plot_sel.series, "a column whose values make the curves "
                                                "(repeatable)");
  plot->add_option("--where", plot_sel.where, "only rows with column=value (repeatable)");
  plot->add_option("--kind", plot_kind, "makespan (y itself), speedup or efficiency [makespan]");
  plot->add_option("--out", plot_fig.out, "FILE.svg or FILE.png [plot-KIND.svg beside the CSV]");
  plot->add_option("--title", plot_fig.title, "the plot's title");
  plot->add_flag("--logx", plot_fig.log_x, "x on a log2 scale");
  plot->add_flag("--logy", plot_fig.log_y, "y on a log10 scale");
  plot->add_flag("--no-amdahl", plot_no_fit, "no Amdahl fit, drawn or printed (for an x that "
                                              "is not a count of cores)");

  // The host profile: its use by speed: host, its making, and the check of its predictions.
  std::string profile;
  for (auto* c : {run, check, sweep})
    c->add_option("--profile", profile, "the host profile for machine.speed: host "
                                        "[$GILSIM_PROFILE, ./host-profile.yaml, "
                                        "~/.config/gilsim/host-profile.yaml]");
  gilsim::calibrate_options cal_opt;
  bool quick = false, tiny = false;
  auto* calibrate = app.add_subcommand("calibrate", "time the prime kernel and the OS on this "
                                                    "host and write its profile");
  calibrate->add_option("--out", cal_opt.out, "the profile to write "
                                              "[~/.config/gilsim/host-profile.yaml]");
  auto* validate = app.add_subcommand("validate", "run native configurations for real and "
                                                  "simulated from the profile; print the error");
  validate->add_option("--profile", profile, "the host profile [as for run]");
  for (auto* c : {calibrate, validate}) {
    c->add_flag("--quick", quick, "a shorter, rougher measurement (under 20 s for calibrate)");
    c->add_flag("--tiny", tiny, "for the tests: a second or two, structure only")->group("");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  limits.lookahead = !no_lookahead;

  try {
    if (plot->parsed()) {
      plot_fig.what = gilsim::plot::parse_kind(plot_kind);
      plot_fig.with_amdahl = !plot_no_fit;
      return gilsim::plot::run_command(plot_csv, plot_sel, plot_fig, std::cout, std::cerr);
    }
    if (!profile.empty())  // sweep and batch children find it there
      setenv("GILSIM_PROFILE", std::filesystem::absolute(profile).c_str(), 1);
    const auto size = tiny    ? gilsim::calibration_size::tiny
                      : quick ? gilsim::calibration_size::quick
                              : gilsim::calibration_size::full;
    if (calibrate->parsed()) {
      cal_opt.size = size;
      return gilsim::calibrate_command(cal_opt, std::cout, std::cerr);
    }
    if (validate->parsed())
      return gilsim::validate_command({profile, size}, std::cout, std::cerr);
    namespace sw = gilsim::sweep;
    bool batch = run->parsed() && (files.size() > 1 || std::filesystem::is_directory(files[0]));
    if (sweep->parsed() || batch) {
      sw::options opt;
      if (!out_dir.empty())
        opt.out_dir = out_dir;
      if (jobs < 0)
        gilsim::fail_input({"--jobs"}, "", "must be 1 or more (0: the host's cores)");
      opt.jobs = jobs;
      opt.part = sw::parse_shard(shard_text);
      opt.retry_failed = retry_failed;
      opt.json_events = json;
      sw::plan p;
      if (batch) {
        auto extra = limit_args(*run, limits);
        if (seed)
          extra.insert(extra.end(), {"--seed", std::to_string(seed)});
        p = sw::batch_plan(files, overrides, extra);
      } else {
        std::vector<sw::axis> axes;
        for (const auto& g : grids)
          axes.push_back(sw::parse_grid(g));
        p = sw::sweep_plan(file, axes, seeds, overrides, limit_args(*sweep, limits));
      }
      return sw::run(p, opt);
    }
    if (merge->parsed())
      return sw::merge(merge_dirs, out_dir);
    if (run->parsed()) {
      if (run->count("--jobs") || run->count("--shard") || retry_failed)
        gilsim::fail_input({"run"}, "",
                           "-j, --shard and --retry-failed are for several scenarios or a "
                           "directory");
      file = files[0];
    }
    if (seed)
      overrides.push_back("seed=" + std::to_string(seed));
    gilsim::scenario sc = gilsim::load_scenario(file, overrides, profile);
    if (check->parsed()) {
      size_t threads = 0;
      for (const auto& ps : sc.processes)
        threads += ps.threads.size();
      std::cout << file << ": ok (" << sc.processes.size() << " processes, " << threads
                << " threads)\n";
      // What a workload became: its work queues and the size of what each take hands out.
      for (const auto& q : sc.queues)
        std::cout << fmt::format("  queue {}: items {}..{}, taken {} at a time\n", q.name, q.first,
                                 q.last, q.chunk);
      return 0;
    }
    gilsim::run_trace trace;
    bool tracing = !trace_file.empty() || !timeline_file.empty() || !diagram.empty();
    std::vector<gilsim::run_observer*> listeners;
    if (tracing)
      listeners.push_back(&trace);
    gilsim::run_report r = gilsim::simulate(sc, limits, listeners);
    if (!trace_file.empty())
      write_file(trace_file, gilsim::chrome_trace_json(trace) + "\n");
    if (!timeline_file.empty())
      write_file(timeline_file, gilsim::svg_timeline(trace));
    if (!out_dir.empty()) {
      std::filesystem::create_directories(out_dir);
      write_file(std::filesystem::path(out_dir) / "report.json", gilsim::report_json(r) + "\n");
      write_file(std::filesystem::path(out_dir) / "threads.csv", gilsim::report_threads_csv(r));
    }
    if (json)
      std::cout << gilsim::report_json(r) << "\n";
    else if (!diagram.empty())
      std::cout << gilsim::mermaid_diagrams(trace);
    else
      std::cout << gilsim::report_summary(r);
    if (r.status != "ok") {
      std::cerr << "gilsim: " << r.message << "\n";
      return 1;
    }
    return 0;
  } catch (const gilsim::input_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 2;
  }
}
