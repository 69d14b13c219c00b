// Writes a loaded scenario back as YAML in the core format: machine, scheduler, locks, queues,
// cost and processes, each model with all its parameters (defaults included, looked up in its
// registry for their kinds). A workload is not written: the processes, queues and locks it
// became are, so the core format run from it has no request latency and no arrivals (its queues
// hold every item from the start); a queue's own arrivals are written as they were given.
// Durations are written so that they read back to the same double; random ones as their
// distribution.
#include "sim/show/scenario_yaml.hpp"

#include "models/gil/gil_model.hpp"
#include "models/lock/lock_model.hpp"
#include "models/sched/sched_policy.hpp"
#include "sim/schema/scenario_schema.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace gilsim {
namespace {

// The shortest text of a double that reads back to it ("0.1", "1e-09").
std::string number_text(double v) { return fmt::format("{}", v); }

// The values that `values` holds of these declarations, as keys of the map being written.
void emit_params(YAML::Emitter& y, const std::vector<param_decl>& decls, const param_values& values)
{
  for (const auto& d : decls) {
    if (!values.has(d.name))
      continue;
    y << YAML::Key << d.name << YAML::Value;
    switch (d.kind) {
    case param_kind::duration:
      y << duration_text(values.number(d.name));
      break;
    case param_kind::boolean:
      y << values.flag(d.name);
      break;
    case param_kind::choice:
      y << values.choice(d.name);
      break;
    case param_kind::integer:
    case param_kind::number:
      y << number_text(values.number(d.name));
      break;
    }
  }
}

template <class Registry>
void emit_model(YAML::Emitter& y, const std::string& selector, const model_choice& m)
{
  y << YAML::BeginMap << YAML::Key << selector << YAML::Value << m.name;
  const auto* e = Registry::instance().find(m.name);
  GILSIM_ASSERT(e, "a loaded scenario names registered models only");
  emit_params(y, e->params, m.params);
  y << YAML::EndMap;
}

const char* mode_name(cpu_mode m)
{
  switch (m) {
  case cpu_mode::native:
    return "native";
  case cpu_mode::holds_gil:
    return "holds_gil";
  case cpu_mode::python:
    break;
  }
  return "python";
}

void emit_program(YAML::Emitter& y, const std::vector<step>& program);

// A queue's own arrivals as written: a rate per second, an interval, or the file's path made
// absolute (so that the text reads the same file from wherever it is saved).
void emit_arrivals(YAML::Emitter& y, const arrival_spec& a)
{
  y << YAML::Key << "arrivals" << YAML::Value << YAML::BeginMap;
  switch (a.kind) {
  case arrival_kind::poisson:
    y << YAML::Key << "poisson" << YAML::Value << number_text(a.rate) + "/s";
    break;
  case arrival_kind::every:
    y << YAML::Key << "every" << YAML::Value << duration_text(a.interval);
    break;
  case arrival_kind::file:
    y << YAML::Key << "file" << YAML::Value << std::filesystem::absolute(a.file).string();
    break;
  }
  if (a.kind != arrival_kind::file)
    y << YAML::Key << "count" << YAML::Value << a.count;
  y << YAML::EndMap;
}

// A step's duration: its constant, or its distribution as written ({exp: 5ms}, ...).
void emit_timed(YAML::Emitter& y, const step& s)
{
  const duration_dist& d = s.dist;
  switch (d.kind) {
  case dist_kind::constant: y << duration_text(s.seconds); return;
  case dist_kind::exp:
    y << YAML::Flow << YAML::BeginMap << YAML::Key << "exp" << YAML::Value << duration_text(d.a)
      << YAML::EndMap;
    return;
  case dist_kind::uniform:
    y << YAML::Flow << YAML::BeginMap << YAML::Key << "uniform" << YAML::Value << YAML::Flow
      << YAML::BeginSeq << duration_text(d.a) << duration_text(d.b) << YAML::EndSeq
      << YAML::EndMap;
    return;
  case dist_kind::lognormal:
  case dist_kind::normal:
    y << YAML::Flow << YAML::BeginMap << YAML::Key
      << (d.kind == dist_kind::normal ? "normal" : "lognormal") << YAML::Value << YAML::Flow
      << YAML::BeginMap << YAML::Key << "mean" << YAML::Value << duration_text(d.a) << YAML::Key
      << "sd" << YAML::Value << duration_text(d.b) << YAML::EndMap << YAML::EndMap;
    return;
  }
}

void emit_cpu(YAML::Emitter& y, const step& s)
{
  if (s.kernel.prime) {
    GILSIM_ASSERT(s.seconds == 0, "a kernel step has no fixed time of its own");
    y << YAML::Flow << YAML::BeginMap << YAML::Key << "kernel" << YAML::Value << s.kernel.name
      << YAML::Key << "mode" << YAML::Value << mode_name(s.mode);
    if (s.kernel.fixed_range)
      y << YAML::Key << "range" << YAML::Value << YAML::Flow << YAML::BeginSeq << s.kernel.first
        << s.kernel.last << YAML::EndSeq;
    y << YAML::EndMap;
  } else if (s.mode == cpu_mode::python) {
    emit_timed(y, s);
  } else {
    y << YAML::Flow << YAML::BeginMap << YAML::Key << mode_name(s.mode) << YAML::Value;
    emit_timed(y, s);
    y << YAML::EndMap;
  }
}

void emit_step(YAML::Emitter& y, const step& s)
{
  const bool nested = s.kind == step_kind::repeat || s.kind == step_kind::for_each;
  if (!nested)
    y << YAML::Flow;
  y << YAML::BeginMap;
  switch (s.kind) {
  case step_kind::cpu:
    y << YAML::Key << "cpu" << YAML::Value;
    emit_cpu(y, s);
    break;
  case step_kind::io:
  case step_kind::sleep:
    y << YAML::Key << (s.kind == step_kind::io ? "io" : "sleep") << YAML::Value;
    emit_timed(y, s);
    break;
  default:  // a lock step, spelt as its lock_op
    y << YAML::Key << lock_op_name(*lock_op_of(s.kind)) << YAML::Value;
    if (s.by_timer)
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.lock
        << YAML::Key << "by_timer" << YAML::Value << true << YAML::EndMap;
    else
      y << s.lock;
    break;
  case step_kind::repeat:
    y << YAML::Key << "repeat" << YAML::Value << s.count << YAML::Key << "do" << YAML::Value;
    emit_program(y, s.body);
    break;
  case step_kind::for_each:
    y << YAML::Key << "for_each" << YAML::Value << s.queue << YAML::Key << "do" << YAML::Value;
    emit_program(y, s.body);
    break;
  }
  y << YAML::EndMap;
}

void emit_program(YAML::Emitter& y, const std::vector<step>& program)
{
  y << YAML::BeginSeq;
  for (const auto& s : program)
    emit_step(y, s);
  y << YAML::EndSeq;
}

void emit_thread(YAML::Emitter& y, const thread_spec& t)
{
  y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name << YAML::Key << "daemon"
    << YAML::Value << t.daemon;
  if (t.start != 0)  // written only when given, as a thread's own start is rare
    y << YAML::Key << "start" << YAML::Value << duration_text(t.start);
  emit_params(y, declared_attributes<sched_registry>(), t.attributes);  // nice, priority
  if (!t.affinity.empty()) {
    y << YAML::Key << "affinity" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (int c : t.affinity)
      y << c;
    y << YAML::EndSeq;
  }
  if (t.working_set != 0)
    y << YAML::Key << "working_set" << YAML::Value << number_text(t.working_set);
  y << YAML::Key << "program" << YAML::Value;
  emit_program(y, t.program);
  y << YAML::EndMap;
}

void emit_process(YAML::Emitter& y, const process_spec& p)
{
  const bool python = p.runtime == runtime_kind::python;
  y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << p.name << YAML::Key << "runtime"
    << YAML::Value << (python ? "python" : "native") << YAML::Key << "start" << YAML::Value
    << duration_text(p.start);
  if (python) {
    y << YAML::Key << "python" << YAML::Value << YAML::BeginMap << YAML::Key << "gil"
      << YAML::Value << p.gil.name;
    const auto* e = gil_registry::instance().find(p.gil.name);
    GILSIM_ASSERT(e, "a loaded scenario names registered models only");
    emit_params(y, e->params, p.gil.params);
    if (!p.python.interpreter.empty())  // a host profile's section: speed: host is written
      y << YAML::Key << "interpreter" << YAML::Value << YAML::DoubleQuoted
        << p.python.interpreter;
    y << YAML::EndMap;
  }
  y << YAML::Key << "threads" << YAML::Value << YAML::BeginSeq;
  for (const auto& t : p.threads)
    emit_thread(y, t);
  y << YAML::EndSeq << YAML::EndMap;
}

void emit_machine(YAML::Emitter& y, const machine_spec& m)
{
  y << YAML::Key << "machine" << YAML::Value << YAML::BeginMap << YAML::Key << "cores"
    << YAML::Value;
  if (m.groups.empty()) {
    y << m.cores;
  } else {
    y << YAML::BeginSeq;
    for (const auto& g : m.groups)
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << g.name
        << YAML::Key << "count" << YAML::Value << g.count << YAML::Key << "speed"
        << YAML::Value << number_text(g.speed) << YAML::EndMap;
    y << YAML::EndSeq;
  }
  y << YAML::Key << "speed" << YAML::Value << (m.host ? std::string("host") : number_text(m.speed))
    << YAML::Key << "context_switch" << YAML::Value << duration_text(m.context_switch)
    << YAML::Key << "wakeup_latency" << YAML::Value << duration_text(m.wakeup_latency);
  if (m.jitter > 0)
    y << YAML::Key << "jitter" << YAML::Value << number_text(m.jitter);
  if (m.cache.on)
    y << YAML::Key << "cache" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
      << "size" << YAML::Value << number_text(m.cache.size) << YAML::Key << "warmup"
      << YAML::Value << duration_text(m.cache.warmup) << YAML::Key << "warm_speedup"
      << YAML::Value << number_text(m.cache.warm_speedup) << YAML::EndMap;
  if (m.tick > 0)
    y << YAML::Key << "tick" << YAML::Value << duration_text(m.tick);
  y << YAML::EndMap;
}

void emit_cost(YAML::Emitter& y, const scenario& sc)
{
  auto one = [&](const char* name, const kernel_cost& c) {
    y << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
      << "per_division" << YAML::Value << duration_text(c.per_division) << YAML::Key
      << "per_item" << YAML::Value << duration_text(c.per_item) << YAML::EndMap;
  };
  y << YAML::Key << "cost" << YAML::Value << YAML::BeginMap;
  // A process with its interpreter's measured kernel has it from the profile, which cost.python
  // written would override: the scenario did not write it, and reloading the profile gives it.
  const bool measured = std::any_of(sc.processes.begin(), sc.processes.end(),
                                    [](const auto& p) { return p.python.prime.has_value(); });
  if (!measured)
    one("python", sc.python_cost);
  one("native", sc.native_cost);
  y << YAML::EndMap;
}

}  // namespace

std::string duration_text(double seconds)
{
  static const std::pair<const char*, double> units[] = {
      {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
  if (seconds == 0)
    return "0s";
  // The largest unit in which the figure is at least 1 and reads back exactly (as the loader
  // reads it: the number times the unit).
  for (const auto& [unit, factor] : units) {
    if (seconds / factor < 1 && factor != 1e-9)
      continue;
    const std::string n = number_text(seconds / factor);
    double back = 0;
    std::from_chars(n.data(), n.data() + n.size(), back);
    if (n.find('e') == std::string::npos && n.size() <= 10 && back * factor == seconds)
      return n + unit;
  }
  return number_text(seconds);
}

std::string scenario_yaml(const scenario& sc)
{
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << sc.name << YAML::Key << "seed"
    << YAML::Value << sc.seed;
  emit_machine(y, sc.machine);
  y << YAML::Key << "scheduler" << YAML::Value;
  emit_model<sched_registry>(y, "policy", sc.scheduler);
  if (!sc.locks.empty()) {
    y << YAML::Key << "locks" << YAML::Value << YAML::BeginMap;
    for (const auto& l : sc.locks) {
      y << YAML::Key << l.name << YAML::Value << YAML::Flow;
      emit_model<lock_registry>(y, "kind", l.kind);
    }
    y << YAML::EndMap;
  }
  if (!sc.queues.empty()) {
    y << YAML::Key << "queues" << YAML::Value << YAML::BeginMap;
    for (const auto& q : sc.queues) {
      y << YAML::Key << q.name << YAML::Value << YAML::Flow << YAML::BeginMap;
      if (q.arrivals)
        emit_arrivals(y, *q.arrivals);
      else
        y << YAML::Key << "items" << YAML::Value << YAML::BeginMap << YAML::Key << "range"
          << YAML::Value << YAML::BeginSeq << q.first << q.last << YAML::EndSeq << YAML::EndMap;
      y << YAML::Key << "chunk" << YAML::Value << q.chunk << YAML::EndMap;
    }
    y << YAML::EndMap;
  }
  emit_cost(y, sc);
  y << YAML::Key << "processes" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : sc.processes)
    emit_process(y, p);
  y << YAML::EndSeq << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace gilsim
