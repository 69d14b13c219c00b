// The Mermaid writer: a sequenceDiagram of cores handing the CPU to threads and a gantt of each
// thread's states in whole milliseconds.
#include "tests/out/hand_runs.hpp"

#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;

TEST_CASE("mermaid: the one-core hand-made run's sequence and gantt, line by line")
{
  // a runs 0-4, I/O 4-6, runs 6-10; b ready 0-4, runs 4-6, done. Every arrival on the core is a
  // "->>+" and every departure a "-->>-" naming why it left; b's wait while ready is no message.
  const std::string expected = "```mermaid\n"
                               "sequenceDiagram\n"
                               "    participant C0 as core 0\n"
                               "    participant T0 as a\n"
                               "    participant T1 as b\n"
                               "    C0->>+T0: runs at 0 ms\n"
                               "    T0-->>-C0: blocks on I/O at 4 ms\n"
                               "    C0->>+T1: runs at 4 ms\n"
                               "    T1-->>-C0: done at 6 ms\n"
                               "    C0->>+T0: runs at 6 ms\n"
                               "    T0-->>-C0: done at 10 ms\n"
                               "```\n"
                               "\n"
                               "```mermaid\n"
                               "gantt\n"
                               "    title t (makespan 10 ms)\n"
                               "    dateFormat x\n"
                               "    axisFormat %S.%L s\n"
                               "    section a\n"
                               "    running :active, 0, 4\n"
                               "    io :4, 6\n"
                               "    running :active, 6, 10\n"
                               "    section b\n"
                               "    ready :0, 4\n"
                               "    running :active, 4, 6\n"
                               "```\n";
  const auto tr = gilsim::test::hand_trace_one_core();
  CHECK(gilsim::mermaid_diagrams(tr) == expected);

  const auto& w = gilsim::test::registered("mermaid");
  CHECK(how_chosen(w) == chosen_by{"--diagram", "mermaid", gilsim::sink::console, true});
  CHECK(w.write({gilsim::run_report{}, tr}) == expected);
}

TEST_CASE("mermaid: past the message cap the hand-overs are counted, under ps a note and no cores")
{
  // Six hand-overs (each change that moves a thread on or off a core); a cap of 3 keeps the
  // first three and counts the other three.
  const auto capped = gilsim::mermaid_diagrams(gilsim::test::hand_trace_one_core(), 3);
  CHECK(capped.find("    C0->>+T1: runs at 4 ms\n"
                    "    Note over T0: 3 more hand-overs until 10 ms\n```\n") != std::string::npos);
  CHECK(capped.find("T1-->>-C0") == std::string::npos);

  gilsim::run_trace tr;
  tr.started({"f", 2, true, {"c"}, {false}, {{"n", 0}}});
  tr.state_changed(0, 0, gilsim::trace_state::running, -1);
  tr.state_changed(0.0025, 0, gilsim::trace_state::done, -1);
  tr.finished(0.0025);
  const std::string s = gilsim::mermaid_diagrams(tr);
  CHECK(s.rfind("```mermaid\nsequenceDiagram\n    participant T0 as n\n"
                "    Note over T0: processor sharing: every thread runs on the pooled cores\n"
                "```\n",
                0) == 0);
  // 2.5 ms rounds to 3 in the gantt's whole milliseconds (and reads 2.5 ms in the title).
  CHECK(s.find("title f (makespan 2.5 ms)") != std::string::npos);
  CHECK(s.find("    section n\n    running :active, 0, 3\n") != std::string::npos);
}

TEST_CASE("mermaid: names are escaped as entity codes; a run that lasts no time draws nothing")
{
  // One core: x;y runs 0-1 ms, is preempted, and a:b gets the core at 1 ms only to give it back
  // at the same instant (no message, no bar); x;y runs 1-2 ms, then a:b 2-3 ms.
  using gilsim::trace_state;
  gilsim::run_trace tr;
  tr.started({"t;s", 1, false, {"p"}, {false}, {{"x;y", 0}, {"a:b", 0}}});
  tr.state_changed(0, 0, trace_state::running, 0);
  tr.state_changed(0, 1, trace_state::ready, -1);
  tr.state_changed(0.001, 0, trace_state::ready, -1);
  tr.state_changed(0.001, 1, trace_state::running, 0);
  tr.state_changed(0.001, 1, trace_state::ready, -1);
  tr.state_changed(0.001, 0, trace_state::running, 0);
  tr.state_changed(0.002, 0, trace_state::done, -1);
  tr.state_changed(0.002, 1, trace_state::running, 0);
  tr.state_changed(0.003, 1, trace_state::done, -1);
  tr.finished(0.003);
  const std::string expected = "```mermaid\n"
                               "sequenceDiagram\n"
                               "    participant C0 as core 0\n"
                               "    participant T0 as x#59;y\n"
                               "    participant T1 as a#58;b\n"
                               "    C0->>+T0: runs at 0 ms\n"
                               "    T0-->>-C0: preempted at 1 ms\n"
                               "    C0->>+T0: runs at 1 ms\n"
                               "    T0-->>-C0: done at 2 ms\n"
                               "    C0->>+T1: runs at 2 ms\n"
                               "    T1-->>-C0: done at 3 ms\n"
                               "```\n"
                               "\n"
                               "```mermaid\n"
                               "gantt\n"
                               "    title t#59;s (makespan 3 ms)\n"
                               "    dateFormat x\n"
                               "    axisFormat %S.%L s\n"
                               "    section x#59;y\n"
                               "    running :active, 0, 1\n"
                               "    running :active, 1, 2\n"
                               "    section a#58;b\n"
                               "    ready :0, 1\n"
                               "    ready :1, 2\n"
                               "    running :active, 2, 3\n"
                               "```\n";
  CHECK(gilsim::mermaid_diagrams(tr) == expected);
}
