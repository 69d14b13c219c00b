// ps against its rule (models/sched/sched_ps.cpp, docs/model.md section 2): processor sharing is
// fluid. Every thread runs at once on SimGrid's shared N-core host, which gives each
// min(1, cores / ready) of a core; the policy itself queues, picks, slices and preempts nothing.
// The shares are checked end to end by the scenario tests (three 1 s threads on 2 cores end at
// 1.5 s), since only the engine applies them.
#include "tests/models/sched_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

TEST_CASE("ps: declares no parameters and asks for the fluid host")
{
  CHECK(entry<sched_registry>("ps").params.empty());
  CHECK(make_sched("ps", {}, 2)->fluid());
}

TEST_CASE("ps: nothing waits for a core, so nothing is picked, sliced or preempted")
{
  auto p = make_sched("ps", {}, 2);
  for (thread_id t = 0; t < 3; ++t)
    add_thread(*p, t);
  ready(*p, {0, 1, 2});
  CHECK(p->ready_count() == 0);
  CHECK(p->pick_next(0, 0) == no_thread);
  p->on_run(0, 0);
  p->on_ran(0, 1);
  CHECK(p->slice(0) == unlimited);
  CHECK(p->preempt_victim({0, 1}) == no_thread);
}

TEST_CASE("ps: only ps is fluid")
{
  // Every other policy dispatches threads onto cores one at a time.
  for (const auto& name : sched_registry::instance().names()) {
    INFO(name);
    const auto& e = entry<sched_registry>(name);
    auto p = e.make(default_values(e.params), sched_context{2});
    CHECK(p->fluid() == (name == "ps"));
  }
}
