// The new GIL's waiters ordered by their pass ends (models/gil/pass_ends.hpp): the next pass end
// and the waiters whose pass ends now, worked by hand on three waiters, then against the scan the
// model used to do (the least next_end of every waiter; every waiter whose end is now) on random
// waiters, at small and large dates and with an interval that is no whole number of nanoseconds.
#include "models/gil/pass_ends.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

using namespace gilsim;

namespace {

std::vector<thread_id> sorted(std::vector<thread_id> v)
{
  std::sort(v.begin(), v.end());
  return v;
}

using waiting_list = std::vector<std::pair<thread_id, double>>;  // (thread, start): the scan's view

// The scan's first end after `after`: the least next_end of every waiter.
double first_by_scan(const cyclic_passes& p, const waiting_list& waiting, double after)
{
  double best = std::numeric_limits<double>::infinity();
  for (const auto& [t, start] : waiting)
    best = std::min(best, p.next_end(start, after));
  return best;
}

// The scan's waiters whose pass ends at `now`, and the order's, sorted.
std::pair<std::vector<thread_id>, std::vector<thread_id>> due_both_ways(
    const cyclic_passes& p, const waiting_list& waiting, double now)
{
  std::vector<thread_id> want, got;
  const double tol = same_instant(now);
  for (const auto& [t, start] : waiting)
    if (std::fabs(p.next_end(start, now - tol) - now) <= tol)
      want.push_back(t);
  p.ending_at(now, got);
  return {sorted(want), sorted(got)};
}

}  // namespace

TEST_CASE("pass ends: three waiters at 0, 1 and 3 ms with a 5 ms interval, by hand")
{
  cyclic_passes p(5e-3);
  CHECK(std::isinf(p.first_end(0)));
  p.add(0, 0.0);
  p.add(1, 1e-3);
  p.add(2, 3e-3);
  // Their passes end at 5, 10, ...; 6, 11, ...; 8, 13, ... ms.
  CHECK(p.first_end(3e-3 + 1e-9) == Approx(5e-3).margin(1e-12));
  CHECK(p.first_end(5e-3 + 2e-9) == Approx(6e-3).margin(1e-12));
  CHECK(p.first_end(6.5e-3) == Approx(8e-3).margin(1e-12));
  CHECK(p.first_end(8.5e-3) == Approx(10e-3).margin(1e-12));  // waiter 0's second pass
  CHECK(p.first_end(12.1e-3) == Approx(13e-3).margin(1e-12));
  std::vector<thread_id> due;
  p.ending_at(8e-3, due);
  CHECK(due == std::vector<thread_id>{2});
  due.clear();
  p.ending_at(7e-3, due);
  CHECK(due.empty());
  p.remove(2, 3e-3);
  CHECK(p.first_end(6.5e-3) == Approx(10e-3).margin(1e-12));
  // A waiter that begins now has its first end one interval later, not now.
  p.add(3, 15e-3);
  due.clear();
  p.ending_at(15e-3, due);
  CHECK(sorted(due) == std::vector<thread_id>{0});

  single_passes s;
  s.add(4, 7e-3);
  s.add(5, 2e-3);
  CHECK(s.first_end() == 2e-3);
  due.clear();
  s.ending_at(7e-3 + 1e-9, due);
  CHECK(due == std::vector<thread_id>{4});
  s.remove(5, 2e-3);
  CHECK(s.first_end() == 7e-3);
}

TEST_CASE("pass ends: the ordered waiters answer as the scan of every waiter does, bit for bit")
{
  struct setting {
    double interval;
    double base;  // the dates run from base on
  };
  for (const setting set : {setting{5e-3, 0}, setting{1.2345678e-3, 0}, setting{5e-3, 1e5},
                            setting{1e-3, 1e8}, setting{3e-9, 0}}) {
    INFO("interval " << set.interval << ", dates from " << set.base);
    std::mt19937_64 rng(42);
    cyclic_passes p(set.interval);
    waiting_list waiting;
    auto date = [&](double span) {
      // Whole nanoseconds, as the OS dates events, seen as doubles of seconds.
      double ns = std::floor(std::uniform_real_distribution<double>(0, span)(rng) * 1e9);
      return set.base + ns * 1e-9;
    };
    for (int round = 0; round < 3000; ++round) {
      const double span = 40 * set.interval;
      if (waiting.size() < 60 && (waiting.empty() || rng() % 3 != 0)) {
        thread_id t = thread_id(round);
        double start = date(span);
        // Some waiters begin a whole number of intervals apart: the same phase.
        if (!waiting.empty() && rng() % 4 == 0)
          start = waiting.front().second + double(rng() % 5) * set.interval;
        p.add(t, start);
        waiting.push_back({t, start});
      } else {
        std::size_t k = rng() % waiting.size();
        p.remove(waiting[k].first, waiting[k].second);
        waiting.erase(waiting.begin() + long(k));
      }
      const double after = date(span + 10 * set.interval);
      REQUIRE(p.first_end(after) == first_by_scan(p, waiting, after));
      // The scan's waiters due at a pass end of one of them (and at a date that is none).
      for (double now : {waiting.empty() ? after : p.next_end(waiting[rng() % waiting.size()].second,
                                                               after),
                         after}) {
        const auto [want, got] = due_both_ways(p, waiting, now);
        REQUIRE(got == want);
      }
    }
  }
}

TEST_CASE("pass ends: exact_fmod is std::fmod to the last bit; same_instant's shortcut is exact")
{
  std::mt19937_64 g(7);
  for (double y : {5e-3, 1e-3, 1e-4, 3.3e-3, 0.1, 7e-9, 10.0}) {
    for (int i = 0; i < 20000; ++i) {
      double x = std::uniform_real_distribution<double>(0, i % 2 ? 1e3 : 1e8)(g);
      if (i % 3 == 0)
        x = std::round(x * 1e3) / 1e9;  // a date of whole nanoseconds
      if (i % 5 == 0)
        x = y * double(g() % 1000000);  // near a multiple, where the quotient rounds
      if (i % 7 == 0)
        x = std::nextafter(x, 0.0);
      const double a = std::fmod(x, y);
      const double b = exact_fmod(x, y);
      CHECK(std::signbit(a) == std::signbit(b));
      CHECK(a == b);
    }
    CHECK(exact_fmod(-2e-9, y) == std::fmod(-2e-9, y));
  }
  for (double t : {0.0, 1.0, 1e6, std::nextafter(2097152.0, 0.0)}) {
    const double a = std::fabs(t);
    CHECK(same_instant(t) == std::max(2e-9, 8 * (std::nextafter(a, 2 * a + 1) - a)));
  }
  CHECK(same_instant(4194304.0) > 2e-9);
}

TEST_CASE("pass ends: the remembered first end and the walks from the last one answer as the scan does while the clock moves on")
{
  for (const double interval : {5e-3, 1.2345678e-3}) {
    for (const double base : {0.0, 1e5}) {
      INFO("interval " << interval << ", dates from " << base);
      std::mt19937_64 rng(11);
      cyclic_passes p(interval);
      waiting_list waiting;
      double now = base;
      for (int round = 0; round < 4000; ++round) {
        now += double(rng() % 3000) * 1e-9 * (rng() % 4 == 0 ? 1000 : 1);
        if (waiting.size() < 40 && (waiting.size() < 20 || rng() % 2 == 0)) {
          p.add(thread_id(round), now);
          waiting.push_back({thread_id(round), now});
        } else {
          std::size_t k = rng() % waiting.size();
          p.remove(waiting[k].first, waiting[k].second);
          waiting.erase(waiting.begin() + long(k));
        }
        // As the GIL's timer is armed: from now on, and from a pass after a switch.
        for (double after : {now + 2e-9, now + interval - 2e-9, now + interval - 2e-9,
                             now + interval + 1e-6}) {
          const double best = first_by_scan(p, waiting, after);
          REQUIRE(p.first_end(after) == best);
          if (std::isinf(best))
            continue;
          // And the waiters due when that end comes, as the timer finds them.
          const auto [want, got] = due_both_ways(p, waiting, best);
          REQUIRE(got == want);
        }
      }
    }
  }
}
