// Shared by the lock tests: a lock made through its registry entry, and a driver that records
// what each ask and release did.
#pragma once

#include "models/lock/lock_model.hpp"
#include "tests/models/model_support.hpp"

#include <fmt/format.h>

namespace gilsim::test {

inline std::unique_ptr<lock_model> make_lock(const std::string& kind,
                                             const std::map<std::string, double>& params)
{
  return make_model<lock_registry>(kind, params, lock_context{"L"});
}

// Steps "+t" (t asks) and "-t" (t releases); each line says what came of it: "+t holds",
// "+t waits", "-t wakes u v" (the threads handed a unit) or "-t" (nobody was waiting).
inline lines drive(lock_model& lock, const std::vector<std::string>& steps)
{
  lines log;
  for (const auto& s : steps) {
    thread_id t = std::stoi(s.substr(1));
    if (s[0] == '+') {
      log.push_back(s + (lock.acquire(t) ? " holds" : " waits"));
      continue;
    }
    std::string line = s;
    ids woken = lock.release(t);
    if (!woken.empty())
      line += fmt::format(" wakes {}", fmt::join(woken, " "));
    log.push_back(line);
  }
  return log;
}

}  // namespace gilsim::test
