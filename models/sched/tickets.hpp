// A thread's `tickets`, its share of the CPU under the proportional-share policies (lottery and
// stride, OSTEP chapter 9): both declare the same attribute.
#pragma once

#include "models/sched/sched_policy.hpp"

namespace gilsim {

inline param_decl tickets_decl()
{
  return {"tickets", param_kind::integer, "", 100, 1, 10000, false,
          "the thread's tickets: its CPU share is its tickets over all ready threads' (lottery, "
          "stride)",
          {}};
}

}  // namespace gilsim
