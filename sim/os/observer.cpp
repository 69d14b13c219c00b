#include "sim/os/observer.hpp"

namespace gilsim {

const char* trace_state_name(trace_state s)
{
  switch (s) {
    case trace_state::running: return "running";
    case trace_state::ready: return "ready";
    case trace_state::io: return "io";
    case trace_state::sleep: return "sleep";
    case trace_state::lock_wait: return "lock wait";
    case trace_state::gil_wait: return "GIL wait";
    case trace_state::idle: return "idle";
    case trace_state::done: return "done";
    case trace_state::loop_wait: return "waiting for the loop";
    case trace_state::join_wait: return "join";
    case trace_state::work_wait: return "waiting for work";
  }
  return "?";
}

}  // namespace gilsim
