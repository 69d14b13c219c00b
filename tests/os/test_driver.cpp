#include "tests/os/test_driver.hpp"

#include "sim/load/loader.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace gilsim::test {

namespace {
// "12.5ms": simulated seconds in milliseconds, as short as they go.
std::string ms(double t) { return fmt::format("{:g}ms", t * 1e3); }
}  // namespace

void change_log::state_changed(double t, int thread, trace_state state, int core)
{
  std::string line = fmt::format("{} {} {}", ms(t), setup_.threads[size_t(thread)].name,
                                 trace_state_name(state));
  if (core >= 0)
    line += fmt::format("@{}", core);
  lines.push_back(line);
}

void change_log::gil_changed(double t, int process, int holder)
{
  lines.push_back(fmt::format("{} GIL {} {}", ms(t), setup_.processes[size_t(process)],
                              holder < 0 ? "free" : setup_.threads[size_t(holder)].name));
}

void change_log::lock_handed(double t, const std::string& lock, int from, int to)
{
  handoffs.push_back(fmt::format("{} {} {}->{}", ms(t), lock, setup_.threads[size_t(from)].name,
                                 setup_.threads[size_t(to)].name));
}

void change_log::gil_drop_requested(double t, int process, int holder)
{
  drop_requests.push_back(fmt::format("{} drop request {} {}", ms(t),
                                      setup_.processes[size_t(process)],
                                      setup_.threads[size_t(holder)].name));
}

void change_log::lock_holders(double t, int lock, const std::vector<int>& now)
{
  std::vector<std::string> names;
  for (int h : now)
    names.push_back(setup_.threads[size_t(h)].name);
  holders.push_back(fmt::format("{} {} {}", ms(t), setup_.locks[size_t(lock)].name,
                                names.empty() ? "free" : fmt::format("{}", fmt::join(names, ","))));
}

std::vector<std::string> change_log::only(const std::vector<std::string>& words) const
{
  std::vector<std::string> out;
  for (const auto& l : lines) {
    std::string state = l.substr(l.rfind(' ') + 1);
    state = state.substr(0, state.find('@'));
    if (std::find(words.begin(), words.end(), state) != words.end())
      out.push_back(l);
  }
  return out;
}

void test_driver::give(thread_id t, const order& o)
{
  if (size_t(t) >= orders_.size())
    orders_.resize(size_t(t) + 1);
  if (o.kind == order_kind::exit)
    orders_[size_t(t)].reset();
  else
    orders_[size_t(t)] = o;
}

void test_driver::withdraw(thread_id t)
{
  if (size_t(t) < orders_.size())
    orders_[size_t(t)].reset();
}

ns_t test_driver::run_left(thread_id) const { return forever; }

void test_driver::set_timer(int id, ns_t at, bool)
{
  if (size_t(id) >= timers_.size())
    timers_.resize(size_t(id) + 1, forever);
  timers_[size_t(id)] = at;
}

run_report test_driver::run(simulated_os& os)
{
  std::vector<event> batch = os.begin(0);
  for (auto& e : batch)
    e.seq = seq_++;
  os.step(0, batch);
  while (!os.stopped()) {
    ns_t next = forever;
    for (const auto& o : orders_)
      if (o)
        next = std::min(next, o->until);
    for (ns_t at : timers_)
      next = std::min(next, at);
    if (next == forever) {
      os.stop(stop_kind::deadlock, "nothing left to happen", os.now());
      break;
    }
    batch.clear();
    for (size_t t = 0; t < orders_.size(); ++t) {
      auto& o = orders_[t];
      if (!o || o->until != next)
        continue;
      batch.push_back({o->post_class, thread_id(t), seq_++,
                       o->kind == order_kind::run ? event_kind::exec_done : event_kind::timer,
                       o->gen});
      o.reset();
    }
    for (size_t id = 0; id < timers_.size(); ++id)
      if (timers_[id] == next)
        batch.push_back({class_timer, os_timer_base - int(id), seq_++, event_kind::os_timer, 0});
    os.step(next, batch);
  }
  return os.end();
}

run_report run_scenario(const scenario& sc, change_log* log)
{
  test_driver driver;
  std::vector<run_observer*> listeners;
  if (log)
    listeners.push_back(log);
  simulated_os os(sc, run_limits{}, driver, listeners);
  return driver.run(os);
}

run_report run_without_simgrid(const std::string& yaml, change_log* log)
{
  scenario sc = load_scenario_text(yaml, "test.yaml");
  return run_scenario(sc, log);
}

run_report run_file_without_simgrid(const std::string& path, change_log* log)
{
  scenario sc = load_scenario(path);
  return run_scenario(sc, log);
}

std::vector<std::string> textbook_dispatches(const std::string& scheduler,
                                             const std::string& processes)
{
  change_log log;
  run_without_simgrid("machine: {cores: 1, context_switch: 0}\nscheduler: " + scheduler +
                          "\nprocesses:\n" + processes,
                      &log);
  return log.only({"running", "done"});
}

}  // namespace gilsim::test
