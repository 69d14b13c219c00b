// processes, distribution manager: W worker processes get their items from a
// multiprocessing.Manager().Queue(). Every get is a round trip to the manager's server process,
// which does Python work for it (docs/model.md section 5). Source: Lib/multiprocessing/managers.py:
// the server runs one thread per client connection (Server.accepter starts handle_request,
// whose serve_client loop receives a request, calls the queue's method and sends the reply), and
// each worker process's proxy has its own connection.
//
// Parameters (the processes model's): manager_round_trip (default 80 us: docs/model.md's 60-100 us;
// 40-50 us measured with CPython 3.10-3.13 on a 2-vCPU host), manager_cpu (default 20 us of the
// server's Python work per request; 21-27 us measured on the same host).
//
// What the expansion is, in the core format:
// - main: starts the manager (parent_start), waits while it starts up (I/O of the start method's
//   cost: Manager() returns once the server listens), then starts the W workers (parent_start
//   each).
// - manager: a Python process (under the workload's GIL) started at parent_start: its `main`
//   thread does the start-up (the start method's cost); `conn-i` (a daemon thread) serves worker
//   i's connection. A request is a hand-off on two mutexes, manager.req-i and manager.rep-i:
//   the worker holds req-i between requests and the server thread waits for it while holding
//   rep-i. To ask, the worker releases req-i (the server wakes) and waits for rep-i; the server
//   does manager_cpu of Python work while holding the mutex `manager`, releases rep-i (the
//   worker wakes) and req-i, and asks for rep-i back; the worker takes req-i again and releases
//   rep-i, and the server waits for req-i once more. Every lock hand-off is a wake-up
//   (machine.wakeup_latency), as the pipe's are.
// - worker-i: takes req-i when it starts, does its start-up, connects (one round trip of I/O),
//   then for each queue element: a get, the items' steps (a `chunksize` of c puts lists of c
//   items on the queue: exec::task_steps), per_item_overhead per item; and one last get, the one
//   that finds the queue's end (the sentinel).
// So the server's CPU is its own process's, at the moment of each request, on a core it competes
// for with the workers, and it serves one request at a time (the mutex `manager`: its request
// loop and its queue's lock). An idle server answers a get in manager_round_trip: I/O of
// round_trip - manager_cpu - 2 x wakeup_latency (at least 0; half before the request, half
// after: pickling and the pipe), two wake-ups and the server's work. A busy one queues the
// requests in arrival order; each hand-off of `manager` to a waiting request is one more
// wake-up, so a saturated server answers 1 / (manager_cpu + wakeup_latency) gets per second.
//
// Approximated or left out:
// - the items are in the queue when the workers start: the parent's puts that filled it are not
//   modelled, nor are results sent back (put them in per_item as steps if they matter);
// - start times are fixed, as for the other distributions: the parent waits the manager's
//   start-up cost, not for its start-up to end (later on a machine short of cores);
// - which worker gets which item is decided when its get is sent, not when the server serves
//   it (the same for items of equal cost);
// - the worker's own pickling is part of the I/O, not CPU; manager_cpu is work on the reference
//   core, so on a machine of another speed the idle round trip is not exactly round_trip;
// - one request at a time even without a GIL (gil: none), where CPython's connection threads
//   would overlap their pickling and only the queue's lock would be shared;
// - conn-i starts halfway through worker i's connecting round trip (its process starts with
//   the manager, then it sleeps until then), so that worker i holds req-i first.
#include "models/exec/exec_manager.hpp"

#include "models/exec/exec_model.hpp"

#include <algorithm>
#include <climits>
#include <fmt/format.h>

namespace gilsim::exec {
namespace {

// A worker's get: `transit` of I/O around the hand-off that wakes its server thread and waits
// for the answer.
std::vector<step> get(const std::string& req, const std::string& rep, double transit)
{
  std::vector<step> s;
  if (transit > 0)
    s.push_back(io(transit / 2));
  s.insert(s.end(), {lock(req, false), lock(rep, true), lock(req, true), lock(rep, false)});
  if (transit > 0)
    s.push_back(io(transit / 2));
  return s;
}

// A connection's server thread, once it holds rep and waits for req: up to `gets` answers of
// `server_cpu`, one at a time across the whole server.
step serve(const std::string& req, const std::string& rep, std::uint64_t gets, double server_cpu)
{
  std::vector<step> body = {lock("manager", true)};
  if (server_cpu > 0)
    body.push_back(cpu(server_cpu));
  body.insert(body.end(), {lock("manager", false), lock(rep, false), lock(req, false),
                           lock(rep, true), lock(req, true)});
  return repeat(int(std::min<std::uint64_t>(gets, INT_MAX)), std::move(body));
}

}  // namespace

void expand_manager(const workload_spec& w, scenario_fragment& f, const manager_costs& c)
{
  add_mutex(f, "manager");
  const double transit = std::max(0.0, c.round_trip - c.server_cpu - 2 * c.wakeup_latency);

  // The parent starts the manager, waits for it to listen, then starts the workers.
  std::vector<step> starts = {cpu(c.parent_start)};
  if (c.child_start > 0)
    starts.push_back(io(c.child_start));
  starts.push_back(cpu(c.parent_start * c.workers));
  add_python_process(f, w, "main").threads.push_back(thread("main", starts));

  const double manager_start = c.parent_start;
  const size_t manager = f.processes.size();  // an index: adding processes moves them
  std::vector<step> start_up;
  if (c.child_start > 0)
    start_up.push_back(cpu(c.child_start));
  add_python_process(f, w, "manager", manager_start).threads.push_back(thread("main", start_up));

  // The queue's elements of `chunk` items each, and their steps; a worker's gets at most.
  const std::uint64_t chunk = c.chunksize;
  auto loops = task_loops(f, w, "items", chunk, 0, c.per_item_overhead);
  const std::uint64_t gets = (w.last - w.first) / chunk + 2;  // the elements, and the end

  for (int i = 0; i < c.workers; ++i) {
    const std::string req = fmt::format("manager.req-{}", i);
    const std::string rep = fmt::format("manager.rep-{}", i);
    add_mutex(f, req);
    add_mutex(f, rep);
    const double start = c.parent_start + c.child_start + c.parent_start * (i + 1);

    auto conn = thread(fmt::format("conn-{}", i),
                       {sleep(start + c.round_trip / 2 - manager_start), lock(rep, true),
                        lock(req, true), serve(req, rep, gets, c.server_cpu)});
    conn.daemon = true;
    f.processes[manager].threads.push_back(conn);

    std::vector<step> program = {lock(req, true)};
    if (c.child_start > 0)
      program.push_back(cpu(c.child_start));
    program.push_back(io(c.round_trip));  // connecting to the manager
    for (auto loop : loops) {
      auto g = get(req, rep, transit);
      loop.body.insert(loop.body.begin(), g.begin(), g.end());
      program.push_back(loop);
    }
    auto end = get(req, rep, transit);
    program.insert(program.end(), end.begin(), end.end());
    add_python_process(f, w, fmt::format("worker-{}", i), start)
        .threads.push_back(thread("main", program));
  }
}

}  // namespace gilsim::exec
