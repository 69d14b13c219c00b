// The look-ahead's keyed heap (sim/engine/keyed_heap.hpp): one entry per key, a key set again
// moves its entry, ties go to the smaller key; checked by hand, then against an ordered set of
// (value, key) kept beside it through random sets, erases and pops.
#include "sim/engine/keyed_heap.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

using gilsim::keyed_heap;

TEST_CASE("keyed heap: a key set again moves, ties go to the smaller key, by hand")
{
  keyed_heap<std::int64_t> h;
  h.reset(4);
  CHECK(h.empty());
  h.set(2, 30);
  h.set(0, 50);
  h.set(3, 30);
  CHECK(h.size() == 3);
  CHECK(h.top_key() == 2);  // 30 and 30: key 2 before key 3
  h.set(2, 60);             // replaced: still one entry for key 2
  CHECK(h.size() == 3);
  CHECK(h.top_key() == 3);
  h.pop();
  CHECK(h.top_key() == 0);
  CHECK(h.top_value() == 50);
  h.erase(0);
  CHECK_FALSE(h.contains(0));
  CHECK(h.top_key() == 2);
  h.erase(1);  // not there: nothing happens
  CHECK(h.size() == 1);
  h.clear();
  CHECK(h.empty());
  h.set(1, 5);
  CHECK(h.top_key() == 1);
}

TEST_CASE("keyed heap: random sets, erases and pops agree with an ordered set")
{
  std::mt19937_64 rng(7);
  const int keys = 64;
  keyed_heap<std::int64_t> h;
  h.reset(keys);
  std::set<std::pair<std::int64_t, int>> want;
  std::vector<std::int64_t> value(keys, -1);  // -1: not in
  for (int round = 0; round < 20000; ++round) {
    int k = int(rng() % keys);
    switch (rng() % 4) {
      case 0:
      case 1: {
        std::int64_t v = std::int64_t(rng() % 100);  // small values: many ties
        if (value[k] >= 0)
          want.erase({value[k], k});
        value[k] = v;
        want.insert({v, k});
        h.set(k, v);
        break;
      }
      case 2:
        if (value[k] >= 0)
          want.erase({value[k], k});
        value[k] = -1;
        h.erase(k);
        break;
      default:
        if (!want.empty()) {
          auto [v, top] = *want.begin();
          REQUIRE(h.top_key() == top);
          REQUIRE(h.top_value() == v);
          want.erase(want.begin());
          value[top] = -1;
          h.pop();
        }
    }
    REQUIRE(h.size() == want.size());
    if (!want.empty()) {
      REQUIRE(h.top_key() == want.begin()->second);
      REQUIRE(h.top_value() == want.begin()->first);
    }
  }
}
