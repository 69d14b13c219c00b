// A point's figures from its JSON report: makespan, CPU, the peaks of live processes and
// threads, and where its threads' time went (docs/choose.md, "The figures").
#include "sim/choose/choose.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace gilsim::choose {
namespace {

// The most intervals [start, end) live at once; one that ends when another starts is not live
// with it.
int peak(std::vector<std::pair<double, double>> spans)
{
  std::vector<std::pair<double, int>> edges;
  for (const auto& [a, b] : spans) {
    edges.emplace_back(a, +1);
    edges.emplace_back(b, -1);
  }
  std::sort(edges.begin(), edges.end());  // at one date the ends (-1) come first
  int live = 0, most = 0;
  for (const auto& e : edges)
    most = std::max(most, live += e.second);
  return most;
}

}  // namespace

figures figures_of(const nlohmann::json& report, bool asyncio)
{
  figures f;
  f.makespan = report.at("makespan_s").get<double>();
  if (const auto l = report.find("latency"); l != report.end()) {
    f.latency_mean = l->at("mean_s").get<double>();
    f.latency_p99 = l->at("p99_s").get<double>();
    f.throughput = l->at("throughput_per_s").get<double>();
  }
  std::vector<std::pair<double, double>> threads;
  std::map<std::string, std::pair<double, double>> processes;
  for (const auto& t : report.at("threads")) {
    const double a = t.at("start_s").get<double>(), b = t.at("end_s").get<double>();
    threads.emplace_back(a, b);
    auto [it, fresh] = processes.try_emplace(t.at("process").get<std::string>(), a, b);
    if (!fresh)
      it->second = {std::min(it->second.first, a), std::max(it->second.second, b)};
    f.cpu += t.at("cpu_s").get<double>();
    f.split.io_wait += t.at("io_s").get<double>() + t.value("sleep_s", 0.0);
    f.split.gil_wait += t.at("gil_wait_s").get<double>();
    f.split.ready_wait += t.at("ready_wait_s").get<double>();
    if (asyncio)
      f.split.loop_block += t.at("lock_wait_s").get<double>();
  }
  std::vector<std::pair<double, double>> spans;
  for (const auto& [name, span] : processes)
    spans.push_back(span);
  f.peak_processes = peak(spans);
  // asyncio's tasks are modelled as threads taking turns on the loop: the program has one.
  f.peak_threads = asyncio ? f.peak_processes : peak(threads);
  f.overlap = f.makespan > 0 ? f.split.io_wait / f.makespan : 0;
  return f;
}

void split_cpu(figures& f, double sync_cpu, double startup)
{
  f.split.compute = std::min(sync_cpu, f.cpu);
  f.split.startup = std::min(startup, f.cpu - f.split.compute);
  f.split.overhead = std::max(0.0, f.cpu - f.split.compute - f.split.startup);
}

std::pair<std::string, double> dominant(const costs& c, bool costs_only)
{
  const std::array<std::pair<const char*, double>, 7> parts = {{{"compute", c.compute},
                                                                {"I/O wait", c.io_wait},
                                                                {"GIL wait", c.gil_wait},
                                                                {"ready-queue wait", c.ready_wait},
                                                                {"event-loop blocking", c.loop_block},
                                                                {"start-up", c.startup},
                                                                {"extra CPU", c.overhead}}};
  const std::size_t first = costs_only ? 2 : 0;  // compute and I/O wait are the work's own
  std::size_t k = first;
  for (std::size_t i = first + 1; i < parts.size(); ++i)
    if (parts[i].second > parts[k].second)
      k = i;
  const double total = c.total();
  return {parts[k].first, total > 0 ? parts[k].second / total : 0};
}

}  // namespace gilsim::choose
