// The command line's contract: exit codes, --json, --out, limits, daemons and determinism.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using gilsim::test::run_cli;
using gilsim::test::run_json;
using gilsim::test::write_temp_scenario;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;

namespace {
const char* busy_yaml = R"(
machine: {cores: 2}
scheduler: {policy: rr, quantum: 1ms}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 3, program: [{repeat: 20, do: [{cpu: 3ms}, {io: 1ms}]}]}
)";
}

TEST_CASE("run: a daemon thread is stopped when the other threads are done")
{
  // The daemon would sleep for 1000 s; the run ends when main's 5 ms of CPU are done.
  std::string y = R"(
machine: {cores: 1}
processes:
  - name: p
    runtime: native
    threads:
      - {name: main, program: [{cpu: 5ms}]}
      - {name: ticker, daemon: true, program: [{repeat: 1000000, do: [{sleep: 1ms}]}]}
)";
  auto r = run_json(y);
  CHECK(r["status"] == "ok");
  CHECK_THAT(r["makespan_s"].get<double>(), WithinAbs(0.005, 2e-9));
}

TEST_CASE("run: --max-events and --max-time stop a run with exit code 1 and a clear message")
{
  auto path = write_temp_scenario(busy_yaml);
  auto r = run_cli({"run", path, "--max-events", "10"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("limit reached: --max-events 10"));
  r = run_cli({"run", path, "--max-time", "0.01"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("limit reached: --max-time 0.01 s"));
}

TEST_CASE("run: the same scenario and seed give byte-identical reports but for wall time")
{
  auto path = write_temp_scenario(busy_yaml);
  auto a = gilsim::test::run_json_file(path);
  auto b = gilsim::test::run_json_file(path);
  a.erase("wall_s");
  b.erase("wall_s");
  CHECK(a.dump() == b.dump());
  CHECK(a["events"].get<long>() > 0);
}

TEST_CASE("run: --json prints only JSON on stdout and --out writes report.json and threads.csv")
{
  auto path = write_temp_scenario(busy_yaml);
  auto dir = std::filesystem::temp_directory_path() / ("gilsim-out-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto r = run_cli({"run", path, "--json", "--out", dir.string()});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);  // throws unless stdout is one JSON document
  for (const char* key : {"scenario", "makespan_s", "events", "wall_s", "threads", "cores", "processes"})
    CHECK(j.contains(key));
  CHECK(std::filesystem::exists(dir / "report.json"));
  std::ifstream csv(dir / "threads.csv");
  std::string header;
  std::getline(csv, header);
  CHECK_THAT(header, StartsWith("name,process,daemon,start_s,end_s,cpu_s"));
  int rows = 0;
  for (std::string line; std::getline(csv, line);)
    ++rows;
  CHECK(rows == 3);
  std::filesystem::remove_all(dir);
}

TEST_CASE("run: bad input exits with 2, names file, line and column, and writes no output")
{
  std::string y = "machine:\n  cores: 0\n";
  auto path = write_temp_scenario(y);
  auto dir = std::filesystem::temp_directory_path() / ("gilsim-bad-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto r = run_cli({"run", path, "--out", dir.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(path + ":2:10: machine.cores:"));
  CHECK(r.out.empty());
  CHECK_FALSE(std::filesystem::exists(dir));
  auto c = run_cli({"check", path});
  CHECK(c.exit_code == 2);
}

TEST_CASE("check: a valid scenario passes without running")
{
  auto c = run_cli({"check", write_temp_scenario(busy_yaml)});
  CHECK(c.exit_code == 0);
  CHECK_THAT(c.out, Contains("ok"));
}
