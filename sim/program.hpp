// A thread's position in its program: a stack of frames so that `repeat` blocks are walked in
// place, however large their count, without copying the body.
#pragma once

#include "sim/scenario.hpp"

#include <vector>

namespace gilsim {

class program_cursor {
public:
  explicit program_cursor(const std::vector<step>& program) { frames_.push_back({&program, 0, 1}); }

  // The next cpu / io / sleep / lock / unlock step, or nullptr at the end of the program.
  const step* next()
  {
    while (!frames_.empty()) {
      frame& f = frames_.back();
      if (f.pc == f.steps->size()) {
        if (--f.left > 0) {
          f.pc = 0;
          continue;
        }
        frames_.pop_back();
        continue;
      }
      const step& s = (*f.steps)[f.pc++];
      if (s.kind != step_kind::repeat)
        return &s;
      if (s.count > 0 && !s.body.empty())
        frames_.push_back({&s.body, 0, s.count});
    }
    return nullptr;
  }

private:
  struct frame {
    const std::vector<step>* steps;
    size_t pc;
    long left;  // passes still to run, this one included
  };
  std::vector<frame> frames_;
};

}  // namespace gilsim
