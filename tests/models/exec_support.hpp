// For the execution models' tests: a workload built in code (no YAML, no SimGrid), expanded by
// its registered model, and the fragment written out as text, one line per lock, queue, process
// and thread, so that a test compares the whole of it with what the model's rules give by hand.
// Durations are written in microseconds: "cpu 1500us", "io 80us".
#pragma once

#include "models/exec/exec_model.hpp"
#include "models/lock/lock_model.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

namespace gilsim::test {

// A cpu step of the is_prime kernel over the current item.
inline step kernel_step()
{
  step s = exec::cpu(0);
  s.kernel.name = "is_prime";
  s.kernel.prime = true;
  return s;
}

// Items [first, last] under `model` with its declared defaults (parameters and fields); a test
// changes w.model.params as the scenario would.
inline workload_spec workload(const std::string& model, std::uint64_t first, std::uint64_t last,
                              std::vector<step> per_item, int workers = 0)
{
  const auto* e = exec_registry::instance().find(model);
  REQUIRE(e);
  std::vector<param_decl> decls = e->params;
  decls.insert(decls.end(), e->attributes.begin(), e->attributes.end());
  workload_spec w;
  w.first = first;
  w.last = last;
  w.per_item = std::move(per_item);
  w.model = {model, default_values(decls)};
  w.workers = workers;
  w.gil = {"new", {}};
  return w;
}

// A machine of `cores` cores whose wake-up latency is `wakeup_us`.
inline machine_spec machine(int cores, double wakeup_us = 30)
{
  machine_spec m;
  m.cores = cores;
  m.wakeup_latency = wakeup_us * 1e-6;
  return m;
}

inline std::string us(double seconds) { return fmt::format("{:g}us", seconds * 1e6); }

inline std::string show(const std::vector<step>& steps)
{
  std::vector<std::string> out;
  for (const auto& s : steps) {
    switch (s.kind) {
    case step_kind::cpu:
      if (!s.kernel.name.empty())
        out.push_back("cpu " + s.kernel.name + (s.seconds > 0 ? " + " + us(s.seconds) : ""));
      else
        out.push_back(std::string(s.mode == cpu_mode::native ? "cpu native " : "cpu ") +
                      us(s.seconds));
      break;
    case step_kind::io: out.push_back("io " + us(s.seconds)); break;
    case step_kind::sleep: out.push_back("sleep " + us(s.seconds)); break;
    case step_kind::lock: out.push_back("lock " + s.lock); break;
    case step_kind::unlock: out.push_back("unlock " + s.lock); break;
    case step_kind::repeat:
      out.push_back(fmt::format("repeat {} [{}]", s.count, show(s.body)));
      break;
    case step_kind::for_each:
      out.push_back(fmt::format("for_each {} [{}]", s.queue, show(s.body)));
      break;
    default: out.push_back(fmt::format("{} {}", lock_op_name(*lock_op_of(s.kind)), s.lock)); break;
    }
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

// "lock NAME (KIND)", "queue NAME FIRST..LAST by CHUNK", "process NAME at START (gil GIL)" and,
// under each process, "  THREAD: STEPS" ("THREAD (daemon)" for a daemon), one a line.
inline std::string show(const scenario_fragment& f)
{
  std::string out;
  for (const auto& l : f.locks)
    out += fmt::format("lock {} ({})\n", l.name, l.kind.name);
  for (const auto& q : f.queues)
    out += fmt::format("queue {} {}..{} by {}\n", q.name, q.first, q.last, q.chunk);
  for (const auto& p : f.processes) {
    out += fmt::format("process {} at {} (gil {})\n", p.name, us(p.start),
                       p.runtime == runtime_kind::python ? p.gil.name : "none");
    for (const auto& t : p.threads)
      out += fmt::format("  {}{}: {}\n", t.name, t.daemon ? " (daemon)" : "", show(t.program));
  }
  return out;
}

// The lines of a text, so that a mismatch shows line by line.
inline std::vector<std::string> lines(const std::string& text)
{
  std::vector<std::string> out;
  size_t b = 0;
  for (size_t e; (e = text.find('\n', b)) != std::string::npos; b = e + 1)
    out.push_back(text.substr(b, e - b));
  if (b < text.size())
    out.push_back(text.substr(b));
  return out;
}

}  // namespace gilsim::test

// The fragment of `w` on `m` is exactly `expected`, line for line.
#define REQUIRE_FRAGMENT(w, m, expected)                                                   \
  REQUIRE(::gilsim::test::lines(::gilsim::test::show(::gilsim::expand_workload((w), (m)))) == \
          ::gilsim::test::lines(expected))
