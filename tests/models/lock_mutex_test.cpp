// mutex against its rules (models/lock/lock_semaphore.cpp, docs/model.md section 4): one holder;
// a thread that finds it held queues; a release hands it straight to the longest waiter (FIFO
// hand-off, no barging), which the OS then wakes.
#include "tests/models/lock_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

TEST_CASE("mutex: declares two optional parameters, its wakeup and an event loop's timer resolution")
{
  const auto& params = entry<lock_registry>("mutex").params;
  REQUIRE(params.size() == 2);
  CHECK(params[0].name == "wakeup");
  CHECK(params[0].optional);
  CHECK(params[1].name == "timer_resolution");
  CHECK(params[1].optional);
  CHECK_FALSE(make_lock("mutex", {})->wakeup().has_value());
  CHECK_FALSE(make_lock("mutex", {})->timer_resolution().has_value());
}

TEST_CASE("mutex: the first to ask holds it; the others queue in order")
{
  auto m = make_lock("mutex", {});
  CHECK(m->acquire(0));
  CHECK_FALSE(m->acquire(1));
  CHECK_FALSE(m->acquire(2));
  CHECK(m->holders() == ids{0});
  CHECK(m->waiters() == ids{1, 2});
  CHECK(m->held_by(0));
  CHECK_FALSE(m->held_by(1));
}

TEST_CASE("mutex: a release hands it to the longest waiter, one at a time")
{
  auto m = make_lock("mutex", {});
  for (thread_id t : {0, 1, 2})
    m->acquire(t);
  CHECK(m->release(0) == ids{1});
  CHECK(m->holders() == ids{1});
  CHECK(m->waiters() == ids{2});
  CHECK_FALSE(m->held_by(0));
  CHECK(m->release(1) == ids{2});
  CHECK(m->release(2) == ids{});
  CHECK(m->holders().empty());
  CHECK(m->waiters().empty());
}

TEST_CASE("mutex: no barging: a newcomer queues behind the waiter it was handed to")
{
  // 0 holds, 1 waits. 0 releases: 1 holds it now, before it even runs; 3 asking at that
  // instant finds it held and waits behind 2.
  auto m = make_lock("mutex", {});
  m->acquire(0);
  m->acquire(1);
  m->acquire(2);
  m->release(0);
  CHECK_FALSE(m->acquire(3));
  CHECK(m->waiters() == ids{2, 3});
}

TEST_CASE("mutex: free again once the last holder releases")
{
  auto m = make_lock("mutex", {});
  CHECK(m->acquire(4));
  CHECK(m->release(4).empty());
  CHECK(m->acquire(5));
  CHECK(m->holders() == ids{5});
}

TEST_CASE("mutex: a recorded sequence of asks and releases")
{
  // Who holds after each step, and whom each release wakes.
  auto m = make_lock("mutex", {});
  lines log = drive(*m, {"+0", "+1", "+2", "-0", "+0", "-1", "-2", "-0", "+3"});
  CHECK(log == lines{"+0 holds", "+1 waits", "+2 waits", "-0 wakes 1", "+0 waits", "-1 wakes 2",
                     "-2 wakes 0", "-0", "+3 holds"});
}
