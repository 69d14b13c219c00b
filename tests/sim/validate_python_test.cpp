// validate --python's suite: the shipped list names programs and twins that exist, with unique
// names and the two-program tiny set the tests run; a malformed list is refused at its line and
// column; a program's figure is the last {"seconds": ...} line it printed.
#include "sim/calib/validate_python.hpp"

#include "models/core/error.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace gilsim;
namespace fs = std::filesystem;

TEST_CASE("validate --python: the shipped suite names files that exist", "[validate]")
{
  const fs::path dir = fs::path(test::source_dir()) / "scenarios/validation";
  CHECK(detail::find_suite("") == dir);  // not installed: the source tree's
  const auto suite = detail::read_suite(dir);
  CHECK(suite.size() >= 18);
  std::set<std::string> names;
  int tiny = 0;
  for (const auto& p : suite) {
    INFO(p.name);
    CHECK(names.insert(p.name).second);
    CHECK(fs::exists(dir / p.run.front()));
    CHECK(fs::path(p.run.front()).extension() == ".py");
    CHECK(fs::exists(dir / p.twin));
    tiny += p.tiny;
  }
  CHECK(tiny == 2);
}

TEST_CASE("validate --python: a malformed suite is refused where it is wrong", "[validate]")
{
  const fs::path dir = fs::temp_directory_path() / fmt::format("gilsim-suite-{}", getpid());
  fs::create_directories(dir);
  std::ofstream(dir / "a.py") << "print('{\"seconds\": 1}')\n";
  std::ofstream(dir / "a.yaml") << "name: a\n";
  const auto refused = [&](const std::string& text, const std::string& where,
                           const std::string& what) {
    std::ofstream(dir / "suite.yaml") << text;
    INFO(text);
    try {
      detail::read_suite(dir);
      FAIL("accepted");
    } catch (const input_error& e) {
      const std::string msg = e.what();
      CHECK_THAT(msg, Catch::Contains(where));
      CHECK_THAT(msg, Catch::Contains(what));
    }
  };
  refused("programs: []\n", "suite.yaml:1:", "expected a list");
  refused("programs:\n  - {name: a, run: [a.py], twin: a.yaml, runs: 3}\n", "suite.yaml:2:",
          "unknown key");
  refused("programs:\n  - {name: a, twin: a.yaml}\n", "suite.yaml:2:5", "'run' is missing");
  refused("programs:\n  - {name: a, run: [b.py], twin: a.yaml}\n", "suite.yaml:2:5",
          "b.py is not in");
  refused("programs: [\n", "suite.yaml:", "");
  std::ofstream(dir / "suite.yaml") << "programs:\n  - {name: a, run: [a.py, '2'], twin: a.yaml}\n";
  const auto ok = detail::read_suite(dir);
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].run == std::vector<std::string>{"a.py", "2"});
  CHECK_FALSE(ok[0].tiny);
  fs::remove_all(dir);
}

TEST_CASE("validate --python: the figure is the last seconds line", "[validate]")
{
  CHECK(detail::program_seconds("{\"seconds\": 0.5}\n") == 0.5);
  CHECK(detail::program_seconds("warming up\n{\"seconds\": 1}\nnoise\n{\"seconds\": 2.5, "
                                "\"python\": \"3.12.8\"}\n") == 2.5);
  CHECK_THROWS_AS(detail::program_seconds("Traceback (most recent call last):\n"),
                  std::runtime_error);
  CHECK_THROWS_AS(detail::program_seconds("{\"seconds\": 0}\n"), std::runtime_error);
  CHECK_THROWS_AS(detail::program_seconds("{\"wall\": 1}\n"), std::runtime_error);
}

TEST_CASE("validate --python: an interpreter that is not there is refused first", "[validate]")
{
  const auto r = test::run_cli({"validate", "--python", "/nonexistent/python3", "--tiny"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--python: no interpreter /nonexistent/python3"));
}
