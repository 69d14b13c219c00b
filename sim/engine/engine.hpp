// The SimGrid engine: the platform (a 1-core host per core, or one shared N-core host for ps),
// an actor per thread that carries out its orders, a timer actor per GIL, and the loop that
// hands the OS its batches, with the look-ahead that dates the OS's own orders without SimGrid.
#pragma once

#include "sim/engine/fluid_share.hpp"
#include "sim/engine/keyed_heap.hpp"
#include "sim/os/os.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <limits>
#include <vector>

namespace gilsim {

class sg_engine final : public os_driver {
public:
  sg_engine(const scenario& sc, const run_limits& limits, std::vector<run_observer*> observers);
  run_report run();

  // os_driver
  void give(thread_id t, const order& o) override;
  void withdraw(thread_id t) override;
  ns_t run_left(thread_id t) const override;
  void set_timer(int id, ns_t at, bool earlier) override;

private:
  // What the engine keeps per thread: its actor, its mailbox of one order, its exec.
  struct actor_state {
    simgrid::s4u::ActorPtr actor;
    simgrid::s4u::SemaphorePtr sem;
    simgrid::s4u::ExecPtr exec;
    order next_order;
    bool to_signal = false;         // its semaphore is released at the end of this step
    bool cancel_requested = false;  // withdrawn while its actor was starting the exec
    // The order last handed to the actor (by flush) and when it will be done: while the OS's
    // order_gen is still flushed_gen, its answer is due at flushed_until.
    std::uint64_t flushed_gen = 0;
    ns_t flushed_until = forever;
    bool listed_out = false;  // in the list of orders out
  };
  struct timer_state {
    ns_t deadline = forever;
    simgrid::s4u::SemaphorePtr sem;
    bool to_signal = false;
  };

  void build_platform();
  void start_actors();
  void thread_main(thread_id t);
  void timer_main(int id);
  void os_main();
  void post(event e);
  void flush();
  void handle_batch();
  void step(std::vector<event>& batch);
  bool look_ahead();
  void catch_up();
  void stop(stop_kind why, const std::string& message);
  simgrid::s4u::Host* host_of(int core) const;
  double flops(ns_t duration, int core) const;
  ns_t clock() const;  // SimGrid's clock, to the nearest nanosecond
  ns_t batch_time(const std::vector<event>& batch) const;

  const scenario& sc_;
  run_limits limits_;
  simulated_os os_;
  bool fluid_ = false;
  // Under ps with the look-ahead, the runs are dated by the share below, not by SimGrid, until
  // the look-ahead must hand them out (a --max-time horizon): then SimGrid takes over.
  bool fluid_ahead_ = false;
  fluid_share share_;
  std::vector<thread_id> ended_;  // the share's runs that end at this instant
  std::vector<actor_state> actors_;
  std::vector<timer_state> timers_;
  std::vector<simgrid::s4u::Host*> cores_;
  std::vector<double> speeds_;  // each core's, relative to the reference core
  simgrid::s4u::Host* shared_host_ = nullptr;  // ps: the one N-core host
  simgrid::s4u::Host* home_ = nullptr;         // where the actors live
  simgrid::s4u::SemaphorePtr os_sem_;
  bool os_signalled_ = false;
  std::vector<event> pending_;
  std::vector<event> batch_;  // the batch in hand (kept, as the next buffers, for its capacity)
  std::vector<thread_id> signals_;
  std::vector<simgrid::s4u::ExecPtr> cancels_;
  std::vector<thread_id> to_signal_;
  std::vector<thread_id> out_;  // threads whose order flush() handed out (some since answered)
  // The orders given since the last flush, by when their answers come, then by thread: one
  // each, the one in next_order (a replaced order leaves nothing behind).
  keyed_heap<ns_t> dated_;
  std::vector<simgrid::s4u::ExecPtr> to_cancel_;
  std::uint64_t next_seq_ = 0;
  ns_t now_ = 0;  // the OS's time: ahead of SimGrid's clock after a look-ahead
};

}  // namespace gilsim
