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
// What a take from a work queue gives: the next chunk, nothing (the queue is done), or `wait`
// (its next chunk has not arrived yet: the thread waits and takes again later).
struct take_result {
  std::optional<chunk_range> chunk;
  bool wait = false;
};
// Takes the next chunk of the named queue.
using queue_taker = std::function<take_result(const std::string& queue)>;
// A for_each body is done with its chunk (told once per chunk, before the next take).
using chunk_done = std::function<void(const std::string& queue, const chunk_range& chunk)>;

class program_cursor {
public:
  explicit program_cursor(const std::vector<step>& program) { frames_.push_back({&program, 0, 1}); }

  // The next cpu / io / sleep / lock / unlock step, or nullptr at the end of the program or
  // when a take must wait (waiting() then says so; the next call takes again). A for_each takes
  // its chunks through `take` as it comes to them, and tells `done` of each one it finishes.
  const step* next(const queue_taker& take, const chunk_done& done = {})
  {
    waiting_ = false;
    while (!frames_.empty()) {
      frame& f = frames_.back();
      if (f.pc == f.steps->size()) {
        if (f.queue) {  // a for_each body is done with its chunk: the next one, if any
          if (!f.told && done)
            done(*f.queue, f.chunk);
          f.told = true;
          take_result r = take(*f.queue);
          if (r.wait) {
            waiting_ = true;
            return nullptr;
          }
          if (r.chunk) {
            f.chunk = *r.chunk;
            f.pc = 0;
            f.told = false;
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
        take_result r = take(s.queue);
        if (r.wait) {
          --f.pc;  // the for_each is taken again
          waiting_ = true;
          return nullptr;
        }
        if (r.chunk)
          frames_.push_back({&s.body, 0, 1, &s.queue, *r.chunk});
        continue;
      }
      return &s;
    }
    return nullptr;
  }

  // For a run alone's walk (os_walk.cpp): the step next() would give without leaving the
  // innermost block, when it is a cpu step: the block's next step, or its first again (a
  // repeat's next pass; a for_each's next chunk, when `more(queue)` says the take will give
  // one); nullptr when next() would do anything else. step_in_block() then takes that step,
  // telling `done` of the chunk it finishes and taking the next through `take`, as next() does.
  template <class More>
  const step* peek_in_block(More&& more) const
  {
    if (frames_.empty() || frames_.back().steps->empty())
      return nullptr;
    const frame& f = frames_.back();
    const step& s = (*f.steps)[f.pc < f.steps->size() ? f.pc : 0];
    if (s.kind != step_kind::cpu)
      return nullptr;
    if (f.pc < f.steps->size())
      return &s;
    return (f.queue ? more(*f.queue) : f.left > 1) ? &s : nullptr;
  }
  template <class Take, class Done>
  const step& step_in_block(Take&& take, Done&& done)
  {
    frame& f = frames_.back();
    if (f.pc == f.steps->size()) {
      if (f.queue) {
        if (!f.told)
          done(*f.queue, f.chunk);
        f.chunk = *take(*f.queue).chunk;
        f.told = false;
      } else {
        --f.left;
      }
      f.pc = 0;
    }
    return (*f.steps)[f.pc++];
  }

  // Did the last next() stop at a take that must wait?
  bool waiting() const { return waiting_; }

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
    bool told = false;                   // for_each: its chunk's end was told
  };
  std::vector<frame> frames_;
  bool waiting_ = false;
};

}  // namespace gilsim
