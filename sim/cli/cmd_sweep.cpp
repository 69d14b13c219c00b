// gilsim sweep: run a scenario over the cartesian product of grids, each point its own gilsim
// process, results appended point by point (resumable, shardable: sim/batch/sweep.hpp).
#include "sim/cli/command.hpp"

namespace gilsim::cli {

namespace {

struct sweep_options {
  std::string file;
  std::vector<std::string> grids;
  int seeds = 0;
  std::vector<std::string> overrides;
  batch_flags batch;
  run_limits limits;
  std::string profile;
};

int run_sweep(const CLI::App& sub, const sweep_options& o)
{
  export_profile(o.profile);
  const auto opt = batch_options(o.batch);
  std::vector<sweep::axis> axes;
  for (const auto& g : o.grids)
    axes.push_back(sweep::parse_grid(g));
  const auto points = sweep::sweep_plan(o.file, axes, o.seeds, o.overrides,
                                        limit_args(sub, o.limits));
  return sweep::run(points, opt);
}

}  // namespace

command add_sweep(CLI::App& app)
{
  auto o = std::make_shared<sweep_options>();
  auto* sub = app.add_subcommand("sweep", "run a scenario over the cartesian product of grids, "
                                          "each point its own process, resumably");
  sub->add_option("scenario", o->file, "the scenario (YAML)")->required();
  sub->add_option("--grid", o->grids, "key.path=v1,v2,... or a range a..b, a..b:+s, a..b:xk; "
                                      "the first --grid varies slowest (repeatable)")
      ->required();
  sub->add_option("--seeds", o->seeds, "run every point with the seeds 1..K");
  sub->add_option("--set", o->overrides, "a fixed override for every point (repeatable)");
  sub->add_option("-j,--jobs", o->batch.jobs, "points run at once [the host's cores]");
  sub->add_option("--out", o->batch.out_dir, "the result directory [sweep-out]");
  sub->add_option("--shard", o->batch.shard, "run only the i-th of n slices: i/n");
  sub->add_flag("--json", o->batch.json, "progress events as JSON lines on stdout");
  sub->add_flag("--retry-failed", o->batch.retry_failed, "a resumed sweep runs its failed "
                                                         "points again");
  sub->add_option("--max-events", o->limits.max_events, "passed to every point");
  sub->add_option("--max-time", o->limits.max_time, "passed to every point (s)");
  add_profile_option(*sub, o->profile);
  return {sub, [sub, o] { return run_sweep(*sub, *o); }};
}

}  // namespace gilsim::cli
