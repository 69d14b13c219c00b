// rr against its rules (models/sched/sched_rr.cpp, docs/model.md section 2): one FIFO ready
// queue; a thread whose quantum ends while others wait goes to its back; no preemption.
#include "tests/models/sched_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

std::unique_ptr<sched_policy> make_rr(double quantum_s, int cores = 1)
{
  auto p = make_sched("rr",
                      {{"quantum", quantum_s}, {"queues", 0}, {"steal_every", 0},
                       {"steal_from", 0}, {"aligned", 0}},
                      cores);
  for (thread_id t = 0; t < 4; ++t)
    add_thread(*p, t);
  return p;
}

}  // namespace

TEST_CASE("rr: the quantum is 4 ms unless set, and must be more than 0")
{
  // quantum, queues, steal_every, steal_from, aligned
  CHECK(entry<sched_registry>("rr").params.size() == 5);
  const param_decl& q = declared<sched_registry>("rr", "quantum");
  CHECK(q.kind == param_kind::duration);
  CHECK(q.default_value == 4e-3);
  CHECK(q.min == 0);
  CHECK(q.min_exclusive);
}

TEST_CASE("rr: every thread's slice is the quantum")
{
  auto p = make_rr(1e-3);
  ready(*p, {0, 1, 2});
  CHECK(p->pick_next(0, 0) == 0);
  p->on_run(0, 0);
  CHECK(p->slice(0) == 1e-3);
  CHECK(p->slice(1) == 1e-3);
  p->on_ran(0, 0.5e-3);
  CHECK(p->slice(0) == 1e-3); // counted from the dispatch by the OS, not shortened here
}

TEST_CASE("rr: a thread whose quantum ends queues behind those that waited")
{
  auto p = make_rr(2e-3);
  ready(*p, {0, 1, 2});
  CHECK(p->pick_next(0, 0) == 0);
  p->on_run(0, 0);
  ready(*p, {3}, ready_reason::wakeup); // woke during 0's quantum: ahead of 0, behind 2
  p->on_ran(0, 2e-3);
  slice_ends(*p, 0);
  CHECK(drain(*p) == ids{1, 2, 3, 0});
}

TEST_CASE("rr: a preempted or waking thread also joins the back")
{
  auto p = make_rr(2e-3);
  ready(*p, {0});
  ready(*p, {1}, ready_reason::preempted);
  ready(*p, {2}, ready_reason::wakeup);
  ready(*p, {3}, ready_reason::slice_end);
  CHECK(drain(*p) == ids{0, 1, 2, 3});
}

TEST_CASE("rr: never preempts")
{
  auto p = make_rr(1e-3, 2);
  ready(*p, {0, 1, 2});
  p->on_run(p->pick_next(0, 0), 0);
  p->on_run(p->pick_next(1, 0), 0);
  CHECK(p->preempt_victim({0, 1}) == no_thread);
}

TEST_CASE("rr: three jobs on one core in quanta of 2 ms")
{
  // 3, 5 and 1 ms ready at 0 in that order. 0 runs 0-2 (1 left) and queues behind 1, 2;
  // 1 runs 2-4 (3 left); 2 ends at 5; 0 ends at 6; 1, alone from then on, runs its last 3 ms
  // without a break and ends at 9.
  auto p = make_rr(2e-3);
  CHECK(run_one_core(*p, {{0, 3000}, {1, 5000}, {2, 1000}}) ==
        lines{"0 0-2", "1 2-4", "2 4-5 end", "0 5-6 end", "1 6-9 end"});
}
