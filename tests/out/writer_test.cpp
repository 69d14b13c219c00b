// The writer registry: every output registered by name in its order, the options choosing the
// writers (one console writer at most), and the writing into files, directories and the
// console. A writer of its own, registered below, shows that a new output is one file.
#include "tests/out/hand_runs.hpp"

#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

using gilsim::chosen_writer;
using gilsim::writer_registry;

// A new output: the threads' names, one a line, into the file --names names.
const bool registered = writer_registry::add(
    {.name = "thread-names",
     .option = "--names",
     .help = "write the threads' names to FILE",
     .to = gilsim::sink::file,
     .order = 70,
     .write = [](const gilsim::run_output& o) {
       std::string out;
       for (const auto& t : o.report.threads)
         out += t.name + "\n";
       return out;
     }});

// The command line as a list of options given, with their values ("" for a flag).
std::vector<chosen_writer> choose(const std::map<std::string, std::string>& given)
{
  return gilsim::choose_writers([&](const std::string& option) -> std::optional<std::string> {
    auto it = given.find(option);
    if (it == given.end())
      return std::nullopt;
    return it->second;
  });
}

// Each chosen writer as "name@where".
std::vector<std::string> described(const std::vector<chosen_writer>& chosen)
{
  std::vector<std::string> out;
  for (const auto& c : chosen)
    out.push_back(c.w->name + "@" + c.where);
  return out;
}

std::string slurp(const std::filesystem::path& p)
{
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("writers: every output is registered by name, taken in its order")
{
  std::vector<std::string> names;
  for (const auto* w : writer_registry::all())
    names.push_back(w->name);
  CHECK(names == std::vector<std::string>{"json", "chrome-trace", "svg-timeline", "html",
                                          "mermaid", "report.json", "threads.csv",
                                          "thread-names", "summary"});
  CHECK(writer_registry::find("nothing") == nullptr);
}

TEST_CASE("writers: the options choose the files and one console writer, else the summary")
{
  CHECK(described(choose({})) == std::vector<std::string>{"summary@"});
  CHECK(described(choose({{"--out", "d"}})) ==
        std::vector<std::string>{"report.json@d", "threads.csv@d", "summary@"});
  // --json takes the console from --diagram: a script reading stdout gets the JSON alone.
  auto chosen = choose({{"--json", ""}, {"--diagram", "mermaid"}, {"--trace", "t.json"}});
  CHECK(described(chosen) == std::vector<std::string>{"chrome-trace@t.json", "json@"});
  CHECK(gilsim::any_needs_trace(chosen));
  CHECK_FALSE(gilsim::any_needs_trace(choose({{"--json", ""}})));
  CHECK(described(choose({{"--diagram", "mermaid"}})) == std::vector<std::string>{"mermaid@"});
  CHECK(gilsim::any_needs_trace(choose({{"--timeline", "t.svg"}})));
  // A choice no writer has selects none.
  CHECK(described(choose({{"--diagram", "plantuml"}})) == std::vector<std::string>{"summary@"});
  // The writer of this file, chosen by its own option and nothing else.
  CHECK(described(choose({{"--names", "n.txt"}})) ==
        std::vector<std::string>{"thread-names@n.txt", "summary@"});
}

TEST_CASE("writers: each text goes to its file, into its directory or to the console")
{
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gilsim-writers-" + std::to_string(getpid()));
  fs::remove_all(dir);
  const auto r = gilsim::test::hand_report();
  const auto tr = gilsim::test::hand_trace_one_core();
  const auto chosen = choose({{"--out", (dir / "out").string()},
                              {"--names", (dir / "names.txt").string()},
                              {"--diagram", "mermaid"}});
  fs::create_directories(dir);
  std::ostringstream console;
  gilsim::write_outputs(chosen, {r, tr}, console);
  CHECK(slurp(dir / "out" / "report.json") == gilsim::report_json(r) + "\n");
  CHECK(slurp(dir / "out" / "threads.csv") == gilsim::report_threads_csv(r));
  CHECK(slurp(dir / "names.txt") == "a\nworker-10\n");
  CHECK(console.str() == gilsim::mermaid_diagrams(tr));

  const auto bad = choose({{"--names", (dir / "no-such-dir" / "names.txt").string()}});
  std::ostringstream unused;
  CHECK_THROWS_WITH(gilsim::write_outputs(bad, {r, tr}, unused),
                    Catch::Matchers::StartsWith("cannot write "));
  fs::remove_all(dir);
}
