// gilsim choose's answer as a text table, as JSON and as CSV (docs/choose.md, "The answer").
#include "sim/batch/sweep_detail.hpp"
#include "sim/choose/choose_run.hpp"

#include <fmt/format.h>

namespace gilsim::choose {

const char* goal_name(goal g)
{
  switch (g) {
  case goal::cpu: return "cpu";
  case goal::p99: return "p99";
  case goal::throughput: return "throughput";
  case goal::makespan: break;
  }
  return "makespan";
}

namespace {

std::string dash_or(std::uint64_t v) { return v > 0 ? std::to_string(v) : "-"; }

std::string seconds(double s)
{
  return s >= 1 ? fmt::format("{:.3f} s", s) : s >= 1e-3 ? fmt::format("{:.3f} ms", s * 1e3)
                                                          : fmt::format("{:.1f} us", s * 1e6);
}

// "GIL wait 62%", and where the largest part is the work's own (compute, I/O wait), the
// approach's largest cost after it: "I/O wait 97% (overlap 31.2x); GIL wait 2%".
std::string dominant_text(const figures& f)
{
  const auto [name, share] = dominant(f.split);
  std::string s = fmt::format("{} {:.0f}%", name, share * 100);
  if (name == "I/O wait")
    s += fmt::format(" (overlap {:.1f}x)", f.overlap);
  if (name == "compute" || name == "I/O wait") {
    const auto [cost, cost_share] = dominant(f.split, true);
    if (cost_share >= 0.005)
      s += fmt::format("; {} {:.0f}%", cost, cost_share * 100);
  }
  return s;
}

nlohmann::ordered_json row_json(const row& w, int rank)
{
  const auto [name, share] = dominant(w.f.split);
  const auto [cost, cost_share] = dominant(w.f.split, true);
  nlohmann::ordered_json j;
  if (rank > 0)
    j["rank"] = rank;
  j["approach"] = w.c.approach;
  j["workers"] = w.c.workers;
  j["per_worker"] = w.c.per_worker;
  j["chunksize"] = w.c.chunksize;
  j["makespan_s"] = w.f.makespan;
  j["speedup"] = w.speedup;
  j["latency_mean_s"] = w.f.latency_mean;
  j["latency_p99_s"] = w.f.latency_p99;
  j["throughput_per_s"] = w.f.throughput;
  j["cpu_s"] = w.f.cpu;
  j["peak_processes"] = w.f.peak_processes;
  j["peak_threads"] = w.f.peak_threads;
  j["overlap"] = w.f.overlap;
  j["dominant"] = name;
  j["dominant_share"] = share;
  j["largest_cost"] = cost;
  j["largest_cost_share"] = cost_share;
  j["costs_s"] = {{"compute", w.f.split.compute},       {"io_wait", w.f.split.io_wait},
                  {"gil_wait", w.f.split.gil_wait},     {"ready_wait", w.f.split.ready_wait},
                  {"loop_block", w.f.split.loop_block}, {"startup", w.f.split.startup},
                  {"extra_cpu", w.f.split.overhead}};
  j["scenario"] = w.scenario;
  return j;
}

}  // namespace

std::string table_text(const options& o, const std::vector<ranking>& rs)
{
  std::string out;
  for (const auto& r : rs) {
    out += fmt::format("gilsim choose: {} on {} core{}, goal {}: {} points", o.file, r.cores,
                       r.cores == 1 ? "" : "s", goal_name(o.by), r.points.size());
    if (r.failed + r.refused > 0)
      out += fmt::format(" ({} failed, {} refused by the model)", r.failed, r.refused);
    out += "\n";
    // With requests (arrivals) or a latency goal, the requests' p99 and throughput too.
    const bool latency = r.requests || o.by == goal::p99 || o.by == goal::throughput;
    const auto latency_cells = [&](const std::string& p99, const std::string& rate) {
      return latency ? fmt::format(" {:>11} {:>10}", p99, rate) : std::string();
    };
    out += fmt::format("{:>4}  {:<34} {:>7} {:>9} {:>12} {:>8}{} {:>11} {:>5} {:>7}  {}\n",
                       "rank", "approach", "workers", "chunksize", "makespan", "speedup",
                       latency_cells("p99", "req/s"), "CPU", "procs", "threads", "dominant cost");
    int rank = 0;
    for (const auto& w : r.ranked)
      out += fmt::format("{:>4}  {:<34} {:>7} {:>9} {:>12} {:>7.2f}x{} {:>11} {:>5} {:>7}  {}\n",
                         ++rank, w.c.approach, w.c.workers_text(),
                         dash_or(w.c.chunksize), seconds(w.f.makespan), w.speedup,
                         latency_cells(seconds(w.f.latency_p99),
                                       fmt::format("{:.1f}", w.f.throughput)),
                         seconds(w.f.cpu), w.f.peak_processes, w.f.peak_threads,
                         dominant_text(w.f));
    out += "\n";
  }
  return out;
}

std::string table_json(const options& o, const std::vector<ranking>& rs)
{
  nlohmann::ordered_json j;
  j["workload"] = o.file;
  j["goal"] = goal_name(o.by);
  j["rankings"] = nlohmann::ordered_json::array();
  for (const auto& r : rs) {
    nlohmann::ordered_json one;
    one["cores"] = r.cores;
    one["points"] = r.points.size();
    one["failed"] = r.failed;
    one["refused"] = r.refused;
    one["rows"] = nlohmann::ordered_json::array();
    int rank = 0;
    for (const auto& w : r.ranked)
      one["rows"].push_back(row_json(w, ++rank));
    j["rankings"].push_back(one);
  }
  return j.dump(2) + "\n";
}

std::string table_csv(const std::vector<ranking>& rs)
{
  std::string out = "cores,rank,approach,workers,chunksize,makespan_s,speedup,cpu_s,"
                    "peak_processes,peak_threads,overlap,compute_s,io_wait_s,gil_wait_s,"
                    "ready_wait_s,loop_block_s,startup_s,extra_cpu_s,dominant,largest_cost,"
                    "latency_mean_s,latency_p99_s,throughput_per_s,per_worker\n";
  for (const auto& r : rs)
    for (const auto& w : r.points) {
      int rank = 0;
      for (std::size_t k = 0; k < r.ranked.size(); ++k)
        if (r.ranked[k].scenario == w.scenario)
          rank = int(k) + 1;
      const auto& s = w.f.split;
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                         r.cores,
                         rank > 0 ? std::to_string(rank) : "",
                         sweep::detail::csv_field(w.c.approach), w.c.workers, w.c.chunksize,
                         w.f.makespan, w.speedup, w.f.cpu, w.f.peak_processes, w.f.peak_threads,
                         w.f.overlap, s.compute, s.io_wait, s.gil_wait, s.ready_wait,
                         s.loop_block, s.startup, s.overhead, dominant(s).first,
                         dominant(s, true).first, w.f.latency_mean, w.f.latency_p99,
                         w.f.throughput, w.c.per_worker);
    }
  return out;
}

}  // namespace gilsim::choose
