// The result files of a batch: points.jsonl records, their results.csv rows, manifests, and
// writes that an interruption cannot leave half done.
#include "models/core/error.hpp"
#include "sim/batch/sweep_detail.hpp"

#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace gilsim::sweep::detail {

namespace {

// The figures every row carries, after the swept columns, seed and status.
const char* const figure_columns[] = {"makespan_s",  "events",       "wall_s",
                                      "utilization", "gil_switches", "gil_forced_switches",
                                      "convoy_p99_s", "mean_response_s", "mean_turnaround_s",
                                      "mean_wait_s"};

std::string number(const nlohmann::ordered_json& v)
{
  return v.is_number() ? v.dump() : "";
}

// The means of the report's per-job figures (its `jobs`); empty when it has no job.
void add_job_figures(std::vector<std::string>& out, const nlohmann::ordered_json& report)
{
  const auto jobs = report.value("jobs", nlohmann::ordered_json::object());
  bool any = jobs.value("count", 0L) > 0;
  for (const char* key : {"mean_response_s", "mean_turnaround_s", "mean_wait_s"})
    out.push_back(any ? number(jobs.value(key, nlohmann::ordered_json())) : "");
}

// The report's figures in figure_columns order; empty where the report has nothing to say (no
// cores, no GIL, no I/O thread behind a GIL for the convoy).
std::vector<std::string> figures(const nlohmann::ordered_json& report)
{
  std::vector<std::string> out;
  out.push_back(number(report.value("makespan_s", nlohmann::ordered_json())));
  out.push_back(number(report.value("events", nlohmann::ordered_json())));
  out.push_back(number(report.value("wall_s", nlohmann::ordered_json())));
  const auto cores = report.value("cores", nlohmann::ordered_json::array());
  double busy = 0;
  for (const auto& c : cores)
    busy += c.value("utilization", 0.0);
  out.push_back(cores.empty() ? "" : fmt::format("{:.6g}", busy / cores.size()));
  bool any_gil = false;
  long switches = 0, forced = 0;
  double p99 = -1;
  for (const auto& p : report.value("processes", nlohmann::ordered_json::array())) {
    if (!p.contains("gil") || !p["gil"].is_object())
      continue;
    const auto& gil = p["gil"];
    any_gil = true;
    switches += gil.value("switches", 0L);
    forced += gil.value("forced_switches", 0L);
    if (gil.contains("convoy") && gil["convoy"].value("count", 0L) > 0)
      p99 = std::max(p99, gil["convoy"].value("p99_s", 0.0));
  }
  out.push_back(any_gil ? std::to_string(switches) : "");
  out.push_back(any_gil ? std::to_string(forced) : "");
  out.push_back(p99 >= 0 ? nlohmann::ordered_json(p99).dump() : "");
  add_job_figures(out, report);
  return out;
}

// A workload's request latency (the report's `latency`), after the figures; empty without one.
const char* const latency_columns[] = {"latency_mean_s", "latency_p50_s", "latency_p90_s",
                                       "latency_p99_s", "throughput_per_s"};

std::vector<std::string> latency_figures(const nlohmann::ordered_json& report)
{
  if (!report.contains("latency") || !report["latency"].is_object())
    return std::vector<std::string>(std::size(latency_columns));
  const auto& l = report["latency"];
  std::vector<std::string> out;
  for (const char* key : {"mean_s", "p50_s", "p90_s", "p99_s", "throughput_per_s"})
    out.push_back(number(l.value(key, nlohmann::ordered_json())));
  return out;
}

}  // namespace

std::string csv_header(const std::vector<std::string>& columns)
{
  std::string line = "point";
  for (const auto& c : columns)
    line += fmt::format(",{}", csv_field(c));
  line += ",seed,status";
  for (const char* f : figure_columns)
    line += std::string(",") + f;
  for (const char* f : latency_columns)
    line += std::string(",") + f;
  return line + ",error\n";
}

std::string csv_row(const record& r, const std::vector<std::string>& columns)
{
  std::string line = std::to_string(r.at("point").get<long>());
  const auto& params = r.at("params");
  for (const auto& c : columns)
    line += fmt::format(",{}", csv_field(params.value(c, std::string())));
  std::string status = r.at("status").get<std::string>();
  line += fmt::format(",{},{}", number(r.value("seed", nlohmann::ordered_json())), status);
  // A failed run's figures (a deadlock's makespan, say) are left out so that no plot takes them
  // for results; points.jsonl keeps its report.
  std::vector<std::string> values = status == "ok" && r.contains("report")
                                        ? figures(r["report"])
                                        : std::vector<std::string>(std::size(figure_columns));
  const bool ok = status == "ok" && r.contains("report");
  for (const auto& v : ok ? latency_figures(r["report"])
                          : std::vector<std::string>(std::size(latency_columns)))
    values.push_back(v);
  for (const auto& v : values)
    line += fmt::format(",{}", v);
  return fmt::format("{},{}\n", line, csv_field(r.value("error", std::string())));
}

std::string read_text(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

record_file read_records(const std::filesystem::path& path)
{
  record_file rf;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return rf;
  std::string text = read_text(path);
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    std::string line = text.substr(begin, end == std::string::npos ? end : end - begin);
    begin = end == std::string::npos ? text.size() : end + 1;
    if (line.empty())
      continue;
    auto r = record::parse(line, nullptr, false);
    bool whole = r.is_object() && r.contains("point") && r["point"].is_number_integer() &&
                 r.contains("params") && r["params"].is_object() && r.contains("status") &&
                 r["status"].is_string();
    if (whole)
      rf.records.push_back(std::move(r));
    else
      ++rf.dropped;
  }
  return rf;
}

void append_line(int fd, const std::string& line)
{
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw output_error(fmt::format("cannot write a result: {}", std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
}

std::string content_hash(const std::string& bytes)
{
  // FNV-1a, 64 bits: not for security, only to notice that a scenario was edited between runs.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("fnv1a64:{:016x}", h);
}

namespace {
// A manifest's value as the command line that made it spelt it: a grid as its --grid options,
// the other arguments as they were given, a batch's scenarios as their paths.
std::string described(const std::string& key, const nlohmann::ordered_json& v)
{
  std::vector<std::string> parts;
  if (key == "grid" && v.is_array()) {
    for (const auto& g : v) {
      std::vector<std::string> values;
      for (const auto& x : g.value("values", nlohmann::ordered_json::array()))
        values.push_back(x.is_string() ? x.get<std::string>() : x.dump());
      parts.push_back(fmt::format("--grid {}={}", g.value("key", ""), fmt::join(values, ",")));
    }
  } else if ((key == "args" || key == "scenarios") && v.is_array()) {
    for (const auto& x : v)
      parts.push_back(x.is_string() ? x.get<std::string>() : x.value("path", x.dump()));
    if (parts.empty())
      return key == "args" ? "none" : "no scenario";
  } else {
    return v.is_string() ? v.get<std::string>() : v.is_null() ? "not set" : v.dump();
  }
  std::string s = fmt::format("{}", fmt::join(parts, key == "scenarios" ? ", " : " "));
  return s.size() > 160 ? s.substr(0, 157) + "..." : s;
}

const char* named(const std::string& key)
{
  return key == "grid"       ? "the grid"
         : key == "args"     ? "the other arguments"
         : key == "seeds"    ? "--seeds"
         : key == "points"   ? "the number of points"
         : key == "kind"     ? "the kind (sweep or batch)"
         : key == "scenarios" ? "the scenarios"
                             : nullptr;
}
}  // namespace

std::optional<std::string> manifest_difference(const nlohmann::ordered_json& a,
                                               const nlohmann::ordered_json& b)
{
  std::vector<std::string> keys;  // a's order, so that the first difference named is the cause
  for (const auto& [k, v] : a.items())
    keys.push_back(k);
  for (const auto& [k, v] : b.items())
    if (!a.contains(k))
      keys.push_back(k);
  for (const auto& k : keys) {
    if (k == "scenario" && a.value("kind", "") == "sweep")
      continue;  // the path may differ between hosts; scenario_hash says whether it is the same
    auto va = a.value(k, nlohmann::ordered_json()), vb = b.value(k, nlohmann::ordered_json());
    if (va == vb)
      continue;
    if (k == "scenario_hash")
      return std::string("the scenario's text is not the one that sweep ran");
    if (k == "scenarios" && va.size() == vb.size())  // the same paths: one file's text changed
      for (std::size_t i = 0; i < va.size(); ++i)
        if (va[i].value("path", "") == vb[i].value("path", "") && va[i] != vb[i])
          return fmt::format("the text of {} is not the one that batch ran",
                             va[i].value("path", ""));
    const char* name = named(k);
    return fmt::format("{}: {} there, {} here", name ? name : k.c_str(), described(k, va),
                       described(k, vb));
  }
  return std::nullopt;
}

std::vector<std::string> manifest_columns(const nlohmann::ordered_json& manifest)
{
  if (manifest.value("kind", "") == "batch")
    return {"scenario"};
  std::vector<std::string> columns;
  for (const auto& g : manifest.value("grid", nlohmann::ordered_json::array()))
    columns.push_back(g.value("key", ""));
  return columns;
}

fd_closer lock_directory(const std::filesystem::path& dir)
{
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw output_error(fmt::format("cannot write into {}: {}", dir.string(), ec.message()));
  fd_closer lock{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (lock.fd < 0)
    throw output_error(fmt::format("cannot write into {}: {}", dir.string(), std::strerror(errno)));
  if (::flock(lock.fd, LOCK_EX | LOCK_NB) != 0)
    fail_input({dir.string()}, "", "another gilsim sweep or merge is writing to this directory");
  return lock;
}

int open_append(const std::filesystem::path& path)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw output_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  return fd;
}


}  // namespace gilsim::sweep::detail
