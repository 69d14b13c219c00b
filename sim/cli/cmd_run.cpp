// gilsim run: load a scenario, run it, report through the writers its options select (the
// summary table when none takes the console). Several scenarios, or a directory of them, run as
// a batch: each its own gilsim process, results gathered into --out DIR as a sweep's are.
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"
#include "sim/engine/simulate.hpp"
#include "sim/load/loader.hpp"
#include "sim/out/writer.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

namespace gilsim::cli {

namespace {

struct run_options {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::uint64_t seed = 0;
  batch_flags batch;  // its --out and --json are a single run's too
  run_limits limits;
  bool no_lookahead = false;
  std::string profile;
  std::map<std::string, std::string> writer_values;  // by option, for the writers' own options
};

// Declares the options of the registered writers that the command does not have yet, in the
// writers' order; an option shared by writers with choices accepts exactly those choices.
void add_writer_options(CLI::App& sub, std::map<std::string, std::string>& values)
{
  std::vector<const writer*> firsts;
  std::map<std::string, std::set<std::string>> choices;
  for (const writer* w : writer_registry::all()) {
    if (w->option.empty() || sub.get_option_no_throw(w->option))
      continue;
    if (!choices.count(w->option))
      firsts.push_back(w);
    if (!w->choice.empty())
      choices[w->option].insert(w->choice);
  }
  for (const writer* w : firsts) {
    const auto& allowed = choices[w->option];
    if (w->to == sink::console && allowed.empty()) {
      sub.add_flag(w->option, w->help);
      continue;
    }
    auto* opt = sub.add_option(w->option, values[w->option], w->help);
    if (!allowed.empty())
      opt->check(CLI::IsMember(std::vector<std::string>(allowed.begin(), allowed.end())));
  }
}

// What the parsed command line gave for an option, as choose_writers asks.
given_option given_on(const CLI::App& sub)
{
  return [&sub](const std::string& name) -> std::optional<std::string> {
    const CLI::Option* opt = sub.get_option_no_throw(name);
    if (!opt || opt->count() == 0)
      return std::nullopt;
    return opt->get_type_size_max() == 0 ? std::string() : opt->as<std::string>();
  };
}

int run_one(const CLI::App& sub, run_options& o)
{
  if (sub.count("--jobs") || sub.count("--shard") || o.batch.retry_failed)
    fail_input({"run"}, "",
               "-j, --shard and --retry-failed are for several scenarios or a directory");
  if (o.seed)
    o.overrides.push_back("seed=" + std::to_string(o.seed));
  const scenario sc = load_scenario(o.files[0], o.overrides, o.profile);

  const auto outputs = choose_writers(given_on(sub));
  run_trace trace;
  std::vector<run_observer*> listeners;
  if (any_needs_trace(outputs))
    listeners.push_back(&trace);
  const run_report r = simulate(sc, o.limits, listeners);

  write_outputs(outputs, {r, trace}, std::cout);
  if (r.status != "ok") {
    std::cerr << "gilsim: " << r.message << "\n";
    return 1;
  }
  return 0;
}

int run_batch(const CLI::App& sub, const run_options& o)
{
  auto extra = limit_args(sub, o.limits);
  if (o.seed)
    extra.insert(extra.end(), {"--seed", std::to_string(o.seed)});
  return sweep::run(sweep::batch_plan(o.files, o.overrides, extra), batch_options(o.batch));
}

}  // namespace

command add_run(CLI::App& app)
{
  auto o = std::make_shared<run_options>();
  auto* sub = app.add_subcommand("run", "simulate a scenario and report; several, or a directory "
                                        "of them, run as a batch into --out DIR");
  sub->add_option("scenario", o->files, "the scenario (YAML), or several, or a directory")
      ->required();
  sub->add_option("--set", o->overrides, "override a scenario key: key.path=VALUE (repeatable)");
  sub->add_option("--seed", o->seed, "the random seed (overrides the scenario's)");
  sub->add_option("--out", o->batch.out_dir, "write report.json and threads.csv into this "
                                             "directory; for a batch, results.csv and "
                                             "points.jsonl [sweep-out]");
  sub->add_flag("--json", o->batch.json, "print the JSON report on stdout, and nothing else; for "
                                         "a batch, progress events as JSON lines");
  sub->add_option("--max-events", o->limits.max_events, "stop with an error after this many "
                                                        "events");
  sub->add_option("--max-time", o->limits.max_time, "stop with an error at this simulated time "
                                                    "(s)");
  sub->add_flag("--no-lookahead", o->no_lookahead,
                "hand every event to SimGrid, even where the kernel could look ahead: slower, "
                "the same results (for checking)");
  sub->add_option("-j,--jobs", o->batch.jobs, "a batch's runs at once [the host's cores]");
  sub->add_option("--shard", o->batch.shard, "a batch's i-th of n slices: i/n");
  sub->add_flag("--retry-failed", o->batch.retry_failed, "a resumed batch runs its failed runs "
                                                         "again");
  add_writer_options(*sub, o->writer_values);
  add_profile_option(*sub, o->profile);
  return {sub, [sub, o] {
            o->limits.lookahead = !o->no_lookahead;
            export_profile(o->profile);
            bool batch = o->files.size() > 1 || std::filesystem::is_directory(o->files[0]);
            return batch ? run_batch(*sub, *o) : run_one(*sub, *o);
          }};
}

}  // namespace gilsim::cli
