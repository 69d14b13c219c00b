// Outputs written whole or not at all: every output path is checked before the run, and a file
// that cannot be written exits with 3 (not 2, the bad-input code) and leaves nothing of the run.
#include "sim/out/writer.hpp"
#include "tests/cli/cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using Catch::Matchers::Contains;
using gilsim::test::example;
using gilsim::test::run_cli;
namespace fs = std::filesystem;

using gilsim::test::names_in;

namespace {

fs::path fresh_dir(const std::string& name)
{
  auto d = fs::temp_directory_path() / ("gilsim-outputs-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("outputs: a path that cannot take a file is found before the run, exit 3, no trace")
{
  // Tests run as root, for whom permissions refuse nothing: a path under a regular file fails
  // for everyone (ENOTDIR), and so does a directory that is a file.
  const auto dir = fresh_dir("before");
  std::ofstream(dir / "plain") << "x";
  const auto trace = (dir / "trace.json").string();
  for (const auto& out : {dir / "plain", dir / "plain" / "sub"}) {
    auto r = run_cli({"run", example(), "--trace", trace, "--out", out.string()});
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("gilsim: cannot write " + out.string()) &&
                          Contains("is not a directory"));
    CHECK(names_in(dir) == std::vector<std::string>{"plain"});
  }
  auto r = run_cli({"run", example(), "--trace", (dir / "plain" / "t.json").string()});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("is not a directory"));
  r = run_cli({"run", example(), "--timeline", dir.string()});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("it is a directory"));
  CHECK(names_in(dir) == std::vector<std::string>{"plain"});
  fs::remove_all(dir);
}

TEST_CASE("outputs: a write that fails (a full disk: /dev/full) leaves no file of the run")
{
  const auto dir = fresh_dir("full");
  const auto out = dir / "out";
  auto r = run_cli({"run", example(), "--out", out.string(), "--timeline",
                    (dir / "t.svg").string(), "--trace", "/dev/full"});
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("gilsim: cannot write /dev/full: No space left on device"));
  // Not the report, the CSV, the timeline, their temporaries, nor the directory made for them.
  CHECK(names_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("outputs: a run's files are whole and their temporaries gone")
{
  const auto dir = fresh_dir("whole");
  auto r = run_cli({"run", example(), "--out", (dir / "out").string(), "--timeline",
                    (dir / "t.svg").string()});
  CHECK(r.exit_code == 0);
  CHECK(names_in(dir) == std::vector<std::string>{"out", "t.svg"});
  CHECK(names_in(dir / "out") == std::vector<std::string>{"report.json", "threads.csv"});
  fs::remove_all(dir);
}

TEST_CASE("outputs: a set of files is renamed all together or not at all")
{
  const auto dir = fresh_dir("set");
  {
    gilsim::output_files files;
    files.add(dir / "a.txt", "a\n");
    CHECK_THROWS_AS(files.add(dir / "no-such" / "b.txt", "b\n"), gilsim::output_error);
  }
  CHECK(names_in(dir).empty());
  {
    gilsim::output_files files;
    files.add(dir / "a.txt", "a\n");
    files.add("/dev/full", "lost\n");
    CHECK_THROWS_WITH(files.commit(), "cannot write /dev/full: No space left on device");
  }
  CHECK(names_in(dir).empty());
  gilsim::write_file_whole(dir / "a.txt", "a\n");
  std::string word;
  std::ifstream(dir / "a.txt") >> word;
  CHECK(word == "a");
  CHECK(names_in(dir) == std::vector<std::string>{"a.txt"});
  fs::remove_all(dir);
}
