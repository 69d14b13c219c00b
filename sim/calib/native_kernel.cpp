// The real prime kernel and its parallel runners (threads or fork()ed processes, static chunks or
// a shared atomic counter), timed by gilsim calibrate and gilsim validate.
#include "sim/calib/native_kernel.hpp"

#include "models/cost/prime_work.hpp"

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gilsim::native {
namespace {

// The seed's loop, for one width of integer. The bound is int(math.sqrt(n)) as the seed writes it
// (for n < 2^52 the double square root truncates to the exact integer root).
template <class uint>
bool odd_is_prime(uint n)
{
  const auto bound = static_cast<uint>(std::sqrt(static_cast<double>(n)));
  for (uint i = 3; i <= bound; i += 2)
    if (n % i == 0)
      return false;
  return true;
}

[[noreturn]] void fail_errno(const char* what)
{
  throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// The numbers a worker takes next from a shared counter, `chunk` at a time, until past `last`.
std::uint64_t count_shared(std::atomic<std::uint64_t>& next, std::uint64_t last,
                           std::uint64_t chunk)
{
  std::uint64_t primes = 0;
  for (;;) {
    std::uint64_t first = next.fetch_add(chunk, std::memory_order_relaxed);
    if (first > last)
      return primes;
    primes += count_primes(first, std::min(last, first + chunk - 1));
  }
}

// The work of worker i: its static chunk, or chunks from the counter.
std::uint64_t worker_count(const parallel_run& run, const std::vector<number_range>& slices,
                           std::atomic<std::uint64_t>* next, int i)
{
  if (run.how == split::shared)
    return count_shared(*next, run.last, run.chunk);
  return count_primes(slices[size_t(i)].first, slices[size_t(i)].last);
}

std::uint64_t run_threads(const parallel_run& run, const std::vector<number_range>& slices)
{
  std::atomic<std::uint64_t> next{run.first};
  std::vector<std::uint64_t> counts(size_t(run.workers), 0);
  std::vector<std::thread> workers;
  workers.reserve(size_t(run.workers));
  for (int i = 0; i < run.workers; ++i)
    workers.emplace_back([&, i] { counts[size_t(i)] = worker_count(run, slices, &next, i); });
  std::uint64_t total = 0;
  for (int i = 0; i < run.workers; ++i) {
    workers[size_t(i)].join();
    total += counts[size_t(i)];
  }
  return total;
}

// Children share the counter through an anonymous shared mapping (a lock-free atomic works across
// processes) and write their count, 8 bytes, to one pipe: writes that small are atomic.
std::uint64_t run_processes(const parallel_run& run, const std::vector<number_range>& slices)
{
  void* shared = mmap(nullptr, sizeof(std::atomic<std::uint64_t>), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED)
    fail_errno("mmap");
  auto* next = new (shared) std::atomic<std::uint64_t>{run.first};
  int fds[2];
  if (pipe(fds) != 0) {
    munmap(shared, sizeof(*next));
    fail_errno("pipe");
  }
  std::vector<pid_t> children;
  for (int i = 0; i < run.workers; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      std::uint64_t count = worker_count(run, slices, next, i);
      ssize_t n = write(fds[1], &count, sizeof count);
      _exit(n == ssize_t(sizeof count) ? 0 : 1);
    }
    if (pid < 0)
      break;
    children.push_back(pid);
  }
  close(fds[1]);
  bool ok = int(children.size()) == run.workers;
  std::uint64_t total = 0;
  for (size_t k = 0; k < children.size(); ++k) {
    std::uint64_t count = 0;
    if (read(fds[0], &count, sizeof count) != ssize_t(sizeof count))
      ok = false;
    total += count;
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  close(fds[0]);
  munmap(shared, sizeof(*next));
  if (!ok)
    throw std::runtime_error("a worker process could not be started or did not report");
  return total;
}

}  // namespace

bool is_prime(std::uint64_t n)
{
  if (n == 2 || n == 3)
    return true;
  if (n <= 1 || n % 2 == 0)
    return false;
  if (n <= 0xffffffffu)
    return odd_is_prime<std::uint32_t>(std::uint32_t(n));
  return odd_is_prime<std::uint64_t>(n);
}

std::uint64_t count_primes(std::uint64_t first, std::uint64_t last)
{
  std::uint64_t primes = 0;
  for (std::uint64_t n = first; n <= last && n >= first; ++n)  // n >= first: stop at wrap-around
    primes += is_prime(n) ? 1 : 0;
  return primes;
}

std::uint64_t count_primes_parallel(const parallel_run& run)
{
  if (run.workers < 1 || run.chunk < 1)
    throw std::invalid_argument("count_primes_parallel: workers and chunk must be 1 or more");
  std::vector<number_range> slices;
  if (run.how == split::chunks)
    slices = split_range(run.first, run.last, std::uint64_t(run.workers));
  return run.on == runner::threads ? run_threads(run, slices) : run_processes(run, slices);
}

std::string to_string(split s) { return s == split::chunks ? "chunks" : "shared"; }
std::string to_string(runner r) { return r == runner::threads ? "threads" : "processes"; }

}  // namespace gilsim::native
