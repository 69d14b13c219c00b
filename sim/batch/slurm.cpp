// gilsim sweep --slurm N (sweep.hpp): the sweep as a Slurm job array of N shards and a merge job
// after it. Both are written as batch scripts into OUT/slurm/ and given to sbatch; running the
// same command again finds from the result files which tasks have points left, and resubmits
// those only (a failed, timed-out or pre-empted task resumes from its own points).
#include "models/core/error.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/batch/sweep_detail.hpp"
#include "sim/out/writer.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace gilsim::sweep {
namespace {

namespace fs = std::filesystem;

std::string shell_quoted(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The program `name` as the shell would find it on PATH; empty when it is not there.
std::string on_path(const std::string& name)
{
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t b = 0; b <= dirs.size();) {
    size_t e = std::min(dirs.find(':', b), dirs.size());
    const fs::path candidate =
        fs::path(dirs.substr(b, e - b).empty() ? "." : dirs.substr(b, e - b)) / name;
    if (::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
    b = e + 1;
  }
  return {};
}

fs::path shard_dir(const fs::path& out, int task)
{
  return out / "shards" / std::to_string(task);
}

// The tasks (1-based) that still have points to run: a point is done when the merged directory
// or its shard's holds its record (a failed one counts unless `retry_failed`). A shard's
// directory made by another sweep stops the submission.
std::vector<int> unfinished_tasks(const plan& p, const fs::path& out, int tasks, bool retry_failed)
{
  const long n = static_cast<long>(p.points.size());
  std::vector<bool> done(p.points.size());
  const auto mark = [&](const fs::path& dir) {
    for (const auto& r : detail::read_records(dir / "points.jsonl").records) {
      const long id = r.value("point", -1L);
      if (id >= 0 && id < n && (r.value("status", "") == "ok" || !retry_failed))
        done[id] = true;
    }
  };
  mark(out);
  std::error_code ec;
  for (int i = 1; i <= tasks; ++i) {
    const fs::path dir = shard_dir(out, i);
    if (!fs::exists(dir / "sweep.json", ec))
      continue;
    if (auto diff = detail::manifest_difference(detail::read_manifest(dir), p.manifest))
      fail_input({dir.string()}, "",
                 fmt::format("made by a different sweep ({}); remove {} to start over", *diff,
                             (out / "shards").string()));
    mark(dir);
  }
  std::vector<int> left;
  for (int i = 1; i <= tasks; ++i)
    for (long id = i - 1; id < n; id += tasks)
      if (!done[id]) {
        left.push_back(i);
        break;
      }
  return left;
}

// "1-3,5,7-8": Slurm's --array list of these ascending task ids.
std::string array_spec(const std::vector<int>& ids)
{
  std::string spec;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1)
      ++j;
    if (!spec.empty())
      spec += ',';
    spec += j == i ? fmt::format("{}", ids[i]) : fmt::format("{}-{}", ids[i], ids[j]);
    i = j + 1;
  }
  return spec;
}

void write_script(const fs::path& path, const std::string& text)
{
  write_file_whole(path, text);
  ::chmod(path.c_str(), 0755);
}

// OUT/slurm/sweep.sh: task I of the array runs shard I/N into OUT/shards/I.
std::string task_script(const slurm_request& r, const std::string& exe, const fs::path& out)
{
  std::vector<std::string> words = {shell_quoted(exe), "sweep"};
  for (const auto& a : r.sweep_args)
    words.push_back(shell_quoted(a));
  words.push_back(fmt::format("--shard \"$SLURM_ARRAY_TASK_ID/{}\"", r.tasks));
  words.push_back(r.jobs.empty() ? std::string("-j \"${SLURM_CPUS_PER_TASK:-1}\"")
                                 : fmt::format("-j {}", shell_quoted(r.jobs)));
  words.push_back(fmt::format("--out {}\"$SLURM_ARRAY_TASK_ID\"",
                              shell_quoted((out / "shards").string() + "/")));
  const std::string cmd = fmt::format("{}", fmt::join(words, " "));
  return fmt::format(
      "#!/bin/bash\n"
      "# A gilsim sweep as a Slurm job array, written by `gilsim sweep --slurm {0}`.\n"
      "# Task I runs shard I/{0} into {1}/shards/I;\n"
      "# merge.sh then joins the shards into {1}.\n"
      "# Run that gilsim command again to resubmit the tasks that have points left.\n"
      "#SBATCH --job-name=gilsim-sweep\n"
      "#SBATCH --array=1-{0}\n"
      "#SBATCH --output={1}/slurm/task-%a.log\n"
      "#SBATCH --open-mode=append\n"
      "exec {2}\n",
      r.tasks, out.string(), cmd);
}

// OUT/slurm/merge.sh: gilsim merge of the shards that have begun (a sweep.json) into OUT.
std::string merge_script(const std::string& exe, const fs::path& out)
{
  const std::string q = shell_quoted(out.string());
  return fmt::format(
      "#!/bin/bash\n"
      "# Joins the shards of sweep.sh into {0} (gilsim merge), once the array "
      "has ended.\n"
      "#SBATCH --job-name=gilsim-merge\n"
      "#SBATCH --output={0}/slurm/merge.log\n"
      "#SBATCH --open-mode=append\n"
      "shards=()\n"
      "for d in {1}/shards/*; do [ -f \"$d/sweep.json\" ] && shards+=(\"$d\"); done\n"
      "exec {2} merge {1} \"${{shards[@]}}\" --out {1}\n",
      out.string(), q, shell_quoted(exe));
}

// Runs sbatch with these arguments; returns its result, or throws with its message.
detail::process_result sbatch(const std::string& program, const std::vector<std::string>& args,
                              bool may_fail)
{
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  detail::process_pool pool(1);
  pool.start(0, argv);
  auto res = pool.wait_one();
  if (!res)
    throw std::runtime_error("interrupted while sbatch ran");
  if (res->exit_code != 0 && !(may_fail && res->term_signal == 0))
    throw std::runtime_error(
        fmt::format("sbatch {} failed ({}): {}", fmt::join(args, " "),
                    res->term_signal ? "killed" : std::to_string(res->exit_code), res->err));
  return *res;
}

// The job id sbatch --parsable prints ("12" or "12;cluster").
std::string job_id(const detail::process_result& res)
{
  std::string id = res.out.substr(0, res.out.find_first_of(";\n"));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error(fmt::format("sbatch printed no job id: '{}'", res.out));
  return id;
}

// The last line of a file, to show what a job said.
std::string last_line(const fs::path& path)
{
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty())
      last = line;
  return last;
}

int merge_here(const fs::path& out, int tasks)
{
  std::vector<std::string> dirs = {out.string()};
  std::error_code ec;
  for (int i = 1; i <= tasks; ++i)
    if (fs::exists(shard_dir(out, i) / "sweep.json", ec))
      dirs.push_back(shard_dir(out, i).string());
  return merge(dirs, out.string());
}

// What was submitted (and, with --wait, how the merge ended): on stderr, and as JSON events on
// stdout with --json.
void report_submission(const options& o, const slurm_request& r, const fs::path& out,
                       const std::string& array_job, const std::string& tasks,
                       const std::string& merge_job, int merge_code)
{
  using json = nlohmann::ordered_json;
  if (o.json_events)
    fmt::print("{}\n", detail::json_text(json{{"event", "submitted"},
                                               {"array_job", array_job},
                                               {"tasks", tasks},
                                               {"merge_job", merge_job},
                                               {"out", out.string()}}));
  if (!r.wait) {
    fmt::print(stderr,
               "gilsim: merge job {}: the results are in {} once it ends; if a task fails or is "
               "pre-empted, run the same command again\n",
               merge_job, out.string());
    return;
  }
  if (o.json_events)
    fmt::print("{}\n", detail::json_text(json{{"event", "done"},
                                               {"merge_job", merge_job},
                                               {"exit_code", merge_code},
                                               {"out", out.string()}}));
  if (merge_code == 0)
    fmt::print(stderr, "gilsim: merge job {} ended: every point is in {}\n", merge_job,
               out.string());
  else
    fmt::print(stderr,
               "gilsim: merge job {} ended with {}: {}; run the same command again to resubmit "
               "the tasks with points left\n",
               merge_job, merge_code, last_line(out / "slurm" / "merge.log"));
}

}  // namespace

int submit_to_slurm(const plan& p, const options& o, const slurm_request& r)
{
  const std::string program = on_path("sbatch");
  if (program.empty())
    fail_input({"--slurm"}, "", "sbatch is not on PATH (Debian's slurm-client has it)");
  const fs::path out = fs::absolute(o.out_dir).lexically_normal();
  std::error_code ec;
  fs::create_directories(out / "slurm", ec);
  if (ec)
    throw output_error(fmt::format("cannot write into {}: {}", out.string(), ec.message()));
  detail::claim_directory(out, p.manifest);
  const std::vector<int> left = unfinished_tasks(p, out, r.tasks, o.retry_failed);
  if (left.empty()) {
    fmt::print(stderr, "gilsim: every task of the sweep has run; merging its shards into {}\n",
               out.string());
    return merge_here(out, r.tasks);
  }
  const std::string exe = fs::read_symlink(o.exe).string();
  write_script(out / "slurm" / "sweep.sh", task_script(r, exe, out));
  write_script(out / "slurm" / "merge.sh", merge_script(exe, out));

  std::vector<std::string> args = {"--parsable", "--array=" + array_spec(left)};
  args.insert(args.end(), r.sbatch_args.begin(), r.sbatch_args.end());
  args.push_back((out / "slurm" / "sweep.sh").string());
  const std::string array_job = job_id(sbatch(program, args, false));

  args = {"--parsable", "--dependency=afterany:" + array_job};
  args.insert(args.end(), r.sbatch_args.begin(), r.sbatch_args.end());
  if (r.wait)
    args.push_back("--wait");
  args.push_back((out / "slurm" / "merge.sh").string());
  fmt::print(stderr,
             "gilsim: Slurm job {} runs task{} {} of {} (logs in {}/slurm/task-I.log); the merge "
             "into {} follows it{}\n",
             array_job, left.size() == 1 ? "" : "s", array_spec(left), r.tasks, out.string(),
             out.string(), r.wait ? ": waiting for it" : "");
  const auto merged = sbatch(program, args, r.wait);
  report_submission(o, r, out, array_job, array_spec(left), job_id(merged), merged.exit_code);
  return !r.wait || merged.exit_code == 0 ? 0 : 1;
}

}  // namespace gilsim::sweep
