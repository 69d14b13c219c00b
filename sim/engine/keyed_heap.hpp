// A binary min-heap with at most one entry per key (keys 0..n-1): setting a key's value again
// moves its entry rather than adding one, so that a replaced value leaves nothing stale behind.
// Entries are ordered by value, then by key. Every operation is O(log n) but top() and empty().
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace gilsim {

template <class Value>
class keyed_heap {
public:
  // Keys from 0 to `keys` - 1; empties the heap.
  void reset(std::size_t keys)
  {
    heap_.clear();
    pos_.assign(keys, npos);
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  bool contains(int key) const { return pos_[std::size_t(key)] != npos; }
  // The least entry: its key and its value.
  int top_key() const { return heap_.front().key; }
  const Value& top_value() const { return heap_.front().value; }
  // A key's value; the key must be in the heap.
  const Value& value(int key) const { return heap_[pos_[std::size_t(key)]].value; }

  // Adds the key with this value, or gives its entry this value.
  void set(int key, const Value& value)
  {
    std::size_t& at = pos_[std::size_t(key)];
    if (at == npos) {
      at = heap_.size();
      heap_.push_back({value, key});
      up(at);
      return;
    }
    heap_[at].value = value;
    if (!up(at))
      down(at);
  }
  void erase(int key)
  {
    std::size_t at = pos_[std::size_t(key)];
    if (at == npos)
      return;
    pos_[std::size_t(key)] = npos;
    entry last = heap_.back();
    heap_.pop_back();
    if (at == heap_.size())
      return;
    heap_[at] = last;
    pos_[std::size_t(last.key)] = at;
    if (!up(at))
      down(at);
  }
  void pop() { erase(top_key()); }
  void clear()
  {
    for (const entry& e : heap_)
      pos_[std::size_t(e.key)] = npos;
    heap_.clear();
  }

private:
  struct entry {
    Value value;
    int key;
  };
  static constexpr std::size_t npos = ~std::size_t(0);

  static bool before(const entry& a, const entry& b)
  {
    if (a.value < b.value)
      return true;
    if (b.value < a.value)
      return false;
    return a.key < b.key;
  }
  void place(std::size_t at, const entry& e)
  {
    heap_[at] = e;
    pos_[std::size_t(e.key)] = at;
  }
  // Moves the entry at `at` towards the root while it comes first; true if it moved.
  bool up(std::size_t at)
  {
    const entry e = heap_[at];
    const std::size_t from = at;
    while (at > 0) {
      std::size_t parent = (at - 1) / 2;
      if (!before(e, heap_[parent]))
        break;
      place(at, heap_[parent]);
      at = parent;
    }
    place(at, e);
    return at != from;
  }
  void down(std::size_t at)
  {
    const entry e = heap_[at];
    const std::size_t n = heap_.size();
    for (;;) {
      std::size_t child = 2 * at + 1;
      if (child >= n)
        break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child]))
        ++child;
      if (!before(heap_[child], e))
        break;
      place(at, heap_[child]);
      at = child;
    }
    place(at, e);
  }

  std::vector<entry> heap_;
  std::vector<std::size_t> pos_;  // each key's place in heap_, npos when it has none
};

}  // namespace gilsim
