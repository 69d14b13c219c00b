// The work queues and their requests (a workload's, or a queue's own arrivals): handing out
// chunks, holding back the requests that have not arrived yet, waking the threads that wait
// for them, and each request's latency.
// A thread that finds the next request not yet arrived waits (as in queue.Queue.get, a lock
// wait); the waiters line up in the order they came, and only the first is ordered to wake,
// at the arrival plus the machine's wake-up latency (a put signals one waiter). Whoever takes
// from the queue first gets the request: a thread that comes back from its last one before the
// woken waiter runs takes it, and the waiter waits again. Once every request is handed out, the
// waiters all leave their for_each.
#include "sim/os/os_core.hpp"

namespace gilsim {

os_core::queue_state& os_core::queue_named(const std::string& name)
{
  if (&name != last_queue_name_) {  // a for_each's own name: the same string every time
    last_queue_ = &queues_.at(name);
    last_queue_name_ = &name;
  }
  return *last_queue_;
}

take_result os_core::take_chunk(sim_thread& t, const std::string& name)
{
  queue_state& q = queue_named(name);
  if (q.next > q.spec->last)
    return {};
  std::uint64_t first = q.next;
  std::uint64_t last = std::min(q.spec->last, first + q.spec->chunk - 1);
  if (q.arrivals && (*q.arrivals)[size_t(last - 1)] > now_) {
    if (std::find(q.waiters.begin(), q.waiters.end(), t.id) == q.waiters.end())
      q.waiters.push_back(t.id);
    t.waiting_queue = &q.spec->name;
    t.io_done_at = -1;  // waiting for a request is not waiting for the GIL: no convoy sample
    return {std::nullopt, true};
  }
  q.next = last + 1;
  return {chunk_range{first, last}, false};
}

// A for_each body is done with chunk c of queue `name`: its requests' latencies.
void os_core::chunk_finished(const std::string& name, const chunk_range& c)
{
  const queue_state& q = queue_named(name);
  if (!q.spec->requests)
    return;
  last_done_ = now_;
  if (!q.arrivals) { // every item was queued at the start
    latencies_.push_back({to_seconds(now_), c.second - c.first + 1});
    for (auto* o : observers_)
      o->requests_done(to_seconds(now_), latencies_.back().first, latencies_.back().second);
    return;
  }
  for (std::uint64_t i = c.first; i <= c.second; ++i) {
    latencies_.push_back({to_seconds(now_ - (*q.arrivals)[size_t(i - 1)]), 1});
    for (auto* o : observers_)
      o->requests_done(to_seconds(now_), latencies_.back().first, 1);
  }
}

// t was woken for an arrival (or the queue's end): it is no longer among the waiters.
void os_core::leave_queue_wait(sim_thread& t)
{
  queue_state& q = queues_.at(*t.waiting_queue);
  q.waiters.erase(std::find(q.waiters.begin(), q.waiters.end(), t.id));
  if (q.sleeper == t.id)
    q.sleeper = no_thread;
  t.waiting_queue = nullptr;
}

// At the end of a step: the first waiter of every queue is ordered to wake at the next arrival;
// when it is already there (and no wake-up latency is due), or the queue has nothing left to
// hand out, the waiters go on at once.
void os_core::serve_waiters()
{
  for (queue_state* served : queue_order_) {
    queue_state& q = *served;
    while (!q.waiters.empty()) {
      sim_thread& w = *threads_[size_t(q.waiters.front())];
      if (q.next <= q.spec->last) {
        if (q.sleeper != no_thread)
          break;
        const std::uint64_t last = std::min(q.spec->last, q.next + q.spec->chunk - 1);
        const ns_t at = (*q.arrivals)[size_t(last - 1)] + wakeup_latency_;
        if (at > now_) {
          q.sleeper = w.id;
          give_order(w, {order_kind::sleep, shared_host, at - now_, class_timer});
          break;
        }
      }
      if (w.id == q.sleeper)
        ++w.order_gen;  // the queue is done before its wake-up: that order is void
      leave_queue_wait(w);
      end_block(w);
      advance(w);
    }
  }
}

// A workload's requests, and those of the queues with arrivals of their own: the throughput
// counts from the first arrival (0 when some requests were all queued at the start).
std::optional<latency_report> os_core::latency_figures() const
{
  if (!sc_.workload && queue_arrivals_.empty())
    return std::nullopt;
  ns_t first = forever;
  for (const auto& [name, q] : queues_)
    if (q.spec->requests)
      first = std::min(first, q.arrivals ? q.arrivals->front() : 0);
  if (first == forever)  // a workload whose model made no queue of requests
    first = arrivals_.empty() ? 0 : arrivals_.front();
  return summarize_latency(latencies_, to_seconds(last_done_ - first));
}

double os_core::step_seconds(const step& s)
{
  return s.dist.random() ? s.dist.draw(durations_) : s.seconds;
}

} // namespace gilsim
