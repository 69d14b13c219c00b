// Reading a thread's program (the README's scenario format: cpu, io, sleep, lock, unlock, repeat,
// for_each, and the lock steps put, get, wait, notify, notify_all, set, clear) and the ranges of numbers that queues, workloads and kernel steps work on.
#pragma once

#include "models/cost/prime_work.hpp"
#include "models/lock/lock_model.hpp"
#include "sim/load/yaml_check.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gilsim::detail {

// The largest number a range, a queue's chunk or a workload's chunksize may take: where the
// prime kernel's work model stays exact (models/cost/prime_work.hpp).
inline constexpr long long max_number = static_cast<long long>(prime_work_max_last);

// A thread's program is read in the order it runs, tracking the locks held at each step: lock
// only a declared lock the thread does not hold, unlock only one it holds, and leave a repeat's
// or a for_each's body with the locks it started with. A step must be one its lock's kind takes
// (put and get on a queue, ...), and a condition's wait and notify need its lock held.
struct program_reader {
  const std::vector<lock_spec>& locks;     // the declared locks
  const std::vector<std::string>& queues;  // the declared work queues
  int for_each_depth = 0;                  // inside how many for_each bodies
  struct held_lock {
    std::string name;
    source_pos taken;
  };
  std::vector<held_lock> held{};  // in the order they were taken

  std::vector<step> read(const field& f);

private:
  step read_step(const field& f);
  void read_cpu(const field& f, step& s);
  void read_lock(const field& f, step& s, bool take);
  void read_sync(const field& f, step& s, lock_op op);
  const lock_spec& lock_named(const field& f, step& s, lock_op op) const;
  void read_repeat(const map_view& m, const map_view::entry& rep, step& s);
  void read_for_each(const map_view& m, const map_view::entry& fe, step& s);
  void read_kernel(const map_view& m, step& s);
};

// [first, last]: an inclusive, non-empty range of numbers up to max_number.
std::pair<std::uint64_t, std::uint64_t> read_number_range(const field& r);

// items: {range: [first, last]}
std::pair<std::uint64_t, std::uint64_t> read_items(const field& f);

}  // namespace gilsim::detail
