// One core's cache, after the homework multi.py (cpu-sched-multi): a thread put on the core
// starts warming there; once it has run `warmup` there it is warm and runs `warm_speedup` times
// faster. The warm threads are kept newest first; when their working sets no longer fit the
// cache, the oldest are pushed out and must warm again (from the start) to be warm there. A
// thread keeps its warmth, or its warm-up so far, while it runs elsewhere: only being pushed
// out makes it cold. A working set larger than the cache never stays warm. With no warm-up, a
// thread is warm as it starts, but one pushed out warms again for one tick of the machine's
// clock (machine.tick; none in continuous time), as multi.py's counter does.
#pragma once

#include "models/core/scenario.hpp"
#include "sim/os/os.hpp"

#include <deque>
#include <map>
#include <vector>

namespace gilsim {

class core_cache {
public:
  core_cache(const cache_spec& spec, std::vector<double> working_sets, ns_t tick = 0);

  // t is put on the core: it starts warming unless it is warm or warming here already.
  void dispatched(thread_id t);
  bool warm(thread_id t) const;
  // How much more t must run here to be warm; 0 when it is not warming (warm, or too big).
  ns_t warming_left(thread_id t) const;
  // t ran `run` here: its warm-up advances, and at its end older working sets may be pushed out.
  void ran(thread_id t, ns_t run);
  double speedup() const { return spec_.warm_speedup; }

private:
  void make_warm(thread_id t);

  cache_spec spec_;
  ns_t warmup_;
  ns_t rewarm_;  // the warm-up of a thread pushed out
  std::vector<double> sets_;        // by thread id
  std::deque<thread_id> warm_;      // newest first
  std::map<thread_id, ns_t> warming_;  // thread -> run still needed here
};

}  // namespace gilsim
