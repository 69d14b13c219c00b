// stcf's choice of whom to preempt (models/sched/length_queue.hpp): the running thread with
// the most work left, ties by the later arrival then the higher id, and only when the best
// ready thread has strictly less left. The first question after the running threads' CPU was
// charged is answered by a scan, a repeated one (a decision's next pass) from the kept order of
// the running threads' keys: both must give the rule's answer, worked by hand below.
#include "tests/models/sched_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

// Threads 0..n-1 whose jobs are the lengths given, in ms.
std::unique_ptr<sched_policy> make_stcf(const std::vector<double>& lengths_ms)
{
  auto p = make_sched("stcf", {});
  for (size_t t = 0; t < lengths_ms.size(); ++t) {
    sched_thread st{thread_id(t), {}};
    st.job_length = lengths_ms[t] * 1e-3;
    p->add_thread(st);
  }
  return p;
}

void put_on_core(sched_policy& p, thread_id expected)
{
  CHECK(p.pick_next(0, 0) == expected);
  p.on_run(expected, 0);
}

}  // namespace

TEST_CASE("stcf: the running thread with the most left is preempted, asked once or again")
{
  // Jobs of 10, 8, 6, 4 and 2 ms; 0, 1 and 2 ready at 0: 2 (6 ms) and 1 (8 ms) take the cores.
  auto p = make_stcf({10, 8, 6, 4, 2});
  ready(*p, {0, 1, 2});
  put_on_core(*p, 2);
  put_on_core(*p, 1);
  CHECK(p->preempt_victim({1, 2}) == no_thread);  // 0 has 10 ms left: more than either
  // 3 (4 ms) arrives at 1 ms: it has less left than 1 (8 ms), the running one with the most.
  p->on_ready(3, ready_reason::arrival, 1e-3);
  CHECK(p->preempt_victim({1, 2}) == 1);
  CHECK(p->preempt_victim({2, 1}) == 1);  // asked again, the same figures: the same answer
  CHECK(p->preempt_victim({2}) == 2);     // 1's run ends now: of the others, 2 (6 ms > 4 ms)
  // 1 is preempted and 3 takes its core. Ready: 1 (8 ms) and 0 (10 ms); running 2 (6) and 3 (4).
  p->on_stop(1, 1e-3);
  p->on_ready(1, ready_reason::preempted, 1e-3);
  put_on_core(*p, 3);
  CHECK(p->preempt_victim({2, 3}) == no_thread);
  CHECK(p->ready_count() == 2);
}

TEST_CASE("stcf: after a charge, equals go by arrival, and an equal ready one never preempts")
{
  auto p = make_stcf({6, 4, 3, 3});
  p->on_ready(0, ready_reason::arrival, 0);
  p->on_ready(1, ready_reason::arrival, 1e-3);
  put_on_core(*p, 1);
  put_on_core(*p, 0);
  // 0 runs 3 ms and 1 runs 1 ms: both have 3 ms left; 1 arrived later, so its key is larger.
  p->on_ran(0, 3e-3);
  p->on_ran(1, 1e-3);
  p->on_ready(2, ready_reason::arrival, 3e-3);  // 3 ms left: equal, no preemption
  CHECK(p->preempt_victim({0, 1}) == no_thread);
  CHECK(p->preempt_victim({0, 1}) == no_thread);
  // 0 runs 1 more ms (2 ms left); 3 arrives with 3 ms, no less than 1's 3 ms: no preemption.
  p->on_ran(0, 1e-3);
  p->on_ready(3, ready_reason::arrival, 4e-3);
  CHECK(p->preempt_victim({0, 1}) == no_thread);
  // 1 runs 0.5 ms more (2.5 ms left) and 0 another 1.5 ms (0.5 ms left); ready: 2 and 3 (3 ms).
  p->on_ran(1, 0.5e-3);
  p->on_ran(0, 1.5e-3);
  CHECK(p->preempt_victim({0, 1}) == no_thread);
  // 2 runs elsewhere and comes back with 1 ms left, less than 1's 2.5 ms: 1 is the victim, by
  // the scan (first question since the charge) and by the kept order (again).
  CHECK(p->pick_next(0, 0) == 2);
  p->on_run(2, 5e-3);
  p->on_ran(2, 2e-3);
  p->on_stop(2, 7e-3);
  p->on_ready(2, ready_reason::wakeup, 7e-3);
  CHECK(p->preempt_victim({0, 1}) == 1);
  CHECK(p->preempt_victim({0, 1}) == 1);
  CHECK(p->preempt_victim({0}) == no_thread);  // 0 has 0.5 ms left, less than 2's 1 ms
}

TEST_CASE("stcf: a thread that left its core is not chosen from the kept order")
{
  auto p = make_stcf({9, 8, 1, 2});
  ready(*p, {0, 1});
  put_on_core(*p, 1);
  put_on_core(*p, 0);
  p->on_ready(2, ready_reason::arrival, 0);
  CHECK(p->preempt_victim({0, 1}) == 0);  // scan: 0 has 9 ms left
  CHECK(p->preempt_victim({0, 1}) == 0);  // kept order built
  // 0 blocks (leaves without a charge); 2 takes its core; 3 (2 ms) arrives.
  p->on_stop(0, 0);
  put_on_core(*p, 2);
  p->on_ready(3, ready_reason::arrival, 0);
  CHECK(p->preempt_victim({1, 2}) == 1);  // 1 (8 ms), not the stale 0 at the top
  // 0 comes back and is put on a core again (as after an I/O that took no time).
  p->on_stop(1, 0);
  p->on_ready(1, ready_reason::preempted, 0);
  put_on_core(*p, 3);
  p->on_ready(0, ready_reason::wakeup, 0);
  CHECK(p->preempt_victim({2, 3}) == no_thread);  // ready 1 (8) and 0 (9): more than 2 and 1
}
