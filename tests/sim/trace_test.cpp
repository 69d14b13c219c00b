// --trace writes Chrome trace-event JSON: it parses, slices of a track never overlap, and the
// per-core busy time it shows equals the report's.
// The outputs' options as the command line declares them from the writer registry.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>
#include <zlib.h>

using gilsim::test::run_cli;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::WithinAbs;

namespace {
nlohmann::json run_with_trace(const std::string& yaml, nlohmann::json& trace)
{
  auto path = std::filesystem::temp_directory_path() /
              ("gilsim-trace-" + std::to_string(getpid()) + ".json");
  auto r = run_cli({"run", write_temp_scenario(yaml), "--json", "--trace", path.string()});
  REQUIRE(r.exit_code == 0);
  std::ifstream in(path);
  trace = nlohmann::json::parse(in);  // throws unless the file is one JSON document
  std::filesystem::remove(path);
  return nlohmann::json::parse(r.out);
}
}  // namespace

TEST_CASE("trace: slices nest per track and core busy time equals the report's")
{
  // Two Python threads of 12 ms under rr (1 ms quantum, 100 us switches) on one core beside a
  // native thread doing I/O: running, ready, GIL-wait and I/O slices, a GIL track, switches.
  std::string y = R"(
machine: {cores: 2, context_switch: 100us}
scheduler: {policy: rr, quantum: 1ms}
processes:
  - name: py
    threads:
      - {name: w, count: 2, program: [{cpu: 12ms}]}
  - name: c
    runtime: native
    threads:
      - {name: io, program: [{repeat: 5, do: [{cpu: 1ms}, {io: 2ms}]}]}
)";
  nlohmann::json trace;
  auto report = run_with_trace(y, trace);
  const auto& events = trace.at("traceEvents");
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> tracks;
  std::map<int, double> core_busy_us;
  int gil_slices = 0;
  for (const auto& e : events) {
    if (e.at("ph") != "X")
      continue;
    double ts = e.at("ts"), dur = e.at("dur");
    CHECK(dur > 0);
    tracks[{e.at("pid"), e.at("tid")}].push_back({ts, ts + dur});
    if (e.at("cat") == "core")
      core_busy_us[e.at("args").at("core").get<int>()] += dur;
    if (e.at("cat") == "gil")
      ++gil_slices;
  }
  for (auto& [track, slices] : tracks) {
    std::sort(slices.begin(), slices.end());
    for (size_t i = 1; i < slices.size(); ++i)
      CHECK(slices[i].first >= slices[i - 1].second - 1e-6);
  }
  for (const auto& c : report.at("cores")) {
    double busy_us = c.at("busy_s").get<double>() * 1e6;
    CHECK_THAT(core_busy_us[c.at("id").get<int>()], WithinAbs(busy_us, 1e-3 * 50));
  }
  CHECK(gil_slices > 2);
  // Names for every process and thread, and the run-queue counter.
  int names = 0, counters = 0;
  for (const auto& e : events) {
    names += e.at("ph") == "M" ? 1 : 0;
    counters += e.at("ph") == "C" ? 1 : 0;
  }
  // The machine, 2 cores, 2 processes, the Python one's GIL track, 3 threads.
  CHECK(names == 1 + 2 + 2 + 1 + 3);
  CHECK(counters > 0);
  // Every GIL hand-off is a flow: a start and an end of one id, one per change of holder.
  std::map<int, std::string> flow_phases;
  for (const auto& e : events)
    if (e.at("ph") == "s" || e.at("ph") == "f")
      flow_phases[e.at("id").get<int>()] += e.at("ph").get<std::string>();
  CHECK(flow_phases.size() > 2);
  for (const auto& [id, phases] : flow_phases)
    CHECK(phases == "sf");
  CHECK(trace.at("otherData").at("seed") == report.at("seed"));
}

TEST_CASE("trace: --trace FILE.json.gz writes it gzip-compressed")
{
  auto path = std::filesystem::temp_directory_path() /
              ("gilsim-trace-" + std::to_string(getpid()) + ".json.gz");
  auto r = run_cli({"run", write_temp_scenario(R"(
machine: {cores: 1}
processes:
  - {name: c, runtime: native, threads: [{name: t, program: [{cpu: 1ms}]}]}
)"),
                    "--trace", path.string()});
  REQUIRE(r.exit_code == 0);
  gzFile gz = gzopen(path.c_str(), "rb");
  REQUIRE(gz);
  std::string text;
  char buf[4096];
  for (int n; (n = gzread(gz, buf, sizeof buf)) > 0;)
    text.append(buf, size_t(n));
  gzclose(gz);
  std::ifstream raw(path, std::ios::binary);
  CHECK(raw.get() == 0x1f);  // the gzip magic number
  CHECK(raw.get() == 0x8b);
  std::filesystem::remove(path);
  CHECK(nlohmann::json::parse(text).at("otherData").at("scenario").is_string());
}

TEST_CASE("timeline: an SVG with the title, a row per core and thread, and a capped row count")
{
  // 70 threads: the first 60 get rows, the rest are counted.
  std::string y = R"(
name: crowd
machine: {cores: 2}
processes:
  - name: py
    threads:
      - {name: w, count: 70, program: [{cpu: 1ms}, {io: 1ms}]}
)";
  auto svg_path = std::filesystem::temp_directory_path() /
                  ("gilsim-timeline-" + std::to_string(getpid()) + ".svg");
  auto r = run_cli({"run", write_temp_scenario(y), "--timeline", svg_path.string()});
  REQUIRE(r.exit_code == 0);
  std::ifstream in(svg_path);
  std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(svg_path);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("crowd — makespan") != std::string::npos);
  CHECK(svg.find(">core 1<") != std::string::npos);
  CHECK(svg.find(">  GIL<") != std::string::npos);
  CHECK(svg.find(">  w-59<") != std::string::npos);
  CHECK(svg.find(">  w-60<") == std::string::npos);
  CHECK(svg.find("10 more threads not shown") != std::string::npos);
  CHECK(svg.size() < 400000);  // rasterised rows: bounded whatever the run's length
}

TEST_CASE("diagram: Mermaid sequence and gantt of a hand-worked round-robin kitchen")
{
  // One core, rr 2 ms. chopping needs 5 ms; grilling 1 ms, an 8 ms I/O, 1 ms. chopping 0-2
  // (quantum), grilling 2-3 then I/O until 11, chopping 3-6 (done: 2 + 3 = 5 ms), grilling 11-12.
  std::string y = R"(
name: kitchen
machine: {cores: 1, context_switch: 0}
scheduler: {policy: rr, quantum: 2ms}
processes:
  - name: chef
    runtime: native
    threads:
      - {name: chopping, program: [{cpu: 5ms}]}
      - {name: grilling, program: [{cpu: 1ms}, {io: 8ms}, {cpu: 1ms}]}
)";
  auto r = run_cli({"run", write_temp_scenario(y), "--diagram", "mermaid"});
  REQUIRE(r.exit_code == 0);
  const std::string expected_sequence = "    C0->>+T0: runs at 0 ms\n"
                                        "    T0-->>-C0: preempted at 2 ms\n"
                                        "    C0->>+T1: runs at 2 ms\n"
                                        "    T1-->>-C0: blocks on I/O at 3 ms\n"
                                        "    C0->>+T0: runs at 3 ms\n"
                                        "    T0-->>-C0: done at 6 ms\n"
                                        "    C0->>+T1: runs at 11 ms\n"
                                        "    T1-->>-C0: done at 12 ms\n";
  CHECK(r.out.find(expected_sequence) != std::string::npos);
  CHECK(r.out.find("    section grilling\n    ready :0, 2\n    running :active, 2, 3\n"
                   "    io :3, 11\n    running :active, 11, 12\n") != std::string::npos);
  CHECK(r.out.find("title kitchen (makespan 12 ms)") != std::string::npos);
}

TEST_CASE("outputs: --json keeps the console from --diagram, and --diagram takes only mermaid")
{
  const std::string path = write_temp_scenario(R"(
machine: {cores: 1}
processes:
  - {name: c, runtime: native, threads: [{name: t, program: [{cpu: 1ms}]}]}
)");
  auto both = run_cli({"run", path, "--json", "--diagram", "mermaid"});
  REQUIRE(both.exit_code == 0);
  CHECK(nlohmann::json::parse(both.out).at("makespan_s") == 0.001);  // the JSON and nothing else
  auto bad = run_cli({"run", path, "--diagram", "svg"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--diagram: svg not in {mermaid}") != std::string::npos);
  CHECK(bad.out.empty());
}
