// The arrows between folders (docs/design.md, "Dependencies between folders"): models/ depends only on models/, and loading
// sits below the command line, calibration and batches, so sim/load may include models/, itself
// and the simulated OS, never sim/cli, sim/batch, sim/calib, sim/out or sim/engine. Read from the
// sources' #include lines, so that a stray include fails here before it becomes a cycle.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct include_line {
  std::string file;  // relative to the source tree
  int line;
  std::string target;  // what is between the quotes
};

// The quoted includes of every C++ file under `folder` (relative to the source tree).
std::vector<include_line> quoted_includes(const std::string& folder)
{
  const fs::path root = gilsim::test::source_dir();
  std::vector<include_line> out;
  for (const auto& e : fs::recursive_directory_iterator(root / folder)) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp"))
      continue;
    std::ifstream in(e.path());
    std::string text;
    for (int n = 1; std::getline(in, text); ++n) {
      const auto hash = text.find_first_not_of(" \t");
      if (hash == std::string::npos || text.compare(hash, 8, "#include") != 0)
        continue;
      const auto open = text.find('"'), close = text.rfind('"');
      if (open != std::string::npos && close > open)
        out.push_back({fs::relative(e.path(), root).string(), n,
                       text.substr(open + 1, close - open - 1)});
    }
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

bool starts_with_any(const std::string& s, const std::vector<std::string>& prefixes)
{
  for (const auto& p : prefixes)
    if (s.starts_with(p))
      return true;
  return false;
}

}  // namespace

TEST_CASE("layering: models/ includes nothing outside models/", "[layering]")
{
  for (const auto& i : quoted_includes("models")) {
    INFO(i.file << ":" << i.line << ": #include \"" << i.target << "\"");
    CHECK(i.target.starts_with("models/"));
  }
}

TEST_CASE("layering: sim/load includes only models/, itself and the simulated OS", "[layering]")
{
  for (const auto& i : quoted_includes("sim/load")) {
    INFO(i.file << ":" << i.line << ": #include \"" << i.target << "\"");
    CHECK(starts_with_any(i.target, {"models/", "sim/load/", "sim/os/"}));
  }
}
