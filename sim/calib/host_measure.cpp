// The host's thread, process, wake-up and switch costs, measured with the plain POSIX and C++
// primitives a program would use; and the host facts written into a profile's provenance.
#include "sim/calib/host_measure.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fmt/format.h>
#include <fstream>
#include <mutex>
#include <pthread.h>
#include <sched.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace gilsim::measure {

double wall_seconds()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double thread_cpu_seconds()
{
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double thread_start(int batch)
{
  std::vector<std::thread> threads;
  threads.reserve(size_t(batch));
  const double t0 = wall_seconds();
  for (int i = 0; i < batch; ++i)
    threads.emplace_back([] {});
  const double t1 = wall_seconds();
  for (auto& t : threads)
    t.join();
  return (t1 - t0) / batch;
}

double process_start(int batch)
{
  std::vector<pid_t> children;
  children.reserve(size_t(batch));
  const double t0 = wall_seconds();
  for (int i = 0; i < batch; ++i) {
    pid_t pid = fork();
    if (pid == 0)
      _exit(0);
    if (pid > 0)
      children.push_back(pid);
  }
  const double t1 = wall_seconds();
  for (pid_t pid : children)
    waitpid(pid, nullptr, 0);
  return (t1 - t0) / batch;
}

double process_round_trip(int batch)
{
  const double t0 = wall_seconds();
  for (int i = 0; i < batch; ++i) {
    pid_t pid = fork();
    if (pid == 0)
      _exit(0);
    if (pid > 0)
      waitpid(pid, nullptr, 0);
  }
  return (wall_seconds() - t0) / batch;
}

double wakeup_latency(int round_trips)
{
  std::mutex m;
  std::condition_variable cv;
  int turn = 0;  // 0: the main thread's move, 1: the partner's
  std::thread partner([&] {
    std::unique_lock lock(m);
    for (int i = 0; i < round_trips; ++i) {
      cv.wait(lock, [&] { return turn == 1; });
      turn = 0;
      cv.notify_one();
    }
  });
  const double t0 = wall_seconds();
  {
    std::unique_lock lock(m);
    for (int i = 0; i < round_trips; ++i) {
      turn = 1;
      cv.notify_one();
      cv.wait(lock, [&] { return turn == 0; });
    }
  }
  const double t1 = wall_seconds();
  partner.join();
  return (t1 - t0) / (2.0 * round_trips);
}

double context_switch(int round_trips)
{
  // Both threads on the first CPU this process may use: every hand-off is then a switch.
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
    return -1;
  int cpu = 0;
  while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed))
    ++cpu;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  int ping[2], pong[2];
  if (pipe(ping) != 0)
    return -1;
  if (pipe(pong) != 0) {
    close(ping[0]);
    close(ping[1]);
    return -1;
  }
  std::atomic<bool> pinned{true};
  std::thread partner([&] {
    if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) != 0)
      pinned = false;
    char c = 0;
    for (int i = 0; i < round_trips; ++i)
      if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
        break;
  });
  const bool me_pinned = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  char c = 'x';
  const double t0 = wall_seconds();
  for (int i = 0; i < round_trips; ++i)
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
      break;
  const double t1 = wall_seconds();
  partner.join();
  pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
  for (int fd : {ping[0], ping[1], pong[0], pong[1]})
    close(fd);
  if (!me_pinned || !pinned)
    return -1;
  return (t1 - t0) / (2.0 * round_trips);
}

std::string cpu_model()
{
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos)
        return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

std::string kernel_version()
{
  utsname u{};
  if (uname(&u) != 0)
    return "unknown";
  return fmt::format("{} {} {}", u.sysname, u.release, u.machine);
}

// CMakeLists.txt passes the project's version and build type to this file alone.
#ifndef GILSIM_VERSION
#define GILSIM_VERSION "unknown"
#endif
#ifndef GILSIM_BUILD_TYPE
#define GILSIM_BUILD_TYPE "unknown"
#endif

std::string compiler()
{
#if defined(__clang__)
  std::string name = fmt::format("Clang {}.{}.{}", __clang_major__, __clang_minor__,
                                 __clang_patchlevel__);
#elif defined(__GNUC__)
  std::string name = fmt::format("GCC {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  std::string name = "unknown compiler";
#endif
#ifdef __OPTIMIZE__
  return name + ", " + GILSIM_BUILD_TYPE + " build, optimised";
#else
  return name + ", " + GILSIM_BUILD_TYPE + " build, not optimised";
#endif
}

std::string gilsim_version() { return GILSIM_VERSION; }

double load_average()
{
  std::ifstream in("/proc/loadavg");
  double one = -1;
  in >> one;
  return in ? one : -1;
}

std::string busy_warning(double load, int cores, const char* when, const char* consequence)
{
  if (load <= cores / 2.0)
    return "";
  return fmt::format("warning: the 1-minute load average {} is {:.2f}, above half the {} cores: "
                     "{}\n",
                     when, load, cores, consequence);
}

int online_cores()
{
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? int(n) : 1;
}

}  // namespace gilsim::measure
