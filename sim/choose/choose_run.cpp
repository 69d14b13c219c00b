// gilsim choose's run: the workload checked where it was written, each point written out as a
// scenario (the workload file with the point's keys set) and run by the batch machinery, one
// gilsim process per point, in two rounds per core count, each its own resumable directory.
#include "sim/choose/choose_run.hpp"

#include "models/core/error.hpp"
#include "sim/batch/sweep_detail.hpp"
#include "sim/load/loader.hpp"
#include "sim/load/yaml_check.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <map>

namespace gilsim::choose {
namespace {

namespace fs = std::filesystem;

// What a workload may say under choose: the work, not how to run it.
const std::vector<std::string> workload_keys = {"items", "arrivals", "per_item",
                                                "per_item_overhead"};

std::string file_text(const std::string& file)
{
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    fail_input({file}, "", "no such workload file");
  return sweep::detail::read_text(file);
}

// What the workload and its machine are, read once with the sync model.
struct workload_facts {
  std::uint64_t items = 1;
  int cores = 1;
  bool free_threaded = false;
  python_costs python;
  bool measured = false;  // an interpreter's measured costs: thread starts are simulated
  bool requests = false;  // arrivals: the items are requests arriving over time
};

workload_facts facts_of(const std::string& file, const std::string& profile)
{
  const scenario sc = load_scenario(file, {"workload.model=sync"}, profile);
  workload_facts f;
  const workload_spec& w = *sc.workload;
  f.items = w.last - w.first + 1;
  f.cores = sc.machine.cores;
  f.python = w.python;
  f.measured = !w.python.interpreter.empty();
  f.requests = w.arrivals.has_value();
  // gil: none as a what-if with the built-in figures, or for a free-threaded build ("3.13t");
  // not beside a GIL the workload already leaves out.
  const std::string& name = w.python.interpreter;
  f.free_threaded = w.gil.name != "none" && (name.empty() || name.back() == 't');
  return f;
}

// Sets key.path (maps only, made where missing) in a copy of the workload's tree.
void set_path(YAML::Node root, const std::string& path, const std::string& value)
{
  YAML::Node node = root;
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = path.find('.', begin);
    const std::string key = path.substr(begin, dot == std::string::npos ? dot : dot - begin);
    if (dot == std::string::npos) {
      node[key] = YAML::Load(value);
      return;
    }
    if (!node[key].IsMap())
      node[key] = YAML::Node(YAML::NodeType::Map);
    node.reset(node[key]);
    begin = dot + 1;
  }
}

std::string scenario_text(const YAML::Node& workload, const candidate& c, int cores)
{
  YAML::Node root = YAML::Clone(workload);
  set_path(root, "machine.cores", std::to_string(cores));
  for (const auto& [key, value] : c.sets)
    set_path(root, key, value);
  YAML::Emitter out;
  out << root;
  return fmt::format("# gilsim choose: {}\n{}\n", c.label(), out.c_str());
}

// The CPU an approach spends starting its workers (docs/choose.md): each process's start by
// its method and the parent's share, each thread's start where the interpreter's costs say.
// The value the candidate sets at `key` ("" when it sets none).
std::string set_at(const candidate& c, const std::string& key)
{
  const auto it = std::find_if(c.sets.begin(), c.sets.end(),
                               [&](const auto& s) { return s.first == key; });
  return it == c.sets.end() ? "" : it->second;
}

double startup_of(const candidate& c, const workload_facts& f)
{
  if (const std::string method = set_at(c, "workload.start_method"); !method.empty()) {
    const double child = method == "fork"    ? f.python.fork_start
                         : method == "spawn" ? f.python.spawn_start
                                             : f.python.forkserver_start;
    // processes' parent_start, and the threads a process of threads starts
    const double threads = set_at(c, "workload.inner") == "threads" && f.measured
                               ? c.per_worker * f.python.thread_start
                               : 0;
    return c.workers * (child + 0.2e-3 + threads);
  }
  const bool threads = c.approach.rfind("threads", 0) == 0 ||
                       c.approach.rfind("ThreadPoolExecutor", 0) == 0;
  return threads && f.measured ? c.workers * f.python.thread_start : 0;
}

// A batch stopped by a signal: choose stops too, with its exit code.
struct interrupted {
  int code;
};

struct round_result {
  std::vector<row> rows;     // the points that ran, in candidate order
  std::vector<double> makespans;  // the goal's score per candidate, -1 where it failed or was refused
  int failed = 0;   // ran but did not finish
  int refused = 0;  // the model cannot run the workload so
  int code = 0;
};

// Writes the candidates' scenarios into dir/scenarios, drops those the models refuse (with the
// reason on stderr), runs the rest as a batch in dir/name and reads their reports back.
round_result run_round(const options& o, const YAML::Node& workload,
                       int cores, const std::vector<candidate>& cands, const fs::path& dir,
                       const std::string& name)
{
  round_result r;
  r.makespans.assign(cands.size(), -1);
  fs::create_directories(dir / "scenarios");
  std::vector<std::string> files;
  std::map<std::string, std::size_t> by_file;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const fs::path path = dir / "scenarios" / (cands[i].label() + ".yaml");
    write_file_whole(path, scenario_text(workload, cands[i], cores));
    try {
      load_scenario(path.string(), {}, o.profile);
    } catch (const input_error& e) {
      fmt::print(stderr, "gilsim choose: {} left out: {}\n", cands[i].label(), e.message());
      ++r.refused;
      continue;
    }
    files.push_back(path.string());
    by_file[path.string()] = i;
  }
  if (files.empty())
    return r;
  sweep::options opt = o.batch;
  opt.out_dir = (dir / name).string();
  r.code = sweep::run(sweep::batch_plan(files, {}, {}), opt);
  if (r.code >= 128)  // interrupted: the same command resumes where it stopped
    throw interrupted{r.code};
  for (auto& rec : sweep::detail::read_records(dir / name / "points.jsonl").records) {
    const std::string file = rec["params"].value("scenario", std::string());
    auto it = by_file.find(file);
    if (it == by_file.end())
      continue;
    if (rec["status"] != "ok" || !rec.contains("report")) {
      ++r.failed;
      continue;
    }
    const candidate& c = cands[it->second];
    const nlohmann::json report = nlohmann::json::parse(rec["report"].dump());
    row w{c, figures_of(report, set_at(c, "workload.model") == "asyncio" ||
                                     set_at(c, "workload.inner") == "asyncio"), 0, file};
    r.makespans[it->second] = score(o.by, w.f);
    r.rows.push_back(std::move(w));
  }
  std::sort(r.rows.begin(), r.rows.end(), [&](const row& a, const row& b) {
    return by_file[a.scenario] < by_file[b.scenario];
  });
  return r;
}

// By the goal's score, then the makespan, then the CPU used, then the name.
bool better(goal by, const row& a, const row& b)
{
  const std::array ka{score(by, a.f), a.f.makespan, a.f.cpu};
  const std::array kb{score(by, b.f), b.f.makespan, b.f.cpu};
  if (ka != kb)
    return ka < kb;
  return a.c.label() < b.c.label();
}

ranking rank_one(const options& o, const YAML::Node& workload, const workload_facts& f, int cores)
{
  const fs::path dir = fs::path(o.batch.out_dir) / fmt::format("cores-{}", cores);
  search_space s{f.items, cores, f.free_threaded, o.max_workers};
  const auto first = first_round(s);
  // The sync point's CPU is the work itself, which every other point's CPU is measured
  // against.
  round_result one = run_round(o, workload, cores, first, dir, "round-1");
  double sync_cpu = 0, sync_makespan = 0;
  for (const auto& w : one.rows)
    if (w.c.approach == "sync") {
      sync_cpu = w.f.cpu;
      sync_makespan = w.f.makespan;
    }
  if (sync_makespan <= 0)
    throw simulation_error(fmt::format("the sync run of {} on {} cores did not finish; see {}",
                                       o.file, cores, (dir / "round-1" / "results.csv").string()));
  const auto second = second_round(s, first, one.makespans);
  round_result two = run_round(o, workload, cores, second, dir, "round-2");
  ranking r;
  r.cores = cores;
  r.requests = f.requests;
  r.failed = one.failed + two.failed;
  r.refused = one.refused + two.refused;
  for (auto* part : {&one, &two})
    for (auto& w : part->rows) {
      split_cpu(w.f, sync_cpu, startup_of(w.c, f));
      w.speedup = sync_makespan / w.f.makespan;
      r.points.push_back(w);
    }
  std::map<std::string, row> best;
  for (const auto& w : r.points) {
    auto it = best.find(w.c.approach);
    if (it == best.end() || better(o.by, w, it->second))
      best.insert_or_assign(w.c.approach, w);
  }
  for (auto& [name, w] : best)
    r.ranked.push_back(w);
  std::sort(r.ranked.begin(), r.ranked.end(),
            [&](const row& a, const row& b) { return better(o.by, a, b); });
  return r;
}

}  // namespace

double goal_figure(goal by, const figures& f)
{
  switch (by) {
  case goal::cpu: return f.cpu;
  case goal::p99: return f.latency_p99;
  case goal::throughput: return f.throughput;
  case goal::makespan: break;
  }
  return f.makespan;
}

double score(goal by, const figures& f)
{
  const double v = goal_figure(by, f);
  if (by != goal::throughput)
    return v;
  return v > 0 ? 1 / v : std::numeric_limits<double>::infinity();
}

void check_workload(const std::string& file, const std::string& profile)
{
  // The file as the loader reads it, so that a YAML mistake is reported as `run` reports it.
  const YAML::Node root = detail::parse_yaml(file_text(file), file);
  detail::yaml_sources src(file);
  detail::expand_merge_keys(root, src);
  const detail::field top{&src, root, "", root};
  if (!root.IsMap() || !root["workload"])
    fail_input({file, 1, 1}, "workload",
               "choose needs a workload: {items: ..., per_item: [...]} to try every way of "
               "running it");
  const detail::map_view top_map(top, "a scenario map");
  const detail::map_view w(top_map.value("workload"), "a map like {items: ..., per_item: [...]}");
  for (const auto& e : w.entries()) {
    const std::string key = e.key.node.as<std::string>();
    if (std::find(workload_keys.begin(), workload_keys.end(), key) != workload_keys.end())
      continue;
    if (key == "model")
      e.key.fail("choose tries every execution model itself; remove `model` (and the model's "
                 "parameters) from the workload");
    const std::string near = detail::hint(key, workload_keys, "");
    if (near.rfind(" did you mean", 0) == 0)
      e.key.fail(fmt::format("unknown key '{}';{}", key, near));
    e.key.fail(fmt::format("choose searches '{}' itself (or it belongs to one model); a workload "
                           "for choose gives only items, per_item and per_item_overhead",
                           key));
  }
  facts_of(file, profile);  // every other mistake, as `gilsim run` would report it
}

int run(const options& o, std::vector<ranking>& out)
{
  check_workload(o.file, o.profile);
  const workload_facts f = facts_of(o.file, o.profile);
  const YAML::Node workload = detail::parse_yaml(file_text(o.file), o.file);
  detail::expand_merge_keys(workload, detail::yaml_sources(o.file));
  const std::vector<int> cores = o.cores.empty() ? std::vector<int>{f.cores} : o.cores;
  int code = 0;
  try {
    for (int c : cores) {
      out.push_back(rank_one(o, workload, f, c));
      if (out.back().failed > 0)
        code = 1;
    }
  } catch (const interrupted& i) {
    return i.code;
  }
  write_file_whole(fs::path(o.batch.out_dir) / "choose.csv", table_csv(out));
  return code;
}

}  // namespace gilsim::choose
