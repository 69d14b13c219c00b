// What can be known of the locks before the run, over every program of the scenario (the
// workload's included): a get from a queue that no thread ever puts to, a wait on an event
// that no thread sets or on a condition that no thread notifies, can only block for ever, and a
// barrier that fewer threads wait at than its parties never opens. Each is refused at the step
// that would wait.
#include "sim/load/sections.hpp"

#include "models/lock/lock_model.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace gilsim::detail {
namespace {

struct lock_use {
  std::map<step_kind, const step*> first;  // the first step of each kind on the lock
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
    if (s.lock.empty())
      continue;
    auto& u = use[s.lock];
    u.first.emplace(s.kind, &s);
    if (s.kind == step_kind::wait)
      u.waiting_threads.insert(who);
  }
}

// The step that waits for `needed` when no thread does it: refused.
void refuse_unmatched(const lock_spec& l, const lock_use& u, step_kind waits, const char* what,
                      std::vector<step_kind> needed, const char* need_what)
{
  auto w = u.first.find(waits);
  if (w == u.first.end())
    return;
  for (step_kind k : needed)
    if (u.first.count(k))
      return;
  fail_input(w->second->pos, w->second->path,
             fmt::format("{} on {} '{}' can never go on: no thread {} '{}'", what, l.kind.name,
                         l.name, need_what, l.name));
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
    const lock_use& u = it->second;
    const std::string& kind = l.kind.name;
    if (kind == "queue")
      refuse_unmatched(l, u, step_kind::get, "get", {step_kind::put}, "puts to");
    if (kind == "event")
      refuse_unmatched(l, u, step_kind::wait, "wait", {step_kind::set}, "sets");
    if (kind == "condition")
      refuse_unmatched(l, u, step_kind::wait, "wait", {step_kind::notify, step_kind::notify_all},
                       "notifies");
    if (kind == "barrier" && u.first.count(step_kind::wait)) {
      const auto parties = (long long)(l.kind.params.number("parties"));
      if ((long long)(u.waiting_threads.size()) < parties)
        fail_input(u.first.at(step_kind::wait)->pos, u.first.at(step_kind::wait)->path,
                   fmt::format("barrier '{}' needs {} parties, but only {} ever wait{} at it: "
                               "it can never open",
                               l.name, parties,
                               u.waiting_threads.size() == 1
                                   ? std::string("1 thread")
                                   : fmt::format("{} threads", u.waiting_threads.size()),
                               u.waiting_threads.size() == 1 ? "s" : ""));
    }
  }
}

}  // namespace gilsim::detail
