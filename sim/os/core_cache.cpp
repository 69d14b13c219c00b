// One core's cache warmth (sim/os/core_cache.hpp says the model).
#include "sim/os/core_cache.hpp"

#include <algorithm>

namespace gilsim {

core_cache::core_cache(const cache_spec& spec, std::vector<double> working_sets, ns_t tick)
    : spec_(spec)
    , warmup_(to_ns(spec.warmup))
    , rewarm_(warmup_ > 0 ? warmup_ : tick)
    , sets_(std::move(working_sets))
{
}

bool core_cache::warm(thread_id t) const
{
  return std::find(warm_.begin(), warm_.end(), t) != warm_.end();
}

void core_cache::dispatched(thread_id t)
{
  if (warm(t))
    return;
  auto it = warming_.find(t);
  if (it == warming_.end())
    it = warming_.emplace(t, warmup_).first;
  if (it->second <= 0) {  // no warm-up at all: warm as it starts
    warming_.erase(it);
    make_warm(t);
  }
}

ns_t core_cache::warming_left(thread_id t) const
{
  auto it = warming_.find(t);
  return it == warming_.end() ? 0 : std::max(ns_t(0), it->second);
}

void core_cache::ran(thread_id t, ns_t run)
{
  auto it = warming_.find(t);
  if (it == warming_.end() || it->second <= 0 || run <= 0)
    return;
  it->second -= run;
  if (it->second > 0)
    return;
  warming_.erase(it);
  make_warm(t);
}

// t is warm, newest; the oldest warm sets leave while they do not all fit (t itself, if it is
// larger than the cache), each to warm again from the start.
void core_cache::make_warm(thread_id t)
{
  warm_.push_front(t);
  double total = 0;
  for (thread_id w : warm_)
    total += sets_[size_t(w)];
  while (total > spec_.size && !warm_.empty()) {
    thread_id gone = warm_.back();
    warm_.pop_back();
    total -= sets_[size_t(gone)];
    warming_[gone] = rewarm_;
  }
}

}  // namespace gilsim
