// A thread's program read step by step (steps.hpp), and the ranges of numbers.
#include "sim/load/steps.hpp"

#include "models/cost/work_kernel.hpp"
#include "models/lock/lock_model.hpp"
#include "sim/load/distribution.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

namespace gilsim::detail {
namespace {

const std::vector<std::string> step_keys = {
    "cpu", "io",  "sleep", "lock",   "unlock",     "repeat", "for_each",
    "put", "get", "wait",  "notify", "notify_all", "set",    "clear"};

// The steps on a lock by their key; lock and unlock are read_lock's.
const std::vector<std::pair<std::string, lock_op>> sync_steps = {
    {"put", lock_op::put},       {"get", lock_op::get}, {"wait", lock_op::wait},
    {"notify", lock_op::notify}, {"notify_all", lock_op::notify_all},
    {"set", lock_op::set},       {"clear", lock_op::clear},
};

// How a CPU phase relates to the GIL, by its name in {native: 5ms} or {kernel: .., mode: ..}.
const std::vector<std::pair<std::string, cpu_mode>> cpu_modes = {
    {"python", cpu_mode::python},
    {"native", cpu_mode::native},
    {"holds_gil", cpu_mode::holds_gil},
};

// The caller has checked that `name` is one of cpu_modes.
cpu_mode cpu_mode_named(const std::string& name)
{
  auto it = std::find_if(cpu_modes.begin(), cpu_modes.end(),
                         [&](const auto& m) { return m.first == name; });
  GILSIM_ASSERT(it != cpu_modes.end(), "a cpu mode's name is checked before it is looked up");
  return it->second;
}

}  // namespace

std::vector<step> program_reader::read(const field& f)
{
  std::vector<step> out;
  for (const auto& item : list_items(f, "steps", true))
    out.push_back(read_step(item));
  return out;
}

step program_reader::read_step(const field& f)
{
  map_view m(f, "a step like {cpu: 5ms}");
  std::vector<std::string> allowed = step_keys;
  allowed.push_back("do");
  m.allow_only(allowed);
  step s;
  s.pos = f.pos();
  const auto& es = m.entries();
  if (const auto* rep = m.find("repeat")) {
    read_repeat(m, *rep, s);
    return s;
  }
  if (const auto* fe = m.find("for_each")) {
    read_for_each(m, *fe, s);
    return s;
  }
  if (es.size() != 1) {
    std::vector<std::string> got;
    for (const auto& e : es)
      got.push_back(e.key.node.Scalar());
    f.fail(fmt::format("a step takes exactly one of {}; got {} keys ({})",
                       fmt::join(step_keys, ", "), es.size(), fmt::join(got, ", ")));
  }
  const std::string& key = es[0].key.node.Scalar();
  const field& v = es[0].value;
  if (key == "cpu")
    read_cpu(v, s);
  else if (key == "io" || key == "sleep") {
    s.kind = key == "io" ? step_kind::io : step_kind::sleep;
    std::tie(s.seconds, s.dist) = read_timed(v, false);
  } else if (key == "lock" || key == "unlock")
    read_lock(v, s, key == "lock");
  else if (auto it = std::find_if(sync_steps.begin(), sync_steps.end(),
                                  [&](const auto& p) { return p.first == key; });
           it != sync_steps.end())
    read_sync(v, s, it->second);
  else
    es[0].key.fail("'do' needs a 'repeat' count or a 'for_each' queue beside it");
  return s;
}

void program_reader::read_cpu(const field& f, step& s)
{
  s.kind = step_kind::cpu;
  if (!f.node.IsMap() || is_distribution(f)) {
    std::tie(s.seconds, s.dist) = read_timed(f, false);
    return;
  }
  map_view m(f);
  if (m.find("kernel")) {
    read_kernel(m, s);
    return;
  }
  m.allow_only({"python", "native", "holds_gil", "kernel", "exp", "uniform", "lognormal", "normal"});
  if (m.entries().size() != 1)
    f.fail("expected exactly one of python, native, holds_gil, as in {native: 5ms}");
  const auto& e = m.entries()[0];
  s.mode = cpu_mode_named(e.key.node.Scalar());
  std::tie(s.seconds, s.dist) = read_timed(e.value, false);
}

// The declared lock a lock step names, which must take the step (no put on a mutex).
const lock_spec& program_reader::lock_named(const field& f, step& s, lock_op op) const
{
  s.lock = read_string(f, "a lock name");
  s.path = f.path;
  auto l =
      std::find_if(locks.begin(), locks.end(), [&](const auto& k) { return k.name == s.lock; });
  if (l == locks.end())
    f.fail(fmt::format("unknown lock '{}';", s.lock) +
           hint(s.lock, names_of(locks), "declared locks"));
  const auto model = make_lock_model(l->kind, l->name);
  if (!model->takes(op)) {
    std::vector<std::string> ops;
    for (auto o : {lock_op::lock, lock_op::unlock, lock_op::put, lock_op::get, lock_op::wait,
                   lock_op::notify, lock_op::notify_all, lock_op::set, lock_op::clear})
      if (model->takes(o))
        ops.push_back(lock_op_name(o));
    f.fail(fmt::format("'{}' is of kind {}, which takes no {} step (only {})", s.lock,
                       l->kind.name, lock_op_name(op), fmt::join(ops, ", ")));
  }
  return *l;
}

void program_reader::read_lock(const field& given, step& s, bool take)
{
  s.kind = take ? step_kind::lock : step_kind::unlock;
  // `lock: NAME`, or `lock: {name: NAME, by_timer: true}` for a task a timer resumes.
  field f = given;
  if (take && given.node.IsMap()) {
    map_view m(given, "a lock name, or a map with name and by_timer");
    m.allow_only({"name", "by_timer"});
    f = m.require("name");
    if (auto b = m.get("by_timer"))
      s.by_timer = read_bool(*b);
  }
  lock_named(f, s, take ? lock_op::lock : lock_op::unlock);
  auto it = std::find_if(held.begin(), held.end(), [&](const auto& h) { return h.name == s.lock; });
  if (take && it != held.end())
    f.fail(fmt::format("lock '{}' is already held here (taken at line {}); unlock it first",
                       s.lock, it->taken.line));
  if (!take && it == held.end())
    f.fail(fmt::format("unlock of '{}', which the thread does not hold at this point", s.lock));
  if (take)
    held.push_back({s.lock, f.pos()});
  else
    held.erase(it);
}

// put, get, wait, notify, notify_all, set, clear: a condition's steps need its lock held.
void program_reader::read_sync(const field& f, step& s, lock_op op)
{
  static const std::pair<lock_op, step_kind> kinds[] = {
      {lock_op::put, step_kind::put},       {lock_op::get, step_kind::get},
      {lock_op::wait, step_kind::wait},     {lock_op::notify, step_kind::notify},
      {lock_op::notify_all, step_kind::notify_all},
      {lock_op::set, step_kind::set},       {lock_op::clear, step_kind::clear}};
  for (const auto& [o, k] : kinds)
    if (o == op)
      s.kind = k;
  const lock_spec& l = lock_named(f, s, op);
  if (!make_lock_model(l.kind, l.name)->holdable())
    return;
  if (std::none_of(held.begin(), held.end(), [&](const auto& h) { return h.name == s.lock; }))
    f.fail(fmt::format("{} on '{}' needs its lock, which the thread does not hold at this point: "
                       "lock: {} first (Python raises RuntimeError otherwise)",
                       lock_op_name(op), s.lock, s.lock));
}

std::pair<std::uint64_t, std::uint64_t> read_number_range(const field& r)
{
  auto bounds = list_items(r, "[first, last]", true);
  if (bounds.size() != 2)
    r.fail("expected [first, last]");
  auto first = std::uint64_t(read_int(bounds[0], 0, max_number));
  auto last = std::uint64_t(read_int(bounds[1], 0, max_number));
  if (last < first)
    r.fail("the range is empty: last is below first");
  return {first, last};
}

std::pair<std::uint64_t, std::uint64_t> read_items(const field& f)
{
  map_view items(f, "a map like {range: [1, 1000]}");
  items.allow_only({"range"});
  return read_number_range(items.require("range"));
}

// cpu: {kernel: NAME [, range: [a, b]] [, mode: python | native | holds_gil]}, NAME registered
// in models/cost (is_prime)
void program_reader::read_kernel(const map_view& m, step& s)
{
  m.allow_only({"kernel", "range", "mode"});
  const field k = m.require("kernel");
  const std::string name = read_string(k, "a kernel name");
  const auto& kernels = kernel_registry::instance();
  if (!kernels.find(name))
    k.fail(fmt::format("unknown kernel '{}';", name) + hint(name, kernels.names(), "available"));
  s.kernel.name = name;
  s.kernel.prime = true;
  if (auto v = m.get("mode"))
    s.mode = cpu_mode_named(read_choice(*v, {"python", "native", "holds_gil"}));
  if (auto r = m.get("range")) {
    s.kernel.fixed_range = true;
    std::tie(s.kernel.first, s.kernel.last) = read_number_range(*r);
  } else if (for_each_depth == 0) {
    k.fail("a kernel step works on the current item: put it in a for_each body, or give it "
           "a range: [first, last]");
  }
}

void program_reader::read_for_each(const map_view& m, const map_view::entry& fe, step& s)
{
  for (const auto& e : m.entries())
    if (e.key.node.Scalar() != "for_each" && e.key.node.Scalar() != "do")
      e.key.fail("a for_each step takes only 'do' beside 'for_each'");
  s.kind = step_kind::for_each;
  s.queue = read_string(fe.value, "a queue name");
  if (std::find(queues.begin(), queues.end(), s.queue) == queues.end())
    fe.value.fail(fmt::format("unknown queue '{}';", s.queue) +
                  hint(s.queue, queues, "declared queues"));
  const auto* body = m.find("do");
  if (!body)
    m.self().fail("'for_each' needs a 'do' list of steps beside it");
  const auto before = held;
  ++for_each_depth;
  s.body = read(body->value);
  --for_each_depth;
  if (held.size() != before.size())
    fe.key.fail("the steps of each item must leave the locks as they found them");
}

void program_reader::read_repeat(const map_view& m, const map_view::entry& rep, step& s)
{
  for (const auto& e : m.entries())
    if (e.key.node.Scalar() != "repeat" && e.key.node.Scalar() != "do")
      e.key.fail("a repeat step takes only 'do' beside 'repeat'");
  s.kind = step_kind::repeat;
  s.count = int(read_int(rep.value, 1, 1000000000));
  const auto* body = m.find("do");
  if (!body)
    m.self().fail("'repeat' needs a 'do' list of steps beside it");
  const auto before = held;
  s.body = read(body->value);
  // Every round starts with the locks the first one started with.
  auto missing = [](const std::vector<held_lock>& from, const std::vector<held_lock>& in) {
    std::vector<std::string> out;
    for (const auto& a : from)
      if (std::none_of(in.begin(), in.end(), [&](const auto& b) { return a.name == b.name; }))
        out.push_back(a.name);
    return out;
  };
  if (auto taken = missing(held, before); !taken.empty())
    rep.key.fail(fmt::format("the repeated steps lock {} without unlocking it; each round must "
                             "leave the locks as it found them", fmt::join(taken, ", ")));
  if (auto given = missing(before, held); !given.empty())
    rep.key.fail(fmt::format("the repeated steps unlock {} without locking it again; each round "
                             "must leave the locks as it found them", fmt::join(given, ", ")));
}

}  // namespace gilsim::detail
