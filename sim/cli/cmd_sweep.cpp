// gilsim sweep: run a scenario over the cartesian product of grids, each point its own gilsim
// process, results appended point by point (resumable, shardable: sim/batch/sweep.hpp).
#include "sim/cli/command.hpp"

namespace gilsim::cli {

namespace {

struct sweep_options {
  std::string file;
  std::vector<std::string> grids;
  std::string seeds;  // empty: the scenario's seed
  std::vector<std::string> overrides;
  batch_flags batch;
  limit_flags limits;
  std::string profile;
};

int run_sweep(const sweep_options& o)
{
  export_profile(o.profile);
  const auto opt = batch_options(o.batch);
  o.limits.limits();  // checked here once rather than by every point
  const int seeds = o.seeds.empty() ? 0 : static_cast<int>(count_arg("--seeds", o.seeds, 1,
                                                                     1'000'000));
  std::vector<sweep::axis> axes;
  for (const auto& g : o.grids)
    axes.push_back(sweep::parse_grid(g));
  const auto points = sweep::sweep_plan(o.file, axes, seeds, o.overrides, o.limits.args());
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
  add_text_option(*sub, "--seeds", o->seeds, "run every point with the seeds 1..K");
  sub->add_option("--set", o->overrides, "a fixed override for every point (repeatable)");
  add_text_option(*sub, "-j,--jobs", o->batch.jobs, "points run at once [the host's cores]");
  sub->add_option("--out", o->batch.out_dir, "the result directory [sweep-out]");
  sub->add_option("--shard", o->batch.shard, "run only the i-th of n slices: i/n");
  sub->add_flag("--json", o->batch.json, "progress events as JSON lines on stdout");
  sub->add_flag("--retry-failed", o->batch.retry_failed, "a resumed sweep runs its failed "
                                                         "points again");
  o->limits.add(*sub, "passed to every point", "passed to every point: 2s, 500ms");
  add_exec_flag(*sub, o->batch.exec);
  add_profile_option(*sub, o->profile);
  return {sub, [o] { return run_sweep(*o); }};
}

}  // namespace gilsim::cli
