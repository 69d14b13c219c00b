// gilsim sweep: run a scenario over the cartesian product of grids, each point its own gilsim
// process, results appended point by point (resumable, shardable: sim/batch/sweep.hpp).
#include "models/core/error.hpp"
#include "sim/cli/command.hpp"

#include <filesystem>

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
  std::string slurm;  // empty: run here; N: a Slurm job array of N shards
  std::vector<std::string> sbatch_args;
  bool wait = false;
};

// What every task of a Slurm array passes to gilsim sweep: this command's own arguments, with
// the paths made absolute (a task starts in another directory, maybe on another host).
sweep::slurm_request slurm_request(const sweep_options& o)
{
  namespace fs = std::filesystem;
  sweep::slurm_request r;
  r.tasks = static_cast<int>(count_arg("--slurm", o.slurm, 1, 100000));
  if (o.batch.shard != "1/1")
    fail_input({"--shard"}, "", "--slurm makes the shards itself (task i runs --shard i/N)");
  r.sweep_args = {fs::absolute(o.file).string()};
  for (const auto& g : o.grids)
    r.sweep_args.insert(r.sweep_args.end(), {"--grid", g});
  if (!o.seeds.empty())
    r.sweep_args.insert(r.sweep_args.end(), {"--seeds", o.seeds});
  for (const auto& s : o.overrides)
    r.sweep_args.insert(r.sweep_args.end(), {"--set", s});
  const auto limits = o.limits.args();
  r.sweep_args.insert(r.sweep_args.end(), limits.begin(), limits.end());
  if (!o.profile.empty())
    r.sweep_args.insert(r.sweep_args.end(), {"--profile", fs::absolute(o.profile).string()});
  if (o.batch.retry_failed)
    r.sweep_args.push_back("--retry-failed");
  r.jobs = o.batch.jobs;
  r.sbatch_args = o.sbatch_args;
  r.wait = o.wait;
  return r;
}

int run_sweep(const sweep_options& o)
{
  if (o.slurm.empty() && (o.wait || !o.sbatch_args.empty()))
    fail_input({o.wait ? "--wait" : "--sbatch"}, "", "goes with --slurm N");
  export_profile(o.profile);
  const auto opt = batch_options(o.batch);
  o.limits.limits();  // checked here once rather than by every point
  const int seeds = o.seeds.empty() ? 0 : static_cast<int>(count_arg("--seeds", o.seeds, 1,
                                                                     1'000'000));
  std::vector<sweep::axis> axes;
  for (const auto& g : o.grids)
    axes.push_back(sweep::parse_grid(g));
  const auto points = sweep::sweep_plan(o.file, axes, seeds, o.overrides, o.limits.args());
  if (!o.slurm.empty())
    return sweep::submit_to_slurm(points, opt, slurm_request(o));
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
  add_text_option(*sub, "--slurm", o->slurm, "submit the sweep to Slurm as a job array of N "
                                             "shards and a merge job after it (docs/batch.md)");
  sub->add_option("--sbatch", o->sbatch_args, "with --slurm: an option for both sbatch calls, "
                                              "written --sbatch=OPTION[=VALUE] (repeatable)");
  sub->add_flag("--wait", o->wait, "with --slurm: wait for the merge job; exit 0 when every "
                                   "point is in and ok, 1 otherwise");
  add_profile_option(*sub, o->profile);
  return {sub, [o] { return run_sweep(*o); }};
}

}  // namespace gilsim::cli
