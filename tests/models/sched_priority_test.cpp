// priority against its rules (models/sched/sched_priority.cpp, docs/model.md section 2): the
// highest static priority runs first; a ready thread above a running one takes the core of the
// lowest-priority running thread at once; equals share in quanta, FIFO among them.
#include "tests/models/sched_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

// Threads 0..n-1 with the priorities given, in that order.
std::unique_ptr<sched_policy> make_priority(double quantum_s, const std::vector<int>& prios,
                                            int cores = 1)
{
  auto p = make_sched("priority", {{"quantum", quantum_s}}, cores);
  for (size_t t = 0; t < prios.size(); ++t)
    add_thread(*p, thread_id(t), {.priority = prios[t]});
  return p;
}

}  // namespace

TEST_CASE("priority: the quantum among equals is 4 ms unless set, and must be more than 0")
{
  CHECK(entry<sched_registry>("priority").params.size() == 1);
  const param_decl& q = declared<sched_registry>("priority", "quantum");
  CHECK((q.default_value == 4e-3 && q.min == 0 && q.min_exclusive));
}

TEST_CASE("priority: higher priority runs first, FIFO among equals")
{
  // Priorities 1, 5, 3, 5, 1 ready in id order: the two 5s (1 then 3), the 3 (2), the 1s (0, 4).
  auto p = make_priority(1e-3, {1, 5, 3, 5, 1});
  ready(*p, {0, 1, 2, 3, 4});
  CHECK(p->ready_count() == 5);
  CHECK(drain(*p) == ids{1, 3, 2, 0, 4});
  CHECK(p->ready_count() == 0);
}

TEST_CASE("priority: negative priorities order below zero")
{
  auto p = make_priority(1e-3, {-2, 0, -7});
  ready(*p, {0, 1, 2});
  CHECK(drain(*p) == ids{1, 0, 2});
}

TEST_CASE("priority: a thread is sliced only while an equal waits")
{
  auto p = make_priority(2e-3, {2, 2, 1, 3});
  ready(*p, {0, 1, 2});
  CHECK(p->pick_next(0, 0) == 0);
  CHECK(p->slice(0) == 2e-3); // 1 (priority 2) waits
  run_for(*p, 0, 2);          // round robin: 1 next, 0 behind it
  CHECK(p->pick_next(0, 0) == 1);
  p->on_run(1, 0);
  CHECK(p->slice(1) == 2e-3); // 0 waits
  p->on_ran(1, 1e-3);
  p->on_stop(1, 0); // 1 blocks
  CHECK(p->pick_next(0, 0) == 0);
  p->on_run(0, 0);
  CHECK(p->slice(0) == unlimited); // only 2 waits, below it
  ready(*p, {3}, ready_reason::wakeup);
  CHECK(p->slice(0) == unlimited); // 3 above it preempts instead of waiting for a slice
}

TEST_CASE("priority: a higher ready thread preempts the lowest-priority running one")
{
  // Two cores run 0 (priority 1) and 2 (priority 3).
  auto p = make_priority(1e-3, {1, 5, 3, 2, 1});
  ready(*p, {0, 2});
  p->on_run(p->pick_next(0, 0), 0);
  p->on_run(p->pick_next(1, 0), 0);
  CHECK(p->preempt_victim({0, 2}) == no_thread); // nobody ready

  ready(*p, {4}, ready_reason::wakeup); // priority 1: equal to the lowest, no preemption
  CHECK(p->preempt_victim({0, 2}) == no_thread);
  CHECK(p->pick_next(0, 0) == 4);

  ready(*p, {3}, ready_reason::wakeup); // priority 2: above 0 only
  CHECK(p->preempt_victim({0, 2}) == 0);
  CHECK(p->preempt_victim({2, 0}) == 0);
  CHECK(p->pick_next(0, 0) == 3);

  ready(*p, {1}, ready_reason::wakeup); // priority 5: above both; 0 is the lowest
  CHECK(p->preempt_victim({2, 0}) == 0);
  CHECK(p->preempt_victim({2}) == 2); // with 0 gone, 2 is
}

TEST_CASE("priority: three jobs on one core, quanta of 2 ms among equals")
{
  // 0 (priority 1, 3 ms), 1 and 2 (priority 2, 3 and 2 ms) ready at 0. 1 runs first for a
  // quantum (2 waits as its equal): 0-2; 2 then ends at 4 (1 waits); 1, with no equal left,
  // runs its last 1 ms to 5; 0 runs 5-8.
  auto p = make_priority(2e-3, {1, 2, 2});
  CHECK(run_one_core(*p, {{0, 3000}, {1, 3000}, {2, 2000}}) ==
        lines{"1 0-2", "2 2-4 end", "1 4-5 end", "0 5-8 end"});
}
