// The GIL's waiters in the order of waiting (models/gil/waiting_order.hpp): the k-th waiter and
// the order of places are those of a plain list of the waiters, through many compactions.
#include "models/gil/waiting_order.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

using namespace gilsim;

TEST_CASE("waiting order: the k-th waiter is the list's, through waits, leaves and compactions")
{
  for (const std::size_t most : {std::size_t(3), std::size_t(100), std::size_t(700)}) {
    INFO("up to " << most << " waiters");
    waiting_order w;
    std::vector<thread_id> list;  // the plain list, longest waiter first
    std::vector<thread_id> idle;
    for (thread_id t = 0; t < thread_id(most); ++t)
      idle.push_back(t);
    std::mt19937_64 rng(5);
    for (int round = 0; round < 20000; ++round) {
      if (!idle.empty() && (list.empty() || rng() % 2 == 0)) {
        const std::size_t i = rng() % idle.size();
        w.push_back(idle[i]);
        list.push_back(idle[i]);
        idle.erase(idle.begin() + long(i));
      } else {
        // A hand-off takes the longest waiter or any; a timeout any.
        const std::size_t k = rng() % 3 == 0 ? 0 : rng() % list.size();
        REQUIRE(w.kth(k) == list[k]);
        w.erase(list[k]);
        idle.push_back(list[k]);
        list.erase(list.begin() + long(k));
      }
      REQUIRE(w.size() == list.size());
      REQUIRE(w.empty() == list.empty());
      for (std::size_t k = 1; k < list.size(); k += 1 + list.size() / 8)
        REQUIRE(w.place(list[k - 1]) < w.place(list[k]));
    }
  }
}
