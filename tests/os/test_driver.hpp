// A driver of the simulated OS for tests, with no SimGrid: it dates every order itself (a run
// on a dedicated core ends when its work is done, a sleep at its end, a GIL timer at its
// deadline), hands the OS each batch of answers due at the earliest date, and records what the
// OS tells its listeners as lines of text, to be compared whole with a hand-worked list.
// It cannot run processor sharing (ps), whose runs only the fluid model can date.
#pragma once

#include "sim/os/os.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gilsim::test {

// What the OS told its listeners, one line per change: "12.5ms a running@0", "30ms a done",
// "5ms GIL p worker" (or "GIL p free").
class change_log : public run_observer {
public:
  void started(const run_setup& setup) override { setup_ = setup; }
  void state_changed(double t, int thread, trace_state state, int core) override;
  void gil_changed(double t, int process, int holder) override;
  void lock_handed(double t, const std::string& lock, int from, int to) override;
  void gil_drop_requested(double t, int process, int holder) override;
  void lock_holders(double t, int lock, const std::vector<int>& holders) override;
  std::vector<std::string> lines;
  // Each GIL drop request: "5ms drop request p a" (asked of a in process p).
  std::vector<std::string> drop_requests;
  // Each change of a held lock's holders: "2ms m b" ("3ms m free"; several joined by commas).
  std::vector<std::string> holders;
  // Each lock hand-off (a unit, an item, a notify, a barrier's or an event's wake-up), one a
  // line: "1ms q producer->consumer".
  std::vector<std::string> handoffs;
  // Only the lines whose thread state is one of these words (e.g. {"running", "done"}).
  std::vector<std::string> only(const std::vector<std::string>& words) const;

private:
  run_setup setup_;
};

class test_driver final : public os_driver {
public:
  void give(thread_id t, const order& o) override;
  void withdraw(thread_id t) override;
  ns_t run_left(thread_id t) const override;
  void set_timer(int id, ns_t at, bool earlier) override;

  // Runs the OS to its end and returns its report.
  run_report run(simulated_os& os);

private:
  std::vector<std::optional<order>> orders_;
  std::vector<ns_t> timers_;
  std::uint64_t seq_ = 0;
};

// Loads the YAML text and runs it under the test driver, recording into `log` when given.
run_report run_without_simgrid(const std::string& yaml, change_log* log = nullptr);
run_report run_scenario(const scenario& sc, change_log* log = nullptr);
run_report run_file_without_simgrid(const std::string& path, change_log* log = nullptr);

// The textbook's machine (one core, free switches) under `scheduler` ("{policy: rr}"), running
// the `processes` list: its dispatches and ends, "10ms b running@0", "20ms b done".
std::vector<std::string> textbook_dispatches(const std::string& scheduler,
                                             const std::string& processes);

}  // namespace gilsim::test
