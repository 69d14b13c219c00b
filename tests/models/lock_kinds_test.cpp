// queue, condition, barrier and event against their rules (models/lock/lock_*.cpp,
// docs/model.md section 4), step by step through lock_model::act: whether the thread goes on,
// and whom its step wakes.
#include "tests/models/lock_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {
// "+" when the thread goes on, "-" when it waits, then the woken threads.
std::string act_on(lock_model& l, lock_op op, thread_id t)
{
  lock_outcome o = l.act(op, t);
  return fmt::format("{}{}", o.goes_on ? "+" : "-", fmt::join(o.woken, " "));
}
}  // namespace

TEST_CASE("queue: get waits while empty, put while full; hand-offs go to the longest waiter")
{
  auto q = make_lock("queue", {{"capacity", 2}});
  CHECK(q->takes(lock_op::put));
  CHECK(q->takes(lock_op::get));
  CHECK_FALSE(q->takes(lock_op::lock));
  CHECK(act_on(*q, lock_op::get, 0) == "-");   // empty: 0 waits
  CHECK(act_on(*q, lock_op::get, 1) == "-");   // and 1 behind it
  CHECK(act_on(*q, lock_op::put, 2) == "+0");  // the item goes to 0, the longest waiter
  CHECK(act_on(*q, lock_op::put, 2) == "+1");
  CHECK(act_on(*q, lock_op::put, 2) == "+");   // 1 item
  CHECK(act_on(*q, lock_op::put, 2) == "+");   // 2 items: full
  CHECK(act_on(*q, lock_op::put, 3) == "-");   // 3 waits for room
  CHECK(q->waiters() == ids{3});
  CHECK(act_on(*q, lock_op::get, 0) == "+3");  // a get lets 3's item in: still 2 items
  CHECK(act_on(*q, lock_op::get, 0) == "+");
  CHECK(act_on(*q, lock_op::get, 0) == "+");   // empty again
  CHECK(act_on(*q, lock_op::get, 0) == "-");
  CHECK(q->waits_for(0) == "an item to get (the queue is empty)");
  CHECK(declared<lock_registry>("queue", "capacity").min == 1);
  CHECK(declared<lock_registry>("queue", "capacity").optional);  // unbounded when left out
}

TEST_CASE("queue: without a capacity it never fills")
{
  const auto& e = entry<lock_registry>("queue");
  auto q = e.make(default_values(e.params), lock_context{"q"});  // capacity left out
  for (int i = 0; i < 1000; ++i)
    REQUIRE(act_on(*q, lock_op::put, 0) == "+");
}

TEST_CASE("condition: wait gives the lock up; a notified thread queues for it again")
{
  auto cv = make_lock("condition", {});
  CHECK(act_on(*cv, lock_op::lock, 0) == "+");
  CHECK(act_on(*cv, lock_op::lock, 1) == "-");  // 1 queues for the lock
  CHECK(act_on(*cv, lock_op::wait, 0) == "-1"); // 0 waits, handing the lock to 1
  CHECK(cv->held_by(1));
  CHECK(act_on(*cv, lock_op::wait, 1) == "-");  // nobody to hand it to
  CHECK(cv->holders().empty());
  CHECK(act_on(*cv, lock_op::lock, 2) == "+");
  CHECK(act_on(*cv, lock_op::notify, 2) == "+");      // 0 moves to the lock's queue
  CHECK(cv->waits_for(0) == "");                    // it waits for the lock now
  CHECK(cv->waits_for(1) == "a notify");
  CHECK(act_on(*cv, lock_op::unlock, 2) == "+0");     // and is handed it at the unlock
  CHECK(act_on(*cv, lock_op::notify_all, 0) == "+");  // 1 queues behind 0's hold
  CHECK(act_on(*cv, lock_op::unlock, 0) == "+1");
  CHECK(act_on(*cv, lock_op::notify, 1) == "+");      // nobody waits: nothing happens
  CHECK(cv->waiters().empty());
}

TEST_CASE("barrier: the parties-th wait goes on and wakes the others, then a new round")
{
  auto b = make_lock("barrier", {{"parties", 3}});
  CHECK(act_on(*b, lock_op::wait, 0) == "-");
  CHECK(act_on(*b, lock_op::wait, 1) == "-");
  CHECK(b->waits_for(0) == "the other parties (2 of 3 have arrived)");
  CHECK(act_on(*b, lock_op::wait, 2) == "+0 1");
  CHECK(act_on(*b, lock_op::wait, 2) == "-");  // the next round
  CHECK(declared<lock_registry>("barrier", "parties").default_value == 2);
}

TEST_CASE("event: wait blocks until set, goes on while set, blocks again after clear")
{
  auto ev = make_lock("event", {});
  CHECK(act_on(*ev, lock_op::wait, 0) == "-");
  CHECK(act_on(*ev, lock_op::wait, 1) == "-");
  CHECK(act_on(*ev, lock_op::set, 2) == "+0 1");
  CHECK(act_on(*ev, lock_op::wait, 0) == "+");
  CHECK(act_on(*ev, lock_op::clear, 2) == "+");
  CHECK(act_on(*ev, lock_op::wait, 0) == "-");
  CHECK(ev->waits_for(0) == "the event to be set");
}
