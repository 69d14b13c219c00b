// fifo against its rules (models/sched/sched_fifo.cpp, docs/model.md section 2): one FIFO ready
// queue that every ready thread joins at the back, whatever made it ready; no slices; no
// preemption.
#include "tests/models/sched_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

std::unique_ptr<sched_policy> make_fifo(int cores = 1)
{
  // shared, no stealing (steal_from: longest)
  auto p = make_sched("fifo", {{"queues", 0}, {"steal_every", 0}, {"steal_from", 0}}, cores);
  for (thread_id t = 0; t < 4; ++t)
    add_thread(*p, t);
  return p;
}

}  // namespace

TEST_CASE("fifo: declares only its queue layout")
{
  // Only the queue layout: one shared queue unless `queues: per_core`, and how stealing goes.
  CHECK(entry<sched_registry>("fifo").params.size() == 3);
  CHECK(declared<sched_registry>("fifo", "queues").choices ==
        std::vector<std::string>{"shared", "per_core"});
  CHECK(declared<sched_registry>("fifo", "steal_from").choices ==
        std::vector<std::string>{"longest", "multi_py"});
  CHECK_FALSE(make_fifo()->fluid());
}

TEST_CASE("fifo: threads run in the order they became ready")
{
  auto p = make_fifo();
  ready(*p, {2, 0, 3, 1});
  CHECK(p->ready_count() == 4);
  CHECK(drain(*p) == ids{2, 0, 3, 1});
  CHECK(p->ready_count() == 0);
  CHECK(p->pick_next(0, 0) == no_thread);
}

TEST_CASE("fifo: a thread back from a block joins the back of the queue")
{
  auto p = make_fifo();
  ready(*p, {0, 1});
  CHECK(p->pick_next(0, 0) == 0);
  p->on_run(0, 0);
  ready(*p, {2}, ready_reason::wakeup); // 2 wakes while 0 runs: behind 1
  p->on_ran(0, 1e-3);
  p->on_stop(0, 1e-3); // 0 blocks, then wakes: behind 2
  ready(*p, {0}, ready_reason::wakeup);
  CHECK(drain(*p) == ids{1, 2, 0});
}

TEST_CASE("fifo: no slice and no preemption, however many wait")
{
  auto p = make_fifo(2);
  ready(*p, {0, 1, 2, 3});
  CHECK(p->pick_next(0, 0) == 0);
  CHECK(p->pick_next(1, 0) == 1);
  p->on_run(0, 0);
  p->on_run(1, 0);
  p->on_ran(0, 10);
  CHECK(p->slice(0) == unlimited);
  CHECK(p->slice(1) == unlimited);
  CHECK(p->preempt_victim({0, 1}) == no_thread);
  CHECK(p->ready_count() == 2);
}

TEST_CASE("fifo: jobs on one core run to completion in arrival order")
{
  // 300, 100, 200 ms ready at 0: each runs whole, one after the other: 0-300, 300-400, 400-600.
  auto p = make_fifo();
  CHECK(run_one_core(*p, {{0, 300'000}, {1, 100'000}, {2, 200'000}}) ==
        lines{"0 0-300 end", "1 300-400 end", "2 400-600 end"});
}
