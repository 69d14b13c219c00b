// Nodes kept aside as elements leave a set and used again (models/core/node_spares.hpp): the set
// holds what a plain set would after the same inserts and erases, and a node taken out is the
// one the next insert uses.
#include "models/core/node_spares.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <utility>

using namespace gilsim;

TEST_CASE("node spares: a set with its nodes reused holds what a plain set does")
{
  std::set<std::pair<int, int>> reused, plain;
  node_spares<std::set<std::pair<int, int>>> spares;
  std::mt19937 rng(3);
  for (int round = 0; round < 5000; ++round) {
    const std::pair<int, int> v{int(rng() % 50), int(rng() % 3)};
    if (rng() % 2 == 0) {
      auto it = spares.insert(reused, v);
      CHECK(*it == v);
      plain.insert(v);
    } else if (!reused.empty() && rng() % 2 == 0) {
      const auto first = *reused.begin();
      spares.erase(reused, reused.begin());
      plain.erase(first);
    } else {
      spares.erase(reused, v);  // by key, there or not
      plain.erase(v);
    }
    REQUIRE(reused == plain);
  }
}

TEST_CASE("node spares: the node an element leaves in is the next one's")
{
  std::set<int> s;
  node_spares<std::set<int>> spares;
  const int* node = &*spares.insert(s, 1);
  spares.erase(s, s.begin());
  CHECK(s.empty());
  CHECK(&*spares.insert(s, 7) == node);  // no allocation: the same node, with the new value
  CHECK(&*spares.insert(s, 7) == node);  // already there: nothing inserted, nothing lost
  CHECK(s.size() == 1);
}
