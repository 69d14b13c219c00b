// Sweeps and batches: grid and range parsing, the result rows against hand-computed makespans,
// failed points, resume, shards and merge, each point run by build/gilsim as its own process.
#include "models/core/error.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/batch/sweep_detail.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

using Catch::Matchers::Contains;
using gilsim::test::run_cli;
using gilsim::test::write_temp_scenario;
namespace fs = std::filesystem;
namespace sw = gilsim::sweep;

namespace {

// 4 threads of 1 s of CPU under ideal sharing: the makespan is 4 s / (cores x speed).
const char* four_seconds_yaml = R"(
machine: {cores: 1}
scheduler: {policy: ps}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 4, program: [{cpu: 1s}]}
)";

const std::string header_tail = "seed,status,makespan_s,events,wall_s,utilization,gil_switches,"
                                "gil_forced_switches,convoy_p99_s,mean_response_s,"
                                "mean_turnaround_s,mean_wait_s,latency_mean_s,latency_p50_s,"
                                "latency_p90_s,latency_p99_s,throughput_per_s,error";

fs::path out_dir(const std::string& name)
{
  auto d = fs::temp_directory_path() / ("gilsim-sweep-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(d);
  return d;
}

std::vector<std::string> lines_of(const fs::path& p)
{
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// A CSV line's fields (quoted fields may hold commas; no line breaks in these tests).
std::vector<std::string> fields(const std::string& line)
{
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"')
      out.back() += line[++i];
    else if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// The CSV without its wall_s column (the one figure that differs between identical runs).
std::vector<std::string> without_wall(const fs::path& csv)
{
  std::vector<std::string> out;
  auto lines = lines_of(csv);
  auto head = fields(lines.at(0));
  auto wall = std::find(head.begin(), head.end(), "wall_s") - head.begin();
  for (const auto& line : lines) {
    auto f = fields(line);
    f.erase(f.begin() + wall);
    std::string joined;
    for (const auto& x : f)
      joined += x + ";";
    out.push_back(joined);
  }
  return out;
}

std::vector<std::string> sweep_args(const std::string& scenario, const fs::path& dir,
                                    std::vector<std::string> more)
{
  std::vector<std::string> args = {"sweep", scenario, "--out", dir.string(), "-j", "2"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A fresh, empty directory for one test.
fs::path fresh(const std::string& name)
{
  auto d = out_dir(name);
  fs::create_directories(d);
  return d;
}

std::string cpu_bound()
{
  return gilsim::test::source_dir() + "/scenarios/examples/cpu_bound.yaml";
}

}  // namespace

TEST_CASE("sweep: ranges add or multiply up to the end, exactly, units kept")
{
  CHECK(sw::expand_range("1..64:x2") ==
        std::vector<std::string>{"1", "2", "4", "8", "16", "32", "64"});
  CHECK(sw::expand_range("1..10:+3") == std::vector<std::string>{"1", "4", "7", "10"});
  CHECK(sw::expand_range("1..11:+3") == std::vector<std::string>{"1", "4", "7", "10"});
  CHECK(sw::expand_range("-2..2") == std::vector<std::string>{"-2", "-1", "0", "1", "2"});
  CHECK(sw::expand_range("0.1..0.5:+0.1") ==
        std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});
  CHECK(sw::expand_range("1ms..8ms:x2") == std::vector<std::string>{"1ms", "2ms", "4ms", "8ms"});
  CHECK(sw::expand_range("0.5ms..1.5ms:+0.25") ==
        std::vector<std::string>{"0.5ms", "0.75ms", "1ms", "1.25ms", "1.5ms"});
  auto a = sw::parse_grid("machine.cores=1,3..12:x2,scheduler");
  CHECK(a.key == "machine.cores");
  CHECK(a.values == std::vector<std::string>{"1", "3", "6", "12", "scheduler"});
}

TEST_CASE("sweep: bad grids and shards are input errors that say what is wrong")
{
  for (const char* bad : {"machine.cores", "=1,2", "a=", "a=1,,2", "a=1..x", "a=5..1", "a=1..8:x1",
                          "a=1..8:x1.5", "a=0..4:x2", "a=1..4:+0", "a=1ms..4s", "a b=1"})
    CHECK_THROWS_AS(sw::parse_grid(bad), gilsim::input_error);
  CHECK_THROWS_WITH(sw::parse_grid("a=5..1"), Contains("--grid a=5..1") && Contains("start"));
  auto s = sw::parse_shard("2/4");
  CHECK((s.index == 2 && s.count == 4));
  for (const char* bad : {"0/4", "5/4", "1", "a/b", "1/0"})
    CHECK_THROWS_AS(sw::parse_shard(bad), gilsim::input_error);
}

TEST_CASE("sweep: ranges at the edge of 64 bits end or are refused, never wrap")
{
  // 0.0001..9e14 is 1..9e18 in ten-thousandths: doubling from 1 passes 2^62 and would wrap at
  // 2^63 (an endless loop once); it ends on 2^62 = 461168601842738.7904, the 63rd value.
  auto doubled = sw::expand_range("0.0001..900000000000000:x2");
  CHECK(doubled.size() == 63);
  CHECK(doubled.back() == "461168601842738.7904");
  // 999999999999999 in ten-thousandths is about 1e19: above 2^63, so refused, with the range.
  CHECK_THROWS_WITH(sw::expand_range("0.0001..999999999999999"),
                    Contains("0.0001..999999999999999") && Contains("64 bits"));
  // From -9e17 to 9e18 is more than 2^63 apart: counted without overflow, and too many values.
  CHECK_THROWS_WITH(sw::expand_range("-90000000000000..900000000000000:+0.0001"),
                    Contains("more than"));
  CHECK(sw::expand_range("0.0001..0.0003:+0.0001") ==
        std::vector<std::string>{"0.0001", "0.0002", "0.0003"});
}

TEST_CASE("sweep: a row sums the GIL figures over processes and keeps the worst convoy p99")
{
  sw::detail::record r = {
      {"point", 3},
      {"params", {{"machine.cores", "4"}}},
      {"seed", 2},
      {"status", "ok"},
      {"report",
       {{"makespan_s", 1.5},
        {"events", 10},
        {"wall_s", 0.25},
        {"cores", {{{"utilization", 1.0}}, {{"utilization", 0.5}}}},
        {"processes",
         {{{"gil",
            {{"switches", 3}, {"forced_switches", 1}, {"convoy", {{"count", 2}, {"p99_s", 0.5}}}}}},
          {{"gil",
            {{"switches", 4},
             {"forced_switches", 2},
             {"convoy", {{"count", 0}, {"p99_s", 9.0}}}}}}}}}}};
  CHECK(sw::detail::csv_header({"machine.cores"}) == "point,machine.cores," + header_tail + "\n");
  // No `jobs` and no workload in the report: the three job means and the latency columns are
  // empty.
  CHECK(sw::detail::csv_row(r, {"machine.cores"}) ==
        "3,4,2,ok,1.5,10,0.25,0.75,7,3,0.5,,,,,,,,,\n");
  r["report"]["jobs"] = {{"count", 2},
                         {"mean_response_s", 0.125},
                         {"mean_turnaround_s", 0.5},
                         {"mean_wait_s", 0.25}};
  CHECK(sw::detail::csv_row(r, {"machine.cores"}) ==
        "3,4,2,ok,1.5,10,0.25,0.75,7,3,0.5,0.125,0.5,0.25,,,,,,\n");
  r["report"]["latency"] = {{"mean_s", 0.1},  {"p50_s", 0.05},           {"p90_s", 0.2},
                            {"p99_s", 0.3},   {"throughput_per_s", 40.5}, {"count", 8}};
  CHECK(sw::detail::csv_row(r, {"machine.cores"}) ==
        "3,4,2,ok,1.5,10,0.25,0.75,7,3,0.5,0.125,0.5,0.25,0.1,0.05,0.2,0.3,40.5,\n");
  r["status"] = "failed";
  r["error"] = "x.yaml:1:2: a, \"b\"";
  CHECK(sw::detail::csv_row(r, {"machine.cores"}) ==
        "3,4,2,failed,,,,,,,,,,,,,,,,\"x.yaml:1:2: a, \"\"b\"\"\"\n");
}

TEST_CASE("sweep: a 3 x 2 grid runs every point, the first grid slowest, with the hand-computed "
          "makespans")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("grid");
  auto r = run_cli(sweep_args(scenario, dir,
                              {"--grid", "machine.cores=1..4:x2", "--grid", "machine.speed=1,2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  auto lines = lines_of(dir / "results.csv");
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == "point,machine.cores,machine.speed," + header_tail);
  const char* expected[][3] = {{"1", "1", "4.0"}, {"1", "2", "2.0"}, {"2", "1", "2.0"},
                               {"2", "2", "1.0"}, {"4", "1", "1.0"}, {"4", "2", "0.5"}};
  for (int i = 0; i < 6; ++i) {
    auto f = fields(lines[i + 1]);
    CHECK(f[0] == std::to_string(i));
    CHECK(f[1] == expected[i][0]);
    CHECK(f[2] == expected[i][1]);
    CHECK(f[4] == "ok");
    CHECK(f[5] == expected[i][2]);
    CHECK(f[8] == "1");  // ideal sharing keeps every core busy to the end
  }
  auto jl = lines_of(dir / "points.jsonl");
  REQUIRE(jl.size() == 6);
  auto j = nlohmann::json::parse(jl[5]);
  CHECK(j["params"] == nlohmann::json{{"machine.cores", "4"}, {"machine.speed", "2"}});
  CHECK(j["report"]["makespan_s"] == 0.5);
}

TEST_CASE("sweep: --seeds K runs every point with seeds 1..K, the seed varying fastest")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("seeds");
  auto r = run_cli(sweep_args(scenario, dir, {"--grid", "machine.cores=1,2", "--seeds", "2"}));
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(dir / "results.csv");
  REQUIRE(lines.size() == 5);
  std::vector<std::string> got;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto f = fields(lines[i]);
    got.push_back(f[0] + " " + f[1] + " " + f[2]);
  }
  CHECK(got == std::vector<std::string>{"0 1 1", "1 1 2", "2 2 1", "3 2 2"});
  CHECK(nlohmann::json::parse(lines_of(dir / "points.jsonl")[1])["report"]["seed"] == 2);
}

TEST_CASE("sweep: a failing point is recorded with its error, the others run, the exit code is 1")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("failing");
  auto args = sweep_args(scenario, dir, {"--grid", "machine.cores=2,0,4"});
  auto r = run_cli(args);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("1 of 3 points failed"));
  auto lines = lines_of(dir / "results.csv");
  REQUIRE(lines.size() == 4);
  auto bad = fields(lines[2]);
  CHECK(bad[3] == "failed");
  CHECK(bad[4].empty());
  CHECK_THAT(bad.back(), Contains("machine.cores: must be between 1 and 4096, got '0'"));
  CHECK(fields(lines[1])[4] == "2.0");
  CHECK(fields(lines[3])[4] == "1.0");
  auto j = nlohmann::json::parse(lines_of(dir / "points.jsonl")[1]);
  CHECK(j["status"] == "failed");
  CHECK_THAT(j["error"].get<std::string>(), Contains("got '0'"));

  // Resumed, nothing runs again, failed or not; --retry-failed runs the failed one only.
  r = run_cli([&] {
    auto a = args;
    a.push_back("--json");
    return a;
  }());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("\"event\":\"point\"") == std::string::npos);
  r = run_cli([&] {
    auto a = args;
    a.insert(a.end(), {"--json", "--retry-failed"});
    return a;
  }());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains(R"({"event":"point","point":1,"status":"failed","done":3,"total":3)"));
  CHECK(lines_of(dir / "points.jsonl").size() == 3);
}

TEST_CASE("sweep: a point that reaches a limit (exit code 1) is failed, with its partial report")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("limit");
  auto r = run_cli(sweep_args(scenario, dir, {"--grid", "machine.cores=1", "--max-events", "3"}));
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(lines_of(dir / "points.jsonl").at(0));
  CHECK(j["status"] == "failed");
  CHECK_THAT(j["error"].get<std::string>(), Contains("limit reached: --max-events 3"));
  CHECK(j["report"]["status"] == "limit");
}

TEST_CASE("sweep: bad input stops the sweep with exit code 2 before anything runs")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("bad");
  for (std::vector<std::string> grid : {std::vector<std::string>{"--grid", "machine.cores=1..x"},
                                        {"--grid", "machine.cores=0,1"},
                                        {"--grid", "machine.corez=1,2"},
                                        {"--grid", "machine.cores=1", "--shard", "3/2"}}) {
    auto r = run_cli(sweep_args(scenario, dir, grid));
    CHECK(r.exit_code == 2);
    CHECK(!r.err.empty());
    CHECK(!fs::exists(dir / "results.csv"));
  }
  CHECK_THAT(run_cli(sweep_args(scenario, dir, {"--grid", "machine.corez=1,2"})).err,
             Contains("did you mean 'cores'"));
}

TEST_CASE("sweep: a shard runs its slice, the full command then runs only the missing points")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("resume");
  auto args = sweep_args(scenario, dir, {"--grid", "machine.cores=1..6", "--json"});
  auto shard = args;
  shard.insert(shard.end(), {"--shard", "1/2"});
  REQUIRE(run_cli(shard).exit_code == 0);
  CHECK(lines_of(dir / "results.csv").size() == 4);  // points 0, 2, 4

  // A crash in the middle of a write leaves half a line: that point runs again.
  {
    std::ofstream(dir / "points.jsonl", std::ios::app) << R"({"point":1,"params":{"mach)";
  }
  auto r = run_cli(args);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(R"({"event":"start","total":6,"done":3,"to_run":3)"));
  std::set<std::string> ran;
  std::istringstream events(r.out);
  for (std::string line; std::getline(events, line);)
    if (auto e = nlohmann::json::parse(line); e["event"] == "point")
      ran.insert(std::to_string(e["point"].get<int>()));
  CHECK(ran == std::set<std::string>{"1", "3", "5"});
  auto lines = lines_of(dir / "results.csv");
  REQUIRE(lines.size() == 7);
  for (int i = 0; i < 6; ++i)  // sorted by point at the end of the run, once each
    CHECK(fields(lines[i + 1])[0] == std::to_string(i));
  CHECK(lines_of(dir / "points.jsonl").size() == 6);
}

TEST_CASE("sweep: a directory made by another grid or an edited scenario is refused")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto dir = out_dir("mismatch");
  REQUIRE(run_cli(sweep_args(scenario, dir, {"--grid", "machine.cores=1,2"})).exit_code == 0);
  auto r = run_cli(sweep_args(scenario, dir, {"--grid", "machine.cores=1,2,4"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("made by a different sweep") && Contains("grid"));
  std::ofstream(scenario, std::ios::app) << "# edited\n";
  r = run_cli(sweep_args(scenario, dir, {"--grid", "machine.cores=1,2"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("the scenario's text is not the one that sweep ran"));
  CHECK(lines_of(dir / "results.csv").size() == 3);
}

TEST_CASE("merge: two shards merge into the unsharded sweep's results, a missing shard gives 1")
{
  auto scenario = write_temp_scenario(four_seconds_yaml);
  auto a = out_dir("shard-a"), b = out_dir("shard-b"), all = out_dir("all"), m = out_dir("merged");
  std::vector<std::string> grid = {"--grid", "machine.cores=1,2,3", "--grid", "machine.speed=1,2"};
  auto with = [&](fs::path d, std::vector<std::string> more) {
    auto args = sweep_args(scenario, d, grid);
    args.insert(args.end(), more.begin(), more.end());
    return run_cli(args).exit_code;
  };
  REQUIRE(with(a, {"--shard", "1/2"}) == 0);
  REQUIRE(with(b, {"--shard", "2/2"}) == 0);
  REQUIRE(with(all, {}) == 0);
  auto r = run_cli({"merge", b.string(), a.string(), "--out", m.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(without_wall(m / "results.csv") == without_wall(all / "results.csv"));
  CHECK(lines_of(m / "points.jsonl").size() == 6);

  r = run_cli({"merge", a.string(), "--out", out_dir("half").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("3 missing"));
  auto other = out_dir("other");
  REQUIRE(run_cli(sweep_args(scenario, other, {"--grid", "machine.cores=1"})).exit_code == 0);
  r = run_cli({"merge", a.string(), other.string(), "--out", out_dir("bad-merge").string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("made by a different sweep"));
}

TEST_CASE("run: several files or a directory run as a batch with a scenario column")
{
  auto one = write_temp_scenario(four_seconds_yaml, "one");
  auto two = write_temp_scenario(std::string(four_seconds_yaml) + "name: two\n", "two");
  auto dir = out_dir("batch");
  auto r = run_cli({"run", one, two, "--set", "machine.cores=2", "--out", dir.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(dir / "results.csv");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "point,scenario," + header_tail);
  CHECK(fields(lines[1])[1] == one);
  CHECK(fields(lines[2])[1] == two);
  CHECK(fields(lines[2])[4] == "2.0");
  CHECK(nlohmann::json::parse(lines_of(dir / "points.jsonl")[1])["report"]["scenario"] == "two");

  auto from_dir = out_dir("batch-dir");
  r = run_cli(
      {"run", gilsim::test::source_dir() + "/scenarios/examples", "--out", from_dir.string()});
  REQUIRE(r.exit_code == 0);
  auto rows = lines_of(from_dir / "results.csv");
  REQUIRE(rows.size() == 9);  // the header and the 8 examples
  CHECK_THAT(rows[2], Contains("cpu_bound.yaml") && Contains(",ok,0.200066,"));  // by name
  CHECK(run_cli({"run", one, "-j", "2"}).exit_code == 2);
}

TEST_CASE("sweep: a resume with nothing to run still leaves its files in point order")
{
  const auto dir = fresh("resume");
  const auto out = (dir / "sw").string();
  const std::vector<std::string> sweep = {"sweep", cpu_bound(), "--grid", "machine.cores=1,2,3",
                                          "--out", out, "-j", "1"};
  REQUIRE(run_cli(sweep).exit_code == 0);
  // Rows in completion order, as a crash between a point and the final sort leaves them.
  auto rows = lines_of(dir / "sw" / "points.jsonl");
  REQUIRE(rows.size() == 3);
  {
    std::ofstream jsonl(dir / "sw" / "points.jsonl");
    for (auto it = rows.rbegin(); it != rows.rend(); ++it)
      jsonl << *it << "\n";
  }
  auto r = run_cli(sweep);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(lines_of(dir / "sw" / "points.jsonl") == rows);
  auto csv = lines_of(dir / "sw" / "results.csv");
  REQUIRE(csv.size() == 4);
  for (int i = 0; i < 3; ++i)
    CHECK(csv[i + 1].rfind(std::to_string(i) + ",", 0) == 0);
  fs::remove_all(dir);
}

TEST_CASE("sweep: a sweep or a merge into a place that cannot be written exits with 3")
{
  const auto dir = fresh("sweep");
  std::ofstream(dir / "plain") << "x";
  auto r = run_cli({"sweep", cpu_bound(), "--grid", "machine.cores=1", "--out",
                    (dir / "plain").string()});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("cannot write into " + (dir / "plain").string()));
  r = run_cli({"merge", (dir / "plain").string(), "--out", (dir / "plain" / "m").string()});
  CHECK((r.exit_code == 2 || r.exit_code == 3));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("merge: refuses a directory a live sweep is writing to")
{
  const auto dir = fresh("merge");
  const auto a = (dir / "a").string(), b = (dir / "b").string();
  const std::vector<std::string> grid = {"--grid", "machine.cores=1,2", "-j", "1"};
  auto sweep = [&](const std::string& out, const std::string& shard) {
    std::vector<std::string> args = {"sweep", cpu_bound(), "--out", out, "--shard", shard};
    args.insert(args.end(), grid.begin(), grid.end());
    return run_cli(args);
  };
  REQUIRE(sweep(a, "1/2").exit_code == 0);
  REQUIRE(sweep(b, "2/2").exit_code == 0);
  // The lock a running sweep holds on its directory.
  int fd = ::open(b.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  const auto before = lines_of(dir / "b" / "points.jsonl");
  auto r = run_cli({"merge", a, b, "--out", b});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("another gilsim sweep or merge is writing to this directory"));
  CHECK(lines_of(dir / "b" / "points.jsonl") == before);
  ::close(fd);
  CHECK(run_cli({"merge", a, b, "--out", b}).exit_code == 0);
  CHECK(lines_of(dir / "b" / "points.jsonl").size() == 2);
  fs::remove_all(dir);
}

TEST_CASE("sweep: a batch whose file name is not UTF-8 finishes, the bad byte written as U+FFFD")
{
  // The point's path, and its child's error that echoes it, hold the byte 0xff: before, writing
  // the manifest or the record failed the whole batch with a JSON library error (exit 2).
  const fs::path dir = fs::temp_directory_path() / fmt::format("gilsim-utf8-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string good = (dir / "good.yaml").string();
  const std::string bad = (dir / "bad\xff.yaml").string();
  std::ofstream(good) << "machine: {cores: 1}\nprocesses:\n  - name: p\n    runtime: native\n"
                         "    threads:\n      - name: t\n        program: [{cpu: 1ms}]\n";
  std::ofstream(bad) << "machine: {cores: 1}\n";  // no processes: a failed point
  const auto r = run_cli({"run", good, bad, "--out", (dir / "out").string()});
  INFO(r.err);
  CHECK(r.exit_code == 1);  // one point failed, none lost
  std::ifstream in(dir / "out" / "points.jsonl");
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(in, line);)
    rows.push_back(nlohmann::json::parse(line));  // valid UTF-8, or parse throws
  REQUIRE(rows.size() == 2);
  int ok = 0, failed = 0;
  for (const auto& row : rows) {
    if (row["status"] == "ok") {
      ++ok;
    } else {
      ++failed;
      CHECK_THAT(row["error"].get<std::string>(), Contains("bad\xEF\xBF\xBD.yaml"));
    }
  }
  CHECK(ok == 1);
  CHECK(failed == 1);
  fs::remove_all(dir);
}
