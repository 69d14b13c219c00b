// gilsim choose: simulate every reasonable way to run a workload (sync, asyncio, threads,
// processes, pools, free-threaded) and rank them, with the cost that dominates each
// (sim/choose, docs/choose.md).
#include "sim/choose/choose_run.hpp"
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <iostream>

namespace gilsim::cli {

namespace {

struct choose_flags {
  choose::options o;
  std::string goal = "makespan";
  std::string cores;
  std::string max_workers;
  batch_flags batch;
};

choose::goal goal_arg(const std::string& text)
{
  if (text == "makespan")
    return choose::goal::makespan;
  if (text == "cpu")
    return choose::goal::cpu;
  if (text == "p99")
    return choose::goal::p99;
  if (text == "throughput")
    return choose::goal::throughput;
  fail_input({fmt::format("--goal {}", text)}, "", "expected makespan, cpu, p99 or throughput");
}

std::vector<int> cores_arg(const std::string& text)
{
  std::vector<int> cores;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = text.find(',', begin);
    const std::string item = text.substr(begin, comma == std::string::npos ? comma : comma - begin);
    cores.push_back(int(count_arg("--cores", item, 1, 4096)));
    if (comma == std::string::npos)
      break;
    begin = comma + 1;
  }
  return cores;
}

int run_choose(choose_flags& f)
{
  if (f.batch.out_dir.empty())
    f.batch.out_dir = "choose-out";
  export_profile(f.o.profile);
  f.o.by = goal_arg(f.goal);
  if (!f.cores.empty())
    f.o.cores = cores_arg(f.cores);
  if (!f.max_workers.empty())
    f.o.max_workers = int(count_arg("--max-workers", f.max_workers, 1, 4096));
  f.o.batch = batch_options(f.batch);
  std::vector<choose::ranking> rankings;
  const int code = choose::run(f.o, rankings);
  if (code >= 128)
    return code;  // interrupted: nothing to rank yet
  std::cout << (f.o.json ? choose::table_json(f.o, rankings) : choose::table_text(f.o, rankings));
  if (!f.o.html.empty())
    write_file_whole(f.o.html, choose::table_html(f.o, rankings));
  return code;
}

}  // namespace

command add_choose(CLI::App& app)
{
  auto f = std::make_shared<choose_flags>();
  auto* sub = app.add_subcommand("choose", "simulate every way to run a workload (sync, asyncio, "
                                           "threads, processes, pools) and rank them");
  sub->add_option("workload", f->o.file, "a scenario with a workload: and no model")->required();
  add_text_option(*sub, "--goal", f->goal, "rank by makespan, cpu, p99 (the requests' 99th percentile latency) or throughput "
                  "[makespan]");
  add_text_option(*sub, "--cores", f->cores,
                  "one ranking per core count: 1,2,8,64 [the workload's machine]");
  add_text_option(*sub, "--max-workers", f->max_workers,
                  "threads and processes are searched over 1..N workers [64]");
  add_text_option(*sub, "-j,--jobs", f->batch.jobs, "points run at once [the host's cores]");
  sub->add_option("--out", f->batch.out_dir,
                  "the result directory: the points' scenarios and results, choose.csv "
                  "[choose-out]");
  sub->add_flag("--json", f->o.json, "the rankings as JSON on stdout");
  sub->add_option("--html", f->o.html,
                  "also write one self-contained HTML page: the rankings and a plot of the "
                  "goal against workers per approach");
  sub->add_flag("--retry-failed", f->batch.retry_failed, "a resumed search runs its failed "
                                                         "points again");
  add_exec_flag(*sub, f->batch.exec);
  add_profile_option(*sub, f->o.profile);
  return {sub, [f] { return run_choose(*f); }};
}

}  // namespace gilsim::cli
