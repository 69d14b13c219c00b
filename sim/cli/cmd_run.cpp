// gilsim run: load a scenario, run it, report through the writers its options select (the
// summary table when none takes the console). Several scenarios, or a directory of them, run as
// a batch: each its own gilsim process, results gathered into --out DIR as a sweep's are.
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"
#include "sim/cli/interrupt.hpp"
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
  std::string seed;  // empty: the scenario's
  batch_flags batch;  // its --out and --json are a single run's too
  limit_flags limits;
  std::string profile;
  std::map<std::string, std::string> writer_values;  // by option, for the writers' own options
};

int run_one(const CLI::App& sub, run_options& o)
{
  if (sub.count("--jobs") || sub.count("--shard") || o.batch.retry_failed)
    fail_input({"run"}, "",
               "-j, --shard and --retry-failed are for several scenarios or a directory");
  take_interrupts();
  const run_limits limits = o.limits.limits();
  if (!o.seed.empty())
    o.overrides.push_back("seed=" + std::to_string(seed_arg(o.seed)));
  const scenario sc = load_scenario(o.files[0], o.overrides, o.profile);

  // Every output is checked before the run, so that none is lost after it.
  const auto outputs = choose_writers(given_on(sub));
  check_outputs(outputs);
  run_trace trace;
  std::vector<run_observer*> listeners;
  if (any_needs_trace(outputs))
    listeners.push_back(&trace);
  const run_report r = simulate(sc, limits, listeners);

  write_outputs(outputs, {r, trace}, std::cout);
  if (r.status != "ok") {
    std::cerr << "gilsim: " << r.message << "\n";
    return 1;
  }
  return 0;
}

int run_batch(const run_options& o)
{
  o.limits.limits();  // checked here once rather than by every run
  auto extra = o.limits.args();
  if (!o.seed.empty())
    extra.insert(extra.end(), {"--seed", std::to_string(seed_arg(o.seed))});
  const auto opt = batch_options(o.batch);
  return sweep::run(sweep::batch_plan(o.files, o.overrides, extra), opt);
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
  add_text_option(*sub, "--seed", o->seed, "the random seed, 0 to 18446744073709551615 (overrides "
                                     "the scenario's)");
  sub->add_option("--out", o->batch.out_dir, "write report.json and threads.csv into this "
                                             "directory; for a batch, results.csv and "
                                             "points.jsonl [sweep-out]");
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
  add_writer_options(*sub, o->writer_values);
  add_exec_flag(*sub, o->batch.exec);
  add_profile_option(*sub, o->profile);
  return {sub, [sub, o] {
            export_profile(o->profile);
            bool batch = o->files.size() > 1 || std::filesystem::is_directory(o->files[0]);
            return batch ? run_batch(*o) : run_one(*sub, *o);
          }};
}

}  // namespace gilsim::cli
