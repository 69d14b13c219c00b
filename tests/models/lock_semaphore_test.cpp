// semaphore against its rules (models/lock/lock_semaphore.cpp, docs/model.md section 4):
// `capacity` holders at once (1 unless set, at least 1); further threads queue; each released
// unit goes straight to the longest waiter (FIFO hand-off, no barging).
#include "tests/models/lock_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

TEST_CASE("semaphore: capacity is 1 unless set, a whole number of at least 1")
{
  CHECK(entry<lock_registry>("semaphore").params.size() == 1);
  const param_decl& c = declared<lock_registry>("semaphore", "capacity");
  CHECK(c.kind == param_kind::integer);
  CHECK(c.default_value == 1);
  CHECK(c.min == 1);
  CHECK_FALSE(c.min_exclusive);
}

TEST_CASE("semaphore: capacity threads hold it at once; the next ones wait")
{
  auto s = make_lock("semaphore", {{"capacity", 3}});
  CHECK(s->acquire(0));
  CHECK(s->acquire(1));
  CHECK(s->acquire(2));
  CHECK_FALSE(s->acquire(3));
  CHECK_FALSE(s->acquire(4));
  CHECK(s->holders() == ids{0, 1, 2});
  CHECK(s->waiters() == ids{3, 4});
  for (thread_id t : {0, 1, 2})
    CHECK(s->held_by(t));
  CHECK_FALSE(s->held_by(3));
}

TEST_CASE("semaphore: each release passes one unit to the longest waiter")
{
  // Capacity 2: 0 and 1 hold; 2, 3 wait. 1 releases: 2 holds beside 0. 0 releases: 3 holds.
  // Then releases with nobody waiting free units: 2 and 3 release, and 4 and 5 both get one.
  auto s = make_lock("semaphore", {{"capacity", 2}});
  lines log = drive(*s, {"+0", "+1", "+2", "+3", "-1", "-0", "+6", "-2", "-3", "-6", "+4", "+5"});
  CHECK(log == lines{"+0 holds", "+1 holds", "+2 waits", "+3 waits", "-1 wakes 2", "-0 wakes 3",
                     "+6 waits", "-2 wakes 6", "-3", "-6", "+4 holds", "+5 holds"});
  CHECK(s->holders() == ids{4, 5});
}

TEST_CASE("semaphore: capacity 1 behaves as a mutex")
{
  auto s = make_lock("semaphore", {{"capacity", 1}});
  auto m = make_lock("mutex", {});
  std::vector<std::string> steps{"+0", "+1", "+2", "-0", "+0", "-1", "-2", "-0"};
  CHECK(drive(*s, steps) == drive(*m, steps));
}
