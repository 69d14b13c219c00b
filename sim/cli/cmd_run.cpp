// gilsim run: load a scenario, run it, report through the writers its options select (the
// summary table when none takes the console). Several scenarios, or a directory of them, run as
// a batch: each its own gilsim process, results gathered into --out DIR as a sweep's are.
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"
#include "sim/batch/sweep_detail.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/engine/simulate.hpp"
#include "sim/load/input_file.hpp"
#include "sim/load/loader.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <iostream>
#include <map>
#include <set>

namespace gilsim::cli {

namespace {

struct run_options {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::string seed;  // empty: the scenario's
  batch_flags batch;  // its --out and --json are a single run's too
  limit_flags limits;
  std::string profile;
  std::string window;  // --window FROM..TO; empty: the whole run
  std::map<std::string, std::string> writer_values;  // by option, for the writers' own options
};

// Of the console writers given, only the first in order prints (--json before --diagram, so
// that a script reading stdout gets the JSON alone): the others are named on stderr, not
// dropped unsaid.
void note_unprinted(const CLI::App& sub, const std::vector<chosen_writer>& chosen)
{
  const auto given = given_on(sub);
  for (const writer* w : writer_registry::all()) {
    const auto value = w->option.empty() ? std::nullopt : given(w->option);
    if (w->to != sink::console || !value || (!w->choice.empty() && *value != w->choice))
      continue;
    const bool printed = std::any_of(chosen.begin(), chosen.end(),
                                     [&](const chosen_writer& c) { return c.w == w; });
    if (!printed)
      fmt::print(stderr, "gilsim: {}{} is not printed: only one output takes the console\n",
                 w->option, w->choice.empty() ? "" : " " + w->choice);
  }
}

int run_one(const CLI::App& sub, run_options& o)
{
  if (sub.count("--jobs") || sub.count("--shard") || o.batch.retry_failed)
    fail_input({"run"}, "",
               "-j, --shard and --retry-failed are for several scenarios or a directory");
  take_interrupts();
  const run_limits limits = o.limits.limits();
  if (!o.seed.empty())
    o.overrides.push_back("seed=" + std::to_string(seed_arg(o.seed)));
  view_options view;
  if (!o.window.empty())
    view.window = parse_window(o.window);
  // "-": the scenario is read from standard input, and named "stdin" in messages.
  const bool from_stdin = o.files[0] == "-";
  view.scenario_path = o.files[0];
  view.scenario_text = from_stdin ? read_input_stdin("stdin", "the scenario")
                                  : read_input_file(o.files[0], "the scenario");
  const scenario sc = load_scenario_text(view.scenario_text, from_stdin ? "stdin" : o.files[0],
                                         o.overrides, o.profile);

  // Every output is checked before the run, so that none is lost after it.
  const auto outputs = choose_writers(given_on(sub));
  check_outputs(outputs);
  note_unprinted(sub, outputs);
  run_trace trace;
  std::vector<run_observer*> listeners;
  if (any_needs_trace(outputs))
    listeners.push_back(&trace);
  const run_report r = simulate(sc, limits, listeners);

  write_outputs(outputs, {r, trace, view}, std::cout);
  if (r.status != "ok") {
    std::cerr << "gilsim: " << r.message << "\n";
    return 1;
  }
  return 0;
}

// The records of a batch's directory, in point order.
std::vector<nlohmann::json> batch_records(const std::filesystem::path& dir)
{
  std::vector<nlohmann::json> out;
  std::ifstream in(dir / "points.jsonl");
  for (std::string line; std::getline(in, line);)
    if (auto r = nlohmann::json::parse(line, nullptr, false); r.is_object())
      out.push_back(std::move(r));
  return out;
}

// Without --out, each scenario's result as a line of a table (or, with --json, each record as
// a JSON line), since no file keeps them.
void print_batch(const std::vector<nlohmann::json>& records, bool json)
{
  if (json) {
    for (const auto& r : records)
      fmt::print("{}\n", sweep::detail::json_text(nlohmann::json{{"event", "result"}, {"record", r}}));
    return;
  }
  size_t w = 8;
  for (const auto& r : records)
    w = std::max(w, r["params"].value("scenario", std::string()).size());
  fmt::print("{:<{}}  {:<6}  {:>14}  {}\n", "scenario", w, "status", "makespan", "error");
  for (const auto& r : records) {
    const auto& rep = r.value("report", nlohmann::json::object());
    std::string makespan = rep.contains("makespan_s")
                               ? fmt::format("{:.9f} s", rep["makespan_s"].get<double>())
                               : "-";
    std::string error = r.value("error", std::string());
    error = error.substr(0, error.find('\n'));
    fmt::print("{:<{}}  {:<6}  {:>14}  {}\n", r["params"].value("scenario", std::string()), w,
               r.value("status", std::string()), makespan, error);
  }
}

// A batch: into --out DIR, resumable; without --out into a temporary directory, its results
// printed and the directory removed. Either way it ends with a line that says how it went.
int run_batch_files(const sweep::plan& p, const batch_flags& f)
{
  sweep::options opt = batch_options(f);
  const bool keep = !f.out_dir.empty();
  std::filesystem::path dir = f.out_dir;
  if (!keep) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gilsim-batch-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
      throw output_error(fmt::format("cannot make a temporary directory: {}", std::strerror(errno)));
    dir = tmpl;
    opt.out_dir = tmpl;
    opt.keep_files = false;
  }
  struct remover {
    std::filesystem::path dir;
    ~remover()
    {
      std::error_code ec;
      if (!dir.empty())
        std::filesystem::remove_all(dir, ec);
    }
  } temp{keep ? std::filesystem::path() : dir};
  const int rc = sweep::run(p, opt);
  if (rc >= 128)
    return rc;
  const auto records = batch_records(dir);
  if (!keep)
    print_batch(records, f.json);
  long failed = std::count_if(records.begin(), records.end(),
                              [](const auto& r) { return r.value("status", "") != "ok"; });
  fmt::print(stderr, "gilsim: {} scenario{}, {}{}\n", records.size(),
             records.size() == 1 ? "" : "s",
             failed ? fmt::format("{} failed", failed) : std::string("all ok"),
             keep ? fmt::format("; results in {}", (dir / "results.csv").string()) : "");
  return rc;
}

int run_batch(const CLI::App& sub, const run_options& o)
{
  for (const auto& f : o.files)
    if (f == "-")
      fail_input({"run -"}, "", "standard input is one scenario: it cannot be one of a batch");
  bool single_only = !o.window.empty();
  for (const writer* w : writer_registry::all())
    if (!w->option.empty() && w->option != "--out" && w->option != "--json")
      single_only = single_only || sub.count(w->option) > 0;
  if (single_only)
    fail_input({"run"}, "",
               "--trace, --timeline, --html, --diagram and --window are for one scenario; a "
               "batch keeps each run's report (--out DIR)");
  o.limits.limits();  // checked here once rather than by every run
  auto extra = o.limits.args();
  if (!o.seed.empty())
    extra.insert(extra.end(), {"--seed", std::to_string(seed_arg(o.seed))});
  return run_batch_files(sweep::batch_plan(o.files, o.overrides, extra), o.batch);
}

}  // namespace

command add_run(CLI::App& app)
{
  auto o = std::make_shared<run_options>();
  auto* sub = app.add_subcommand("run", "simulate a scenario and report; several, or a directory "
                                        "of them, run as a batch into --out DIR");
  sub->add_option("scenario", o->files,
                  "the scenario (YAML; - reads it from standard input), or several, or a "
                  "directory")
      ->required();
  sub->add_option("--set", o->overrides, "override a scenario key: key.path=VALUE (repeatable)");
  add_text_option(*sub, "--seed", o->seed, "the random seed, 0 to 18446744073709551615 (overrides "
                                     "the scenario's)");
  sub->add_option("--out", o->batch.out_dir, "write report.json and threads.csv into this "
                                             "directory; for a batch, results.csv and "
                                             "points.jsonl (resumable; without it a batch "
                                             "prints its results and keeps no files)");
  sub->add_flag("--json", o->batch.json, "print the JSON report on stdout, and nothing else; for "
                                         "a batch, progress events as JSON lines");
  o->limits.add(*sub, "stop with an error after this many events (1 or more)",
                "stop with an error at this simulated time: 2s, 500ms (seconds without a unit)");
  sub->add_flag("--no-lookahead", o->limits.no_lookahead,
                "hand every event to SimGrid, even where the kernel could look ahead: slower, "
                "the same results (for checking)");
  add_text_option(*sub, "-j,--jobs", o->batch.jobs, "a batch's runs at once [the host's cores]");
  sub->add_option("--shard", o->batch.shard, "a batch's i-th of n slices: i/n");
  sub->add_flag("--retry-failed", o->batch.retry_failed, "a resumed batch runs its failed runs "
                                                         "again");
  add_text_option(*sub, "--window", o->window,
                  "draw only this part of the run in --timeline and --html: FROM..TO, e.g. "
                  "10ms..25ms (either end may be left out)");
  add_writer_options(*sub, o->writer_values);
  add_exec_flag(*sub, o->batch.exec);
  add_profile_option(*sub, o->profile);
  return {sub, [sub, o] {
            export_profile(o->profile);
            bool batch = o->files.size() > 1 || std::filesystem::is_directory(o->files[0]);
            return batch ? run_batch(*sub, *o) : run_one(*sub, *o);
          }};
}

}  // namespace gilsim::cli
