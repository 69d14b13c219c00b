// Golden outputs: every scenario under scenarios/ has its expected report checked in beside it
// (FILE.yaml -> FILE.report.json, wall_s left out), and the examples their traces, timelines
// and Mermaid text under tests/golden/. A change of the engine that moves any figure fails here;
// one that moves figures on purpose regenerates them with scripts/update-goldens and says in its
// commit which figures moved and why. The figures that can be worked out by hand are derived in
// each scenario's comments and checked by the scenario tests; these files guard everything else.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using gilsim::test::run_cli;
using gilsim::test::source_dir;

namespace fs = std::filesystem;

namespace {

bool updating() { return std::getenv("GILSIM_UPDATE_GOLDENS") != nullptr; }

std::string read_text(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text)
{
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Compares `actual` with the golden file, or rewrites it in update mode.
void check_golden(const fs::path& golden, const std::string& actual)
{
  if (updating()) {
    write_text(golden, actual);
    return;
  }
  INFO("golden file " << golden.string() << " (regenerate: scripts/update-goldens)");
  REQUIRE(fs::exists(golden));
  std::string expected = read_text(golden);
  if (expected != actual) {
    // Show the first line that differs, not two whole files.
    std::istringstream a(expected), b(actual);
    std::string la, lb;
    int line = 1;
    while (std::getline(a, la) && std::getline(b, lb) && la == lb)
      ++line;
    INFO("first difference at line " << line << ": expected `" << la << "`, got `" << lb << "`");
    CHECK(expected == actual);
  }
}

std::vector<fs::path> shipped_scenarios()
{
  const auto files = gilsim::test::shipped_scenarios();
  return {files.begin(), files.end()};
}

// The report as `run --json` prints it, less the one key that is not deterministic.
std::string report_text(const fs::path& scenario)
{
  auto r = run_cli({"run", scenario.string(), "--json"});
  INFO(scenario.string() << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  j.erase("wall_s");
  return j.dump(2) + "\n";
}

}  // namespace

TEST_CASE("every shipped scenario gives its checked-in report", "[golden]")
{
  auto all = shipped_scenarios();
  REQUIRE(all.size() >= 18);
  for (const auto& path : all) {
    fs::path golden = path;
    golden.replace_extension(".report.json");
    check_golden(golden, report_text(path));
  }
}

// A batch runs each point in a child forked from gilsim (or, with --exec, in a gilsim started
// afresh): both must give every scenario's report byte for byte as a run of its own does.
TEST_CASE("a batch of every shipped scenario, forked or exec'd, gives the checked-in reports",
          "[golden]")
{
  if (updating())
    return;
  const auto all = shipped_scenarios();
  const fs::path dir = fs::temp_directory_path() / ("gilsim-golden-batch-" + std::to_string(::getpid()));
  for (bool exec : {false, true}) {
    fs::remove_all(dir);
    std::vector<std::string> args = {"run"};
    for (const auto& p : all)
      args.push_back(p.string());
    args.insert(args.end(), {"--out", dir.string(), "-j", "2"});
    if (exec)
      args.push_back("--exec");
    auto r = run_cli(args);
    INFO((exec ? "exec: " : "fork: ") << r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(dir / "points.jsonl");
    std::size_t n = 0;
    for (std::string line; std::getline(in, line); ++n) {
      auto rec = nlohmann::json::parse(line);
      REQUIRE(rec["status"] == "ok");
      fs::path golden = all.at(rec["point"].get<std::size_t>());
      golden.replace_extension(".report.json");
      auto report = rec["report"];
      report.erase("wall_s");
      INFO(golden.string());
      CHECK(read_text(golden) == report.dump(2) + "\n");
    }
    CHECK(n == all.size());
  }
  fs::remove_all(dir);
}

TEST_CASE("the examples give their checked-in traces, timelines and Mermaid text", "[golden]")
{
  fs::path src = source_dir();
  fs::path tmp = fs::temp_directory_path() / ("gilsim-golden-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  for (std::string name : {"cpu_bound", "io_bound", "mixed", "lock_contention", "gil_convoy"}) {
    fs::path scenario = src / "scenarios" / "examples" / (name + ".yaml");
    fs::path trace = tmp / (name + ".json"), svg = tmp / (name + ".svg");
    auto r = run_cli({"run", scenario.string(), "--trace", trace.string(), "--timeline",
                      svg.string(), "--diagram", "mermaid"});
    INFO(name << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    fs::path dir = src / "tests" / "golden";
    check_golden(dir / (name + ".trace.json"), read_text(trace));
    check_golden(dir / (name + ".timeline.svg"), read_text(svg));
    check_golden(dir / (name + ".mermaid.md"), r.out);
  }
  fs::remove_all(tmp);
}
