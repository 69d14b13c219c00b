// The seams of the architecture, read from the sources: SimGrid is included only by sim/engine;
// the simulated OS (sim/os) includes only itself and models/; no source file in sim/ or models/
// is over 500 lines, and no function written at the top level of a .cpp file over 80. A stray
// include or a file grown too large fails here before it becomes a habit.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct source_line {
  std::string file;  // relative to the source tree
  int line;
  std::string text;
};

std::vector<fs::path> sources(const std::string& folder)
{
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(gilsim::test::source_dir()) / folder)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp"))
      out.push_back(e.path());
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

std::vector<source_line> lines_of(const fs::path& p)
{
  std::vector<source_line> out;
  std::ifstream in(p);
  std::string text;
  auto rel = fs::relative(p, gilsim::test::source_dir()).string();
  for (int n = 1; std::getline(in, text); ++n)
    out.push_back({rel, n, text});
  return out;
}

}  // namespace

TEST_CASE("seams: SimGrid is included by sim/engine only", "[seams]")
{
  const std::regex simgrid(R"(^\s*#\s*include\s*<(simgrid|xbt)[/.>])");
  std::vector<std::string> stray;
  for (const std::string folder : {"sim", "models"})
    for (const auto& p : sources(folder))
      for (const auto& l : lines_of(p))
        if (std::regex_search(l.text, simgrid) && !l.file.starts_with("sim/engine/"))
          stray.push_back(l.file + ":" + std::to_string(l.line) + ": " + l.text);
  INFO(stray.size() << " stray includes; the first: " << (stray.empty() ? "" : stray[0]));
  CHECK(stray.empty());
}

TEST_CASE("seams: the simulated OS includes only itself and the models", "[seams]")
{
  const std::regex quoted(R"#(^\s*#\s*include\s*"([^"]+)")#");
  std::vector<std::string> stray;
  for (const auto& p : sources("sim/os"))
    for (const auto& l : lines_of(p)) {
      std::smatch m;
      if (std::regex_search(l.text, m, quoted) && !m[1].str().starts_with("sim/os/") &&
          !m[1].str().starts_with("models/"))
        stray.push_back(l.file + ":" + std::to_string(l.line) + ": " + l.text);
    }
  INFO(stray.size() << " stray includes; the first: " << (stray.empty() ? "" : stray[0]));
  CHECK(stray.empty());
}

TEST_CASE("seams: no source file in sim/ or models/ is over 500 lines", "[seams]")
{
  std::vector<std::string> large;
  for (const std::string folder : {"sim", "models"})
    for (const auto& p : sources(folder)) {
      auto n = lines_of(p).size();
      if (n > 500)
        large.push_back(fs::relative(p, gilsim::test::source_dir()).string() + ": " +
                        std::to_string(n) + " lines");
    }
  INFO((large.empty() ? "" : large[0]) << (large.size() > 1 ? " and more" : ""));
  CHECK(large.empty());
}

TEST_CASE("seams: no top-level function in sim/ or models/ is over 80 lines", "[seams]")
{
  // A function written at the top level opens with a `{` alone at the start of a line and
  // closes with the next `}` there (the code is formatted that way: .clang-format).
  std::vector<std::string> long_ones;
  for (const std::string folder : {"sim", "models"})
    for (const auto& p : sources(folder)) {
      if (p.extension() != ".cpp")
        continue;
      auto lines = lines_of(p);
      for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].text != "{")
          continue;
        size_t j = i + 1;
        while (j < lines.size() && !lines[j].text.starts_with("}"))
          ++j;
        if (j - i - 1 > 80)
          long_ones.push_back(lines[i].file + ":" + std::to_string(lines[i].line - 1) + ": " +
                              lines[i - 1].text + " (" + std::to_string(j - i - 1) + " lines)");
        i = j;
      }
    }
  INFO(long_ones.size() << " long functions; the first: "
                        << (long_ones.empty() ? "" : long_ones[0]));
  CHECK(long_ones.empty());
}
