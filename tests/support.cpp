// Runs the gilsim binary for the scenario tests.
#include "tests/support.hpp"
#include "tests/cli/shell.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace gilsim::test {

namespace {
std::string quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::filesystem::path temp_dir()
{
  static std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("gilsim-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

std::string slurp(const std::filesystem::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

std::string source_dir() { return GILSIM_SOURCE_DIR; }

// AddressSanitizer warns once per process when a stack switch it cannot follow (SimGrid's
// ucontext switches between its actors' stacks) makes it skip a clean-up: three lines on
// stderr, no error. The sanitizer build's tests compare stderr as the normal build's do, so
// the warning is taken out; a real sanitizer report is not touched (it still fails the run).
std::string without_asan_stack_warning(std::string err)
{
  const std::string head = "WARNING: ASan is ignoring requested __asan_handle_no_return";
  for (size_t at = err.find(head); at != std::string::npos; at = err.find(head)) {
    size_t begin = err.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    size_t end = begin;
    for (int line = 0; line < 3 && end < err.size(); ++line) {  // the warning and its two notes
      const size_t nl = err.find('\n', end);
      end = nl == std::string::npos ? err.size() : nl + 1;
    }
    err.erase(begin, end - begin);
  }
  return err;
}

cli_result run_command(const std::string& command)
{
  static std::atomic<int> counter{0};
  auto err_path = temp_dir() / ("stderr-" + std::to_string(counter++));
  const std::string cmd = "{ " + command + " ; } 2>" + quote(err_path.string());
  cli_result r;
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = without_asan_stack_warning(slurp(err_path));
  return r;
}

cli_result run_cli(const std::vector<std::string>& args)
{
  std::string cmd = quote(GILSIM_BINARY);
  for (const auto& a : args)
    cmd += " " + quote(a);
  return run_command(cmd);
}

std::string write_temp_scenario(const std::string& yaml, const std::string& stem)
{
  static std::atomic<int> counter{0};
  auto p = temp_dir() / (stem + "-" + std::to_string(counter++) + ".yaml");
  std::ofstream(p) << yaml;
  return p.string();
}

nlohmann::json run_json_file(const std::string& path, const std::vector<std::string>& args)
{
  std::vector<std::string> all = {"run", path, "--json"};
  all.insert(all.end(), args.begin(), args.end());
  cli_result r = run_cli(all);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

nlohmann::json run_json(const std::string& yaml, const std::vector<std::string>& args)
{
  return run_json_file(write_temp_scenario(yaml), args);
}

const nlohmann::json& thread_named(const nlohmann::json& report, const std::string& name)
{
  for (const auto& t : report.at("threads"))
    if (t.at("name") == name)
      return t;
  FAIL("no thread named " << name);
  throw std::logic_error("unreachable");
}

std::vector<std::string> shipped_scenarios()
{
  namespace fs = std::filesystem;
  const fs::path root = fs::path(source_dir()) / "scenarios";
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".yaml" &&
        *fs::relative(e.path(), root).begin() != "validation" &&  // twins need a profile
        *fs::relative(e.path(), root).begin() != "choose")         // workloads with no model
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gilsim::test
