// A thread's position in its program: a stack of frames so that `repeat` and `for_each` blocks
// are walked in place, however large their count, without copying the body.
#pragma once

#include "models/core/scenario.hpp"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace gilsim {

// A chunk of numbers taken from a work queue, inclusive.
using chunk_range = std::pair<std::uint64_t, std::uint64_t>;
// Takes the next chunk of the named queue, or nothing when it is empty.
using queue_taker = std::function<std::optional<chunk_range>(const std::string& queue)>;

class program_cursor {
public:
  explicit program_cursor(const std::vector<step>& program) { frames_.push_back({&program, 0, 1}); }

  // The next cpu / io / sleep / lock / unlock step, or nullptr at the end of the program.
  // A for_each takes its chunks through `take` as it comes to them.
  const step* next(const queue_taker& take)
  {
    while (!frames_.empty()) {
      frame& f = frames_.back();
      if (f.pc == f.steps->size()) {
        if (f.queue) {  // a for_each body is done with its chunk: the next one, if any
          if (auto c = take(*f.queue)) {
            f.chunk = *c;
            f.pc = 0;
            continue;
          }
          frames_.pop_back();
          continue;
        }
        if (--f.left > 0) {
          f.pc = 0;
          continue;
        }
        frames_.pop_back();
        continue;
      }
      const step& s = (*f.steps)[f.pc++];
      if (s.kind == step_kind::repeat) {
        if (s.count > 0 && !s.body.empty())
          frames_.push_back({&s.body, 0, s.count});
        continue;
      }
      if (s.kind == step_kind::for_each) {
        if (auto c = take(s.queue))
          frames_.push_back({&s.body, 0, 1, &s.queue, *c});
        continue;
      }
      return &s;
    }
    return nullptr;
  }

  // The chunk of the innermost for_each the thread is in (empty outside any).
  std::optional<chunk_range> current_chunk() const
  {
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
      if (it->queue)
        return it->chunk;
    return std::nullopt;
  }

private:
  struct frame {
    const std::vector<step>* steps;
    size_t pc;
    long left;                           // repeat: passes still to run, this one included
    const std::string* queue = nullptr;  // for_each: the queue it takes from
    chunk_range chunk{};                 // for_each: the chunk in hand
  };
  std::vector<frame> frames_;
};

}  // namespace gilsim
