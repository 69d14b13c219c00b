// A Fenwick tree (binary indexed tree) of counts over positions 0..n-1: adding to a position
// and finding where a running sum passes a value cost O(log n). The GIL's order of waiting
// counts its taken slots with one, lottery its ready threads' tickets.
#pragma once

#include <cstddef>
#include <vector>

namespace gilsim {

template <class T>
class fenwick {
public:
  // n positions, every count 0.
  void assign(std::size_t n) { tree_.assign(n + 1, T(0)); }
  // Every count from `counts` (n = its size), in O(n).
  void build(const std::vector<T>& counts)
  {
    assign(counts.size());
    for (std::size_t i = 1; i <= counts.size(); ++i) {
      tree_[i] += counts[i - 1];
      if (std::size_t up = i + (i & (~i + 1)); up <= counts.size())
        tree_[up] += tree_[i];  // each position's sum into the one that covers it
    }
  }
  std::size_t size() const { return tree_.empty() ? 0 : tree_.size() - 1; }
  void add(std::size_t at, T d)
  {
    for (std::size_t i = at + 1; i < tree_.size(); i += i & (~i + 1))
      tree_[i] += d;
  }
  void sub(std::size_t at, T d)
  {
    for (std::size_t i = at + 1; i < tree_.size(); i += i & (~i + 1))
      tree_[i] -= d;
  }
  // The first position whose running sum (its count and all before it) passes k, for k below
  // the total: laid end to end, the counts put the k-th unit (from 0) there.
  std::size_t find(T k) const
  {
    std::size_t step = 1;
    while (step * 2 <= size())
      step *= 2;
    std::size_t at = 0;  // positions before the answer, whose sum is at most k
    for (; step > 0; step /= 2)
      if (at + step <= size() && tree_[at + step] <= k) {
        at += step;
        k -= tree_[at];
      }
    return at;
  }

private:
  std::vector<T> tree_;  // tree_[i] (from 1) sums positions i - lowbit(i) .. i - 1
};

}  // namespace gilsim
