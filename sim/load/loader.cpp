// The v1 scenario loader: parses YAML, grafts --set overrides into the tree, then reads each
// section through tables of allowed keys, resolving models in their registries.
#include "sim/load/loader.hpp"

#include "models/exec/exec_model.hpp"
#include "models/gil/gil_model.hpp"
#include "models/lock/lock_model.hpp"
#include "models/cost/prime_work.hpp"
#include "models/sched/sched_policy.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/yaml_check.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

namespace gilsim {
namespace {

using namespace detail;

// The largest number a range, a queue's chunk or a workload's chunksize may take: where the
// prime kernel's work model stays exact (models/cost/prime_work.hpp).
constexpr long long max_number = static_cast<long long>(prime_work_max_last);

// The names of a scenario's locks or queues, in declaration order.
template <class Spec>
std::vector<std::string> names_of(const std::vector<Spec>& specs)
{
  std::vector<std::string> names;
  for (const auto& s : specs)
    names.push_back(s.name);
  return names;
}

// What later sections need from earlier ones, beside the scenario being built.
struct load_state {
  scenario sc;
  std::string label;                           // the file's name in messages
  std::optional<model_choice> python_default;  // the top-level python map, when given
  std::map<std::string, field> process_names;  // for "used twice" messages
  std::string profile;                         // --profile, for machine.speed: host
};

// ---- --set overrides

struct segment {
  std::string name;
  int col;  // 1-based, in the override text
};

[[noreturn]] void fail_override(const std::string& label, int col, const std::string& path,
                                const std::string& message)
{
  fail_input({label, 1, col}, path, message);
}

YAML::Node find_key(const YAML::Node& map, const std::string& key)
{
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key)
      return kv.first;
  return YAML::Node(YAML::NodeType::Undefined);
}

// "a.b.c" with each segment's column; an empty segment fails.
std::vector<segment> split_path(const std::string& path, const std::string& label)
{
  std::vector<segment> segs;
  for (size_t b = 0; b <= path.size();) {
    size_t e = std::min(path.find('.', b), path.size());
    if (e == b)
      fail_override(label, int(b) + 1, path, "empty key in the path");
    segs.push_back({path.substr(b, e - b), int(b) + 1});
    b = e + 1;
  }
  return segs;
}

// The element of `list` that `s` selects: a number is an index, anything else a `name`.
size_t select_element(const YAML::Node& list, const segment& s, const std::string& parent,
                      const std::string& label, const std::string& path)
{
  auto digit = [](unsigned char c) { return std::isdigit(c) != 0; };
  if (std::all_of(s.name.begin(), s.name.end(), digit)) {
    const size_t at = s.name.size() > 9 ? list.size() : std::stoul(s.name);
    if (at >= list.size())
      fail_override(label, s.col, path,
                    fmt::format("index {} is out of range: {} has {} element{}", s.name, parent,
                                list.size(), list.size() == 1 ? "" : "s"));
    return at;
  }
  std::vector<std::string> names;
  for (const auto& item : list)
    if (item.IsMap() && item["name"].IsScalar())
      names.push_back(item["name"].Scalar());
  for (size_t k = 0; k < list.size(); ++k) {
    const YAML::Node item = list[k];
    if (item.IsMap() && item["name"].IsScalar() && item["name"].Scalar() == s.name)
      return k;
  }
  fail_override(label, s.col, path,
                fmt::format("{} has no element named '{}';", parent, s.name) +
                    hint(s.name, names, "its names"));
}

// Grafts one "key.path=VALUE" into the tree, creating the maps the path needs. yaml-cpp nodes
// are handles: `a = b` writes b into a's place in the tree, `a.reset(b)` only moves the handle.
void apply_override(YAML::Node& root, const std::string& text, yaml_sources& src)
{
  const std::string label = "--set " + text;
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    fail_override(label, 1, "", "expected key.path=VALUE");
  const std::string path = text.substr(0, eq);
  const std::vector<segment> segs = split_path(path, label);
  YAML::Node value;
  try {
    value = YAML::Load(text.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    fail_override(label, int(eq) + 2 + std::max(e.mark.column, 0), path, e.msg);
  }
  src.add_override_tree(value, label, int(eq) + 1);

  if (root.IsNull())
    root.reset(YAML::Node(YAML::NodeType::Map));
  YAML::Node cur = root;
  for (size_t i = 0; i < segs.size(); ++i) {
    const segment& s = segs[i];
    const std::string parent = s.col == 1 ? std::string("the scenario")
                                          : fmt::format("'{}'", path.substr(0, size_t(s.col - 2)));
    YAML::Node slot;
    bool new_key = false;
    if (cur.IsMap()) {
      new_key = !find_key(cur, s.name).IsDefined();
      slot.reset(cur[s.name]);
    } else if (cur.IsSequence()) {
      slot.reset(cur[select_element(cur, s, parent, label, path)]);
    } else {
      fail_override(label, s.col, path,
                    fmt::format("{} is a single value, not a map or a list", parent));
    }
    if (i + 1 == segs.size()) {
      slot = value;
    } else if (!slot.IsDefined() || slot.IsNull()) {
      slot = YAML::Node(YAML::NodeType::Map);
      src.add_override_node(slot, label, s.col);
    }
    if (new_key)
      src.add_override_node(find_key(cur, s.name), label, s.col);
    cur.reset(slot);
  }
}

// ---- steps

// A thread's program is read in the order it runs, tracking the locks held at each step.
struct program_reader {
  const std::vector<std::string>& locks;   // the declared lock names
  const std::vector<std::string>& queues;  // the declared work queues
  int for_each_depth = 0;                  // inside how many for_each bodies
  struct held_lock {
    std::string name;
    source_pos taken;
  };
  std::vector<held_lock> held{};  // in the order they were taken

  std::vector<step> read(const field& f);
  step read_step(const field& f);
  void read_cpu(const field& f, step& s);
  void read_lock(const field& f, step& s, bool take);
  void read_repeat(const map_view& m, const map_view::entry& rep, step& s);
  void read_for_each(const map_view& m, const map_view::entry& fe, step& s);
  void read_kernel(const map_view& m, step& s);
};

const std::vector<std::string> step_keys = {"cpu",    "io",     "sleep",
                                            "lock",   "unlock", "repeat",
                                            "for_each"};

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
    s.seconds = read_duration(v, false);
  } else if (key == "lock" || key == "unlock")
    read_lock(v, s, key == "lock");
  else
    es[0].key.fail("'do' needs a 'repeat' count or a 'for_each' queue beside it");
  return s;
}

void program_reader::read_cpu(const field& f, step& s)
{
  s.kind = step_kind::cpu;
  if (!f.node.IsMap()) {
    s.seconds = read_duration(f, false);
    return;
  }
  map_view m(f);
  if (m.find("kernel")) {
    read_kernel(m, s);
    return;
  }
  m.allow_only({"python", "native", "holds_gil", "kernel"});
  if (m.entries().size() != 1)
    f.fail("expected exactly one of python, native, holds_gil, as in {native: 5ms}");
  const auto& e = m.entries()[0];
  s.mode = cpu_mode_named(e.key.node.Scalar());
  s.seconds = read_duration(e.value, false);
}

void program_reader::read_lock(const field& f, step& s, bool take)
{
  s.kind = take ? step_kind::lock : step_kind::unlock;
  s.lock = read_string(f, "a lock name");
  if (std::find(locks.begin(), locks.end(), s.lock) == locks.end())
    f.fail(fmt::format("unknown lock '{}';", s.lock) + hint(s.lock, locks, "declared locks"));
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

// [first, last]: an inclusive, non-empty range of numbers (up to 2^52, where the work model
// stays exact).
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

// items: {range: [first, last]}
std::pair<std::uint64_t, std::uint64_t> read_items(const field& f)
{
  map_view items(f, "a map like {range: [1, 1000]}");
  items.allow_only({"range"});
  return read_number_range(items.require("range"));
}

// cpu: {kernel: is_prime [, range: [a, b]] [, mode: python | native | holds_gil]}
void program_reader::read_kernel(const map_view& m, step& s)
{
  m.allow_only({"kernel", "range", "mode"});
  const field k = m.require("kernel");
  if (read_string(k, "a kernel name") != "is_prime")
    k.fail("unknown kernel; the one kernel is 'is_prime' (the lessons' trial division)");
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

// ---- sections

model_choice read_gil(const field& f)
{
  return read_model<gil_registry>(map_view(f, "a map like {gil: new}"), "gil", "new", "gil model");
}

// The GIL of Python processes without python settings of their own: the top-level python map's,
// else the defaults, read at the absent field `absent` (where a missing `new` is reported).
model_choice default_gil(const load_state& st, const field& absent)
{
  return st.python_default ? *st.python_default : read_gil(absent);
}

void read_threads(const field& f, const load_state& st, process_spec& ps)
{
  const std::vector<std::string> lock_names = names_of(st.sc.locks);
  const std::vector<std::string> queue_names = names_of(st.sc.queues);
  std::map<std::string, int> taken;  // expanded thread name -> line of its `name`
  for (const auto& t : list_items(f, "threads", true)) {
    map_view m(t);
    m.allow_only({"name", "count", "daemon", "nice", "priority", "program"});
    thread_spec spec;
    const field name = m.require("name");
    const std::string base = read_string(name);
    long long count = 1;
    if (auto v = m.get("count"))
      count = read_int(*v, 1, 100000);
    if (auto v = m.get("daemon"))
      spec.daemon = read_bool(*v);
    if (auto v = m.get("nice"))
      spec.nice = int(read_int(*v, -20, 19));
    if (auto v = m.get("priority"))
      spec.priority = int(read_int(*v, -1000, 1000));
    program_reader program{lock_names, queue_names};
    spec.program = program.read(m.require("program"));
    for (long long i = 0; i < count; ++i) {
      spec.name = count == 1 ? base : fmt::format("{}-{}", base, i);
      if (auto it = taken.find(spec.name); it != taken.end())
        name.fail(fmt::format("thread name '{}' is used twice in process '{}' (first at line {})",
                              spec.name, ps.name, it->second));
      taken.emplace(spec.name, name.pos().line);
      ps.threads.push_back(spec);
    }
  }
}

void read_process(const field& f, load_state& st)
{
  map_view m(f);
  m.allow_only({"name", "runtime", "start", "python", "threads"});
  process_spec ps;
  const field name = m.require("name");
  ps.name = read_string(name);
  if (auto it = st.process_names.find(ps.name); it != st.process_names.end())
    name.fail(fmt::format("process name '{}' is used twice (first at line {})", ps.name,
                          it->second.pos().line));
  st.process_names.emplace(ps.name, name);
  if (auto v = m.get("runtime"))
    ps.runtime = read_choice(*v, {"python", "native"}) == "native" ? runtime_kind::native
                                                                  : runtime_kind::python;
  if (auto v = m.get("start"))
    ps.start = read_duration(*v, true);
  const auto* python = m.find("python");
  if (python && ps.runtime == runtime_kind::native)
    python->key.fail("a native process has no GIL, so no python settings: remove them, or use "
                     "runtime: python");
  if (python)
    ps.gil = read_gil(python->value);
  else if (ps.runtime == runtime_kind::python)
    ps.gil = default_gil(st, m.value("python"));
  read_threads(m.require("threads"), st, ps);
  st.sc.processes.push_back(std::move(ps));
}

void read_name(const map_view& top, load_state& st)
{
  if (auto v = top.get("name"))
    st.sc.name = read_string(*v);
  else
    st.sc.name = std::filesystem::path(st.label).stem().string();
}

void read_seed(const map_view& top, load_state& st)
{
  if (auto v = top.get("seed"))
    st.sc.seed = read_uint64(*v);
}

void read_machine(const map_view& top, load_state& st)
{
  map_view m(top.value("machine"), "a map like {cores: 2}");
  m.allow_only({"cores", "speed", "context_switch", "wakeup_latency"});
  machine_spec& mc = st.sc.machine;
  // speed: host fills the machine and the costs from the profile first, so that the keys the
  // scenario gives itself, read next and in read_cost, win.
  if (auto v = m.get("speed")) {
    if (v->node.IsScalar() && v->node.Scalar() == "host") {
      use_host_profile(st.sc, v->pos(), v->path, st.profile);
    } else {
      mc.speed = read_number(*v);
      check_range(*v, mc.speed, 0, std::numeric_limits<double>::infinity(), true);
    }
  }
  if (auto v = m.get("cores"))
    mc.cores = int(read_int(*v, 1, 4096));
  if (auto v = m.get("context_switch"))
    mc.context_switch = read_duration(*v, true);
  if (auto v = m.get("wakeup_latency"))
    mc.wakeup_latency = read_duration(*v, true);
}

void read_scheduler(const map_view& top, load_state& st)
{
  const map_view m(top.value("scheduler"), "a map like {policy: rr}");
  st.sc.scheduler = read_model<sched_registry>(m, "policy", "cfs", "policy");
}

void read_python(const map_view& top, load_state& st)
{
  if (auto v = top.get("python"))
    st.python_default = read_gil(*v);
}

void read_locks(const map_view& top, load_state& st)
{
  const map_view locks(top.value("locks"), "a map of lock names");
  for (const auto& e : locks.entries()) {
    const std::string name = read_string(e.key, "a lock name");
    map_view spec(e.value, "a map like {kind: mutex}");
    st.sc.locks.push_back({name, read_model<lock_registry>(spec, "kind", "mutex", "lock kind")});
  }
}

// queues: {jobs: {items: {range: [1, 1000]}, chunk: 1}}
void read_queues(const map_view& top, load_state& st)
{
  const map_view queues(top.value("queues"), "a map of queue names");
  for (const auto& e : queues.entries()) {
    queue_spec q;
    q.name = read_string(e.key, "a queue name");
    map_view spec(e.value, "a map like {items: {range: [1, 1000]}}");
    spec.allow_only({"items", "chunk"});
    std::tie(q.first, q.last) = read_items(spec.require("items"));
    if (auto c = spec.get("chunk"))
      q.chunk = std::uint64_t(read_int(*c, 1, max_number));
    st.sc.queues.push_back(q);
  }
}

// cost: {python: {per_division: 37.2ns, per_item: 71.2ns}, native: {...}}
void read_cost(const map_view& top, load_state& st)
{
  const map_view cost(top.value("cost"), "a map like {python: {per_division: 37ns}}");
  cost.allow_only({"python", "native"});
  auto read_one = [](const field& f, kernel_cost& c) {
    map_view m(f, "a map like {per_division: 37ns, per_item: 70ns}");
    m.allow_only({"per_division", "per_item"});
    if (auto v = m.get("per_division"))
      c.per_division = read_duration(*v, true);
    if (auto v = m.get("per_item"))
      c.per_item = read_duration(*v, true);
  };
  if (auto v = cost.get("python"))
    read_one(*v, st.sc.python_cost);
  if (auto v = cost.get("native"))
    read_one(*v, st.sc.native_cost);
}

void read_processes(const map_view& top, load_state& st)
{
  // A workload makes its own processes; without one the scenario must list some.
  if (!top.find("processes") && top.find("workload"))
    return;
  for (const auto& p : list_items(top.require("processes"), "processes", true))
    read_process(p, st);
}

// workload: {items: {range: [a, b]}, per_item: [...], model: threads, workers: 3, ...} and the
// execution model's own parameters; the model expands it into queues and processes.
void read_workload(const map_view& top, load_state& st)
{
  if (!top.find("workload"))
    return;
  const map_view m(top.value("workload"), "a map like {model: threads, workers: 3}");
  const std::vector<std::string> common = {"items",        "per_item",  "workers",
                                           "distribution", "chunksize", "start_method"};
  workload_spec w;
  w.pos = m.self().pos();
  w.model = read_model<exec_registry>(m, "model", "sync", "execution model", common);
  std::tie(w.first, w.last) = read_items(m.require("items"));
  const std::vector<std::string> lock_names = names_of(st.sc.locks);
  const std::vector<std::string> no_queues;
  program_reader program{lock_names, no_queues};
  program.for_each_depth = 1;  // kernel steps work on the item
  w.per_item = program.read(m.require("per_item"));
  if (auto v = m.get("workers"))
    w.workers = int(read_int(*v, 1, 100000));
  if (auto v = m.get("distribution"))
    w.distribution = read_choice(*v, {"queue", "chunks", "pool", "manager"});
  if (auto v = m.get("chunksize"))
    w.chunksize = std::uint64_t(read_int(*v, 1, max_number));
  if (auto v = m.get("start_method"))
    w.start_method = read_choice(*v, {"fork", "spawn", "forkserver"});
  w.gil = default_gil(st, top.value("python"));
  const auto* e = exec_registry::instance().find(w.model.name);
  e->make(w.model.params, exec_context{st.sc.machine.cores, st.sc.machine.wakeup_latency})
      ->expand(w, st.sc);
  st.sc.workload = std::move(w);
}

// The top-level keys, read in this order whatever the file's order: processes need the locks
// and the python defaults.
struct section {
  const char* key;
  void (*read)(const map_view& top, load_state& st);
};
const section sections[] = {
    {"name", read_name},           {"seed", read_seed},     {"machine", read_machine},
    {"scheduler", read_scheduler}, {"python", read_python}, {"locks", read_locks},
    {"queues", read_queues},       {"cost", read_cost},     {"processes", read_processes},
    {"workload", read_workload},
};

}  // namespace

scenario load_scenario_text(const std::string& yaml, const std::string& file_label,
                            const std::vector<std::string>& overrides, const std::string& profile)
{
  yaml_sources src(file_label);
  YAML::Node root = parse_yaml(yaml, file_label);
  for (const auto& o : overrides)
    apply_override(root, o, src);

  field top_field{&src, root, "", root};
  if (root.IsNull())
    fail_input({file_label, 1, 1}, "", "the scenario is empty");
  std::vector<std::string> keys;
  for (const auto& s : sections)
    keys.push_back(s.key);
  map_view top(top_field, "a map of scenario keys");
  top.allow_only(keys);

  load_state st;
  st.label = file_label;
  st.profile = profile;
  st.sc.file = file_label;
  for (const auto& s : sections)
    s.read(top, st);
  return st.sc;
}

scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::string& profile)
{
  std::ifstream in(path);
  if (!in || std::filesystem::is_directory(path))
    fail_input({path, 0, 0}, "",
               fmt::format("cannot read the scenario: {}",
                           std::filesystem::is_directory(path) ? "it is a directory"
                                                               : std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario_text(text.str(), path, overrides, profile);
}

}  // namespace gilsim
