// What can be known of the locks before the run, over every program of the scenario (the
// workload's included): a wait that only some other step ends (a queue's get, ended by a put;
// an event's wait, by a set; a condition's wait, by a notify) can only block for ever when no
// thread has such a step, and a barrier that fewer threads wait at than its parties never
// opens. Each lock kind says which steps end which waits (lock_model::ended_by, parties); each
// such wait is refused at its first step.
#include "sim/load/sections.hpp"

#include "models/lock/lock_model.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace gilsim::detail {
namespace {

struct lock_use {
  std::map<lock_op, const step*> first;   // the first step of each kind on the lock
  std::set<std::string> waiting_threads;  // process/thread names that wait on it
};

void collect(const std::vector<step>& program, const std::string& who,
             std::map<std::string, lock_use>& use)
{
  for (const step& s : program) {
    if (s.kind == step_kind::repeat || s.kind == step_kind::for_each) {
      collect(s.body, who, use);
      continue;
    }
    const auto op = lock_op_of(s.kind);
    if (!op)
      continue;
    auto& u = use[s.lock];
    u.first.emplace(*op, &s);
    if (*op == lock_op::wait)
      u.waiting_threads.insert(who);
  }
}

// A wait at `op` that no step of any thread can end.
void refuse_unended(const lock_spec& l, const lock_model& model, const lock_use& u)
{
  for (const auto& [op, at] : u.first) {
    const std::vector<lock_op> enders = model.ended_by(op);
    if (enders.empty() ||
        std::any_of(enders.begin(), enders.end(), [&](lock_op e) { return u.first.count(e); }))
      continue;
    std::vector<std::string> names;
    for (lock_op e : enders)
      names.push_back(lock_op_name(e));
    fail_input(at->pos, at->path,
               fmt::format("{} on {} '{}' can never go on: no thread has a {} step on '{}'",
                           lock_op_name(op), l.kind.name, l.name, fmt::join(names, " or "),
                           l.name));
  }
}

void refuse_short_of_parties(const lock_spec& l, const lock_model& model, const lock_use& u)
{
  const long long parties = model.parties();
  const auto n = (long long)(u.waiting_threads.size());
  if (parties == 0 || n >= parties || !u.first.count(lock_op::wait))
    return;
  const step* at = u.first.at(lock_op::wait);
  fail_input(at->pos, at->path,
             fmt::format("{} '{}' needs {} parties, but only {} ever wait{} at it: it can never "
                         "open",
                         l.kind.name, l.name, parties,
                         n == 1 ? std::string("1 thread") : fmt::format("{} threads", n),
                         n == 1 ? "s" : ""));
}

}  // namespace

void check_lock_use(const scenario& sc)
{
  std::map<std::string, lock_use> use;
  for (const auto& p : sc.processes)
    for (const auto& t : p.threads)
      collect(t.program, p.name + "/" + t.name, use);
  for (const auto& l : sc.locks) {
    auto it = use.find(l.name);
    if (it == use.end())
      continue;
    const auto model = make_lock_model(l.kind, l.name);
    refuse_unended(l, *model, it->second);
    refuse_short_of_parties(l, *model, it->second);
  }
}

}  // namespace gilsim::detail
