// Running a plan: the result directory (manifest, resume, repair), the loop that keeps N point
// processes busy and appends each finished point, progress on stderr or as JSON lines; and merge.
#include "models/core/error.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/batch/sweep_detail.hpp"
#include "sim/out/writer.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <sys/file.h>
#include <thread>
#include <utility>
#include <unistd.h>

namespace gilsim::sweep {

namespace {

namespace fs = std::filesystem;
using detail::record;

using detail::fd_closer;
using detail::lock_directory;
using detail::open_append;

}  // namespace

nlohmann::ordered_json detail::read_manifest(const fs::path& dir)
{
  auto path = dir / "sweep.json";
  std::error_code ec;
  if (!fs::exists(path, ec))
    fail_input({dir.string()}, "",
               "no sweep.json here: not a directory made by gilsim sweep or run");
  auto m = nlohmann::ordered_json::parse(detail::read_text(path), nullptr, false);
  if (!m.is_object() || !m.contains("gilsim_sweep"))
    fail_input({path.string()}, "", "not a gilsim sweep manifest");
  return m;
}

// Creates the manifest of a new directory, or checks that an existing one describes this plan.
void detail::claim_directory(const fs::path& dir, const nlohmann::ordered_json& manifest)
{
  std::error_code ec;
  if (fs::exists(dir / "sweep.json", ec)) {
    if (auto diff = detail::manifest_difference(read_manifest(dir), manifest))
      fail_input({dir.string()}, "",
                 fmt::format("made by a different sweep ({}); use another --out, or remove the "
                             "directory to start over",
                             *diff));
    return;
  }
  if (fs::exists(dir / "results.csv", ec) || fs::exists(dir / "points.jsonl", ec))
    fail_input({dir.string()}, "", "has results but no sweep.json; use another --out");
  write_file_whole(dir / "sweep.json", detail::json_text(manifest, 2) + "\n");
}

namespace {

using detail::claim_directory;
using detail::read_manifest;

// The records already in the directory that still count, after checking each against the plan.
std::vector<record> existing_records(const fs::path& dir, const plan& p, bool retry_failed,
                                     bool& rewrite)
{
  auto file = dir / "points.jsonl";
  auto rf = detail::read_records(file);
  rewrite = rf.dropped > 0;
  if (rf.dropped > 0)
    fmt::print(stderr, "gilsim: {}: {} unreadable line(s) dropped; those points run again\n",
               file.string(), rf.dropped);
  std::vector<bool> seen(p.points.size());
  std::vector<record> kept;
  for (auto& r : rf.records) {
    long id = r["point"].get<long>();
    if (id < 0 || id >= static_cast<long>(p.points.size()))
      fail_input({file.string()}, "", fmt::format("point {} is not in this sweep", id));
    const point& pt = p.points[id];
    bool same = r["params"].size() == p.columns.size();
    for (std::size_t i = 0; same && i < p.columns.size(); ++i)
      same = r["params"].value(p.columns[i], std::string()) == pt.values[i];
    if (same && pt.seed)
      same = r.value("seed", nlohmann::ordered_json()) == *pt.seed;
    if (!same)
      fail_input({file.string()}, "",
                 fmt::format("point {} has other parameters than this sweep's point {}", id, id));
    bool failed = r["status"] != "ok";
    if (seen[id] || (failed && retry_failed)) {
      rewrite = true;
      continue;
    }
    seen[id] = true;
    kept.push_back(std::move(r));
  }
  return kept;
}

// Stages points.jsonl and results.csv with these records in point order.
void add_sorted(output_files& files, const fs::path& dir, const std::vector<std::string>& columns,
                const std::map<long, record>& by_id)
{
  std::string csv = detail::csv_header(columns), jsonl;
  for (const auto& [id, r] : by_id) {
    csv += detail::csv_row(r, columns);
    jsonl += detail::json_text(r) + "\n";
  }
  files.add(dir / "points.jsonl", jsonl);
  files.add(dir / "results.csv", csv);
}

// The arguments of the point's `gilsim run`, the program's name left out.
std::vector<std::string> point_args(const plan& p, const point& pt)
{
  std::vector<std::string> argv = {"run", pt.scenario, "--json"};
  argv.insert(argv.end(), p.fixed_args.begin(), p.fixed_args.end());
  if (p.manifest.value("kind", "") == "sweep")
    for (std::size_t i = 0; i < p.columns.size(); ++i) {
      argv.push_back("--set");
      argv.push_back(p.columns[i] + "=" + pt.values[i]);
    }
  if (pt.seed) {
    argv.push_back("--seed");
    argv.push_back(std::to_string(*pt.seed));
  }
  return argv;
}

std::string error_text(const detail::process_result& res, bool has_report)
{
  std::string err = res.err;
  while (!err.empty() && std::isspace(static_cast<unsigned char>(err.back())))
    err.pop_back();
  if (err.size() > 4000)  // the end of a long stderr says what went wrong
    err = fmt::format("...{}", err.substr(err.size() - 4000));
  std::string why;
  if (res.term_signal)
    why = fmt::format("killed by signal {} ({})", res.term_signal, strsignal(res.term_signal));
  else if (err.empty() && res.exit_code != 0)
    why = fmt::format("exit code {}", res.exit_code);
  else if (err.empty() && !has_report)
    why = "the run printed no JSON report";
  if (why.empty())
    return err;
  return err.empty() ? why : fmt::format("{}: {}", why, err);
}

record make_record(const plan& p, const point& pt, const detail::process_result& res)
{
  auto report = record::parse(res.out, nullptr, false);
  bool has_report = report.is_object();
  bool ok = res.exit_code == 0 && has_report;
  record r;
  r["point"] = pt.id;
  r["params"] = record::object();
  for (std::size_t i = 0; i < p.columns.size(); ++i)
    r["params"][p.columns[i]] = pt.values[i];
  if (pt.seed)
    r["seed"] = *pt.seed;
  else
    r["seed"] = has_report ? report.value("seed", record()) : record();
  r["status"] = ok ? "ok" : "failed";
  if (!ok) {
    // A swept value is named as the --grid it came from, not as the --set that passed it on.
    std::string err = error_text(res, has_report);
    for (std::size_t i = 0; i < p.columns.size() && p.manifest.value("kind", "") == "sweep"; ++i) {
      const std::string set = "--set " + p.columns[i] + "=" + pt.values[i] + ":";
      for (auto at = err.find(set); at != std::string::npos; at = err.find(set, at))
        err.replace(at, 6, "--grid ");
    }
    r["error"] = err;
  }
  if (has_report)
    r["report"] = std::move(report);
  return r;
}

// Progress: one rewritten line on a terminal's stderr, JSON lines on stdout with --json.
class progress {
public:
  progress(bool json, long total, long done, long failed)
      : tty_(::isatty(2))
      , json_(json)
      , total_(total)
      , done_(done)
      , failed_(failed)
      , start_(std::chrono::steady_clock::now())
  {
  }

  void started(long to_run, const std::string& out)
  {
    emit(
        {{"event", "start"}, {"total", total_}, {"done", done_}, {"to_run", to_run}, {"out", out}});
    draw();
  }

  void finished(long id, const std::string& status)
  {
    ++done_;
    ++ran_;
    if (status != "ok")
      ++failed_;
    emit({{"event", "point"},
          {"point", id},
          {"status", status},
          {"done", done_},
          {"total", total_},
          {"failed", failed_}});
    draw();
  }

  void ended(const std::string& out, bool interrupted)
  {
    if (tty_ && drawn_)
      fmt::print(stderr, "\n");
    emit({{"event", "done"},
          {"total", total_},
          {"done", done_},
          {"ran", ran_},
          {"failed", failed_},
          {"interrupted", interrupted},
          {"out", out}});
  }

  long failed() const { return failed_; }

private:
  void emit(const nlohmann::ordered_json& event)
  {
    if (!json_)
      return;
    fmt::print(stdout, "{}\n", detail::json_text(event));
    std::fflush(stdout);
  }

  void draw()
  {
    if (!tty_)
      return;
    std::string eta = "--:--";
    if (ran_ > 0) {
      std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start_;
      long left = static_cast<long>(spent.count() / ran_ * (total_ - done_) + 0.5);
      eta = fmt::format("{}:{:02}:{:02}", left / 3600, left / 60 % 60, left % 60);
    }
    fmt::print(stderr, "\r\x1b[Kgilsim: {}/{} points, {} failed, ETA {}", done_, total_, failed_,
               eta);
    std::fflush(stderr);
    drawn_ = true;
  }

  bool tty_;
  bool json_;
  long total_, done_, failed_, ran_ = 0;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

// results.csv is a view of points.jsonl: rebuilt when a crash left them apart, and
// points.jsonl rewritten when the records read from it were cleaned (`rewrite`).
void sync_views(const fs::path& dir, const plan& p, const std::vector<record>& records,
                bool rewrite)
{
  std::string csv = detail::csv_header(p.columns);
  std::string jsonl;
  for (const auto& r : records) {
    csv += detail::csv_row(r, p.columns);
    jsonl += detail::json_text(r) + "\n";
  }
  std::error_code ec;
  if (rewrite)
    write_file_whole(dir / "points.jsonl", jsonl);
  if (!fs::exists(dir / "results.csv", ec) || detail::read_text(dir / "results.csv") != csv)
    write_file_whole(dir / "results.csv", csv);
}

// This shard's points: how many, which are still to run, and how many of those done failed.
struct shard_work {
  std::vector<const point*> todo;
  long total = 0;
  long failed_before = 0;
};

shard_work pending(const plan& p, const std::vector<record>& records, const shard& part)
{
  shard_work w;
  std::vector<bool> done(p.points.size());
  for (const auto& r : records) {
    long id = r["point"].get<long>();
    done[id] = true;
    if (id % part.count == part.index - 1 && r["status"] != "ok")
      ++w.failed_before;
  }
  for (const auto& pt : p.points) {
    if (pt.id % part.count != part.index - 1)
      continue;
    ++w.total;
    if (!done[pt.id])
      w.todo.push_back(&pt);
  }
  return w;
}

// Rows went in as points finished; a finished run leaves them in point order, so that the
// same command gives the same files (but for wall_s) whatever -j was, a resume with nothing to
// run included. Returns how many of this shard's points the file holds.
long sort_by_point(const fs::path& dir, const plan& p, const shard& part, fd_closer& csv_fd,
                   fd_closer& jsonl_fd)
{
  for (fd_closer* f : {&csv_fd, &jsonl_fd}) {
    if (::close(f->fd) != 0)
      throw output_error(fmt::format("cannot write the results in {}: {}", dir.string(),
                                     std::strerror(errno)));
    f->fd = -1;
  }
  std::map<long, record> by_id;
  for (auto& r : detail::read_records(dir / "points.jsonl").records)
    by_id.emplace(r["point"].get<long>(), std::move(r));
  output_files files;
  add_sorted(files, dir, p.columns, by_id);
  files.commit();
  long mine = 0;
  for (const auto& [id, r] : by_id)
    mine += id % part.count == part.index - 1;
  return mine;
}

}  // namespace

int run(const plan& p, const options& o)
{
  fs::path dir = o.out_dir;
  fd_closer lock = lock_directory(dir);
  claim_directory(dir, p.manifest);

  bool rewrite = false;
  std::vector<record> records = existing_records(dir, p, o.retry_failed, rewrite);
  sync_views(dir, p, records, rewrite);
  const shard_work work = pending(p, records, o.part);
  const auto& todo = work.todo;

  fd_closer csv_fd{open_append(dir / "results.csv")};
  fd_closer jsonl_fd{open_append(dir / "points.jsonl")};
  unsigned jobs = o.jobs > 0 ? static_cast<unsigned>(o.jobs) : std::thread::hardware_concurrency();
  detail::interrupt_guard guard;
  detail::process_pool pool(jobs > 0 ? jobs : 1);
  progress prog(o.json_events, work.total, work.total - static_cast<long>(todo.size()),
                work.failed_before);
  prog.started(static_cast<long>(todo.size()), dir.string());

  std::size_t next = 0;
  while ((next < todo.size() || !pool.empty()) && !guard.caught()) {
    while (!pool.full() && next < todo.size()) {
      detail::start_gilsim(pool, todo[next]->id, point_args(p, *todo[next]), o.in_process,
                           o.exe);
      ++next;
    }
    auto res = pool.wait_one();
    if (!res || guard.caught())
      break;  // an interrupted child is not a failed point: it runs again on resume
    record r = make_record(p, p.points[res->tag], *res);
    detail::append_line(csv_fd.fd, detail::csv_row(r, p.columns));
    detail::append_line(jsonl_fd.fd, detail::json_text(r) + "\n");
    prog.finished(res->tag, r["status"].get<std::string>());
  }
  if (int sig = guard.caught()) {
    pool.stop_all(SIGTERM);
    prog.ended(dir.string(), true);
    if (o.keep_files)
      fmt::print(stderr,
                 "gilsim: interrupted; the finished points are in {}, and the same command "
                 "runs the rest\n",
                 dir.string());
    else
      fmt::print(stderr, "gilsim: interrupted (with --out DIR a batch can be resumed)\n");
    return 128 + sig;
  }
  prog.ended(dir.string(), false);
  long held = sort_by_point(dir, p, o.part, csv_fd, jsonl_fd);
  if (held != work.total) {
    fmt::print(stderr,
               "gilsim: {} holds {} of this sweep's {} points: another process changed it while "
               "the sweep ran; the same command runs the missing ones\n",
               (dir / "points.jsonl").string(), held, work.total);
    return 1;
  }
  if (prog.failed() > 0) {
    if (o.keep_files)
      fmt::print(stderr, "gilsim: {} of {} points failed; their errors are in {}\n",
                 prog.failed(), work.total, (dir / "results.csv").string());
    return 1;
  }
  return 0;
}

int merge(const std::vector<std::string>& dirs, const std::string& out_dir)
{
  std::vector<fs::path> inputs(dirs.begin(), dirs.end());
  std::error_code ec;
  bool out_listed = false;
  for (const auto& d : inputs)
    out_listed = out_listed || fs::equivalent(d, out_dir, ec);
  // Merging into a directory that already has results keeps them.
  if (!out_listed && fs::exists(fs::path(out_dir) / "sweep.json", ec))
    inputs.push_back(out_dir);

  // A directory that is not there yet has no sweep to race with: made once the inputs agree.
  fd_closer lock;
  if (fs::exists(out_dir, ec))
    lock = lock_directory(out_dir);
  nlohmann::ordered_json manifest;
  std::map<long, record> by_id;
  for (const auto& d : inputs) {
    auto m = read_manifest(d);
    if (manifest.is_null())
      manifest = m;
    else if (auto diff = detail::manifest_difference(manifest, m))
      fail_input({d.string()}, "",
                 fmt::format("made by a different sweep than {} ({})", inputs[0].string(), *diff));
    long n = m.value("points", 0L);
    for (auto& r : detail::read_records(d / "points.jsonl").records) {
      long id = r["point"].get<long>();
      if (id < 0 || id >= n)
        fail_input({(d / "points.jsonl").string()}, "",
                   fmt::format("point {} is not in this sweep", id));
      auto it = by_id.find(id);
      if (it == by_id.end())
        by_id.emplace(id, std::move(r));
      else if (it->second["status"] != "ok" && r["status"] == "ok")
        it->second = std::move(r);
    }
  }

  long failed = 0;
  for (const auto& [id, r] : by_id)
    failed += r["status"] != "ok";
  if (lock.fd < 0)
    lock = lock_directory(out_dir);
  output_files files;
  files.add(fs::path(out_dir) / "sweep.json", detail::json_text(manifest, 2) + "\n");
  add_sorted(files, out_dir, detail::manifest_columns(manifest), by_id);
  files.commit();
  long total = manifest.value("points", 0L);
  long missing = total - static_cast<long>(by_id.size());
  if (missing > 0 || failed > 0) {
    fmt::print(stderr, "gilsim: merged {} of {} points into {}: {} missing, {} failed\n",
               by_id.size(), total, out_dir, missing, failed);
    return 1;
  }
  return 0;
}

}  // namespace gilsim::sweep
