// SIGINT and SIGTERM on a long run: exit 130 and 143 with one line on stderr, and not one file
// of the run left, neither an output nor a temporary.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// Round robin with a 1 us quantum between two threads of 1000 s: a billion switches, a run
// that goes on far longer than any test waits.
const char* endless_yaml = R"(
machine: {cores: 1}
scheduler: {policy: rr, quantum: 1us}
processes:
  - name: p
    runtime: native
    threads:
      - {name: w, count: 2, program: [{cpu: 1000s}]}
)";

struct ended {
  int exit_code = -1;  // -1: killed by a signal, or still running after the wait
  std::string err;
};

// Starts `gilsim run` (or `command`) on the endless scenario, lets it run into the simulation,
// sends `sig`, and waits (at most 20 s, then SIGKILL) for it to end. With `ignored`, the run is
// started with that signal ignored, as a script's background job is with SIGINT; it is sent
// first, and `sig` half a second later, once the run is seen to go on.
ended interrupt_run(int sig, const std::vector<std::string>& extra,
                    const std::string& command = "run", int ignored = 0)
{
  const auto scenario = gilsim::test::write_temp_scenario(endless_yaml, "endless");
  const auto err_path = fs::temp_directory_path() / ("gilsim-signal-" + std::to_string(getpid()));
  std::vector<std::string> argv = {GILSIM_BINARY, command, scenario};
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (ignored)
      ::signal(ignored, SIG_IGN);
    int fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(null_fd, 1);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int status = 0;
  if (ignored) {
    ::kill(pid, ignored);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(::waitpid(pid, &status, WNOHANG) == 0);  // the ignored signal did not end it
  }
  ::kill(pid, sig);
  ended e;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (WIFEXITED(status))
    e.exit_code = WEXITSTATUS(status);
  std::ifstream in(err_path);
  std::stringstream ss;
  ss << in.rdbuf();
  e.err = ss.str();
  fs::remove(err_path);
  return e;
}

}  // namespace

TEST_CASE("signals: SIGINT and SIGTERM stop a run with 130 / 143, one line, and no files")
{
  const auto dir = fs::temp_directory_path() / ("gilsim-signals-" + std::to_string(getpid()));
  for (auto [sig, code, name] : {std::tuple{SIGINT, 130, "SIGINT"}, {SIGTERM, 143, "SIGTERM"}}) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto e = interrupt_run(sig, {"--out", (dir / "out").string(), "--trace",
                                 (dir / "t.json").string()});
    INFO(e.err);
    CHECK(e.exit_code == code);
    CHECK_THAT(e.err, Contains(name));
    CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
    CHECK(fs::is_empty(dir));
  }
  fs::remove_all(dir);
}

TEST_CASE("signals: a run started with SIGINT ignored goes on at SIGINT and stops at SIGTERM")
{
  // A script's background job (`gilsim run ... &`) starts with SIGINT ignored; SimGrid's own
  // handler used to take it and end the run with exit 1 and no message.
  auto e = interrupt_run(SIGTERM, {}, "run", SIGINT);
  INFO(e.err);
  CHECK(e.exit_code == 143);
  CHECK(e.err == "gilsim: terminated by SIGTERM; the run stopped and left no partial file\n");
}

// The sweep passes the signal on to its points, forked or exec'd: each ends at once (a point
// that went on with its 1000 s would keep the sweep waiting past the test's 20 s), and the sweep
// exits with 128 + the signal, its finished points kept.
TEST_CASE("signals: SIGTERM stops a sweep and its running points, forked or exec'd, with 143")
{
  const auto dir = fs::temp_directory_path() / ("gilsim-signals-sweep-" + std::to_string(getpid()));
  for (bool exec : {false, true}) {
    fs::remove_all(dir);
    std::vector<std::string> extra = {"--grid", "machine.cores=1,2,3", "-j", "2", "--out",
                                      dir.string()};
    if (exec)
      extra.push_back("--exec");
    auto e = interrupt_run(SIGTERM, extra, "sweep");
    INFO((exec ? "exec: " : "fork: ") << e.err);
    CHECK(e.exit_code == 143);
    CHECK_THAT(e.err, Contains("interrupted; the finished points are in"));
    CHECK(fs::exists(dir / "sweep.json"));
  }
  fs::remove_all(dir);
}
