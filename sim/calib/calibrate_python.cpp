// CPython's cost of the lessons' is_prime (the language factor of the cost model): the seed's
// own code timed under the host's python3 in a child process, per range, in thread CPU time.
#include "sim/calib/calibrate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace gilsim::detail {
namespace {

// The seed's is_prime as written (shared/seeds/004), and a loop over a range like the lessons'
// sync runner, so per_item holds the call and the loop turn. Each argument is first:last:passes;
// each output line is first, last, the prime count and `runs` timings of one pass.
constexpr const char* python_script = R"(import math, platform, sys, time


def is_prime(n: int):
    if n in [2, 3]:
        return True
    elif n <= 1 or n % 2 == 0:
        return False
    else:
        factors = range(3, int(math.sqrt(n)) + 1, 2)
        for i in factors:
            if n % i == 0:
                return False
        return True


def count(first, last):
    primes = 0
    for n in range(first, last + 1):
        if is_prime(n):
            primes += 1
    return primes


print(platform.python_implementation(), platform.python_version(), flush=True)
runs = int(sys.argv[1])
for spec in sys.argv[2:]:
    first, last, passes = map(int, spec.split(":"))
    times = []
    for _ in range(runs):
        t0 = time.thread_time()
        for _ in range(passes):
            primes = count(first, last)
        times.append((time.thread_time() - t0) / passes)
    print(first, last, primes, *times, flush=True)
)";

std::string shell_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string find_on_path(const std::string& name)
{
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty())
      continue;
    const auto candidate = std::filesystem::path(dir) / name;
    if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return candidate.string();
  }
  return {};
}

python_timing time_python(const std::string& python, const std::vector<number_range>& ranges,
                          double seconds_per_run, int runs)
{
  python_timing out;
  const auto script = std::filesystem::temp_directory_path() /
                      fmt::format("gilsim-calibrate-{}.py", getpid());
  std::ofstream(script) << python_script;
  // Passes per timing from the default CPython cost, so that each run lasts about as asked.
  const kernel_cost guess = scenario{}.python_cost;
  std::vector<range_work> work;
  std::string cmd =
      fmt::format("{} {} {}", shell_quote(python), shell_quote(script.string()), runs);
  for (const auto& r : ranges) {
    work.push_back(prime_range_work(r));
    const double pass = double(work.back().divisions) * guess.per_division +
                        double(work.back().items) * guess.per_item;
    const long passes = std::max(1L, std::lround(seconds_per_run / pass));
    cmd += fmt::format(" {}:{}:{}", r.first, r.last, passes);
  }
  cmd += " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    std::filesystem::remove(script);
    out.note = "could not start " + python;
    return out;
  }
  std::string text;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    text.append(buf.data(), n);
  const int status = pclose(pipe);
  std::filesystem::remove(script);
  std::istringstream lines(text);
  std::string line;
  if (status != 0 || !std::getline(lines, out.interpreter)) {
    out.note = fmt::format("{} failed: {}", python, text.substr(0, 200));
    out.interpreter.clear();
    return out;
  }
  for (size_t k = 0; k < ranges.size(); ++k) {
    std::uint64_t first = 0, last = 0, primes = 0;
    std::vector<double> times(size_t(runs), 0.0);
    std::istringstream in(std::getline(lines, line) ? line : std::string());
    in >> first >> last >> primes;
    for (auto& t : times)
      in >> t;
    // The count proves the snippet ran the same kernel over the same numbers.
    if (!in || first != ranges[k].first || primes != work[k].primes) {
      out = {};
      out.note = fmt::format("{} gave an unexpected answer: '{}'", python, line);
      return out;
    }
    const sample_stats s = stats_of(times);
    out.samples.push_back({double(work[k].divisions), double(work[k].items), s.median});
    out.spreads.push_back(s.spread);
  }
  return out;
}

}  // namespace gilsim::detail
