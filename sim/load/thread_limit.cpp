// How many threads the engine can hold on this host, checked once the scenario is read (its
// workload expanded): every simulated thread is an actor with a stack of its own, and each
// stack is two memory mappings (the stack and its guard page), so a process runs out of
// mappings (the kernel's vm.max_map_count, 65530 by default) at about half that many threads,
// and SimGrid then aborts mid-run ("Failed to protect stack"). Measured on Debian 12 with the
// default: 32,600 threads ran, 32,700 aborted. The check leaves room for the mappings the
// process already has and some for the run's own.
#include "sim/load/sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace gilsim::detail {
namespace {

long long read_number(const char* path, long long fallback)
{
  std::ifstream in(path);
  long long v = 0;
  return in >> v ? v : fallback;
}

long long mappings_now()
{
  std::ifstream in("/proc/self/maps");
  long long n = 0;
  for (std::string line; std::getline(in, line);)
    ++n;
  return n;
}

}  // namespace

long long thread_capacity()
{
  constexpr long long room = 256;  // the kernel's actors, the run's allocations
  const long long maps = read_number("/proc/sys/vm/max_map_count", 65530);
  return std::max(1LL, (maps - mappings_now() - room) / 2);
}

void check_thread_limit(const map_view& top, const load_state& st)
{
  long long written = 0, all = 0;  // the scenario's own processes' threads, and every one
  for (const auto& p : st.sc.processes) {
    all += static_cast<long long>(p.threads.size());
    if (st.process_names.count(p.name))
      written += static_cast<long long>(p.threads.size());
  }
  const long long cap = thread_capacity();
  if (all <= cap)
    return;
  const std::string why = fmt::format(
      "the scenario has {} threads; this host's engine holds at most {} (every simulated "
      "thread takes two memory mappings and vm.max_map_count is {}); run fewer threads, or raise "
      "the limit with `sysctl -w vm.max_map_count=N` (about 2 x threads + 1000)",
      all, cap, read_number("/proc/sys/vm/max_map_count", 65530));
  // At the workload when its threads pass the cap, else at the processes.
  const auto* w = top.find("workload");
  if (w && written <= cap)
    w->key.fail(why);
  top.require("processes").fail(why);
}

}  // namespace gilsim::detail
