// asyncio: one thread, one event loop (BaseEventLoop._run_once). Each worker is a task that takes
// the next item from an asyncio.Queue; a task runs until it awaits, so CPU phases block the whole
// loop while awaited I/O and sleeps overlap. Modelled as one thread per task in one Python
// process, the loop being a FIFO lock a task holds while it runs and releases when it awaits:
// ready tasks resume in the order they became ready, as the loop's ready queue runs them. Every
// resumption costs `task_step` of Python work (about 5 us). The loop is handed from task to task
// with no wake-up (the mutex's wakeup is 0: the next task runs in the same OS thread); the core
// still charges a context switch between two task threads (a few microseconds). task_step, when the
// scenario leaves it out, is the interpreter's (python_costs::task_step); with its measured
// costs (exec_context::measured) a resumption after an await costs call_soon more: the awaited
// future's done-callback schedules the task's next step through call_soon. A resumption after
// an asyncio.sleep (a `sleep:` step) costs instead the interpreter's measured sleep_await, the
// whole cycle of a task looping on a timer (its step, call_later, the timer's firing and the
// wake-up), when the profile has it and the scenario gives no task_step. With measured costs a
// sleep step of d is a timer due after d exactly (an io step: the OS's time.sleep table is not
// applied), and the task takes the loop back `by_timer`: when the loop went idle before the
// timer was due, it wakes as asyncio's selector does, the wait rounded up to whole
// milliseconds and then as long as the interpreter's `await asyncio.sleep` of that took
// (timer_resolution, sim/os/os_threads.cpp). One task alone sleeping d thus takes what the
// calibration measured; 50 tasks whose tests keep the loop busy for a while wake up to a
// millisecond later than their timers, as the real loop does.
// in_executor: every CPU step of an item is `await loop.run_in_executor(None, f)`: the task
// releases the loop, waits the interpreter's run_in_executor round trip (the hand-off to the
// default executor's thread and the result's way back, as a wait), and the step runs outside
// the loop under the process's GIL (a native step without it), as in an executor thread; then
// the task resumes as after any await. The executor's thread count is not modelled: every task
// has a thread of its own.
// With measured costs the program around the tasks is charged too, as the interpreter's figures
// give it: a `main` coroutine holds the loop first for asyncio.run's making and closing of the
// loop (asyncio_run, charged at the start as one phase) and the put_nowait of every item into
// the asyncio.Queue (asyncio_queue_put each; with open arrivals the requests are not put by the
// program, so not charged); each item taken costs asyncio_queue_get.
#include "models/exec/exec_model.hpp"

#include <fmt/format.h>
#include <utility>

namespace gilsim {
namespace {

class asyncio_model final : public exec_model {
public:
  // The program's own work around its tasks (measured costs; 0: not charged).
  struct program_costs {
    double run = 0;  // asyncio.run: the loop's making and closing
    double put = 0;  // one put_nowait into the asyncio.Queue
    double get = 0;  // one get_nowait of a waiting item
  };

  asyncio_model(double per_item, double step, double resume, double after_sleep,
                double executor, sleep_table timer, program_costs program)
      : per_item_(per_item)
      , step_(step)
      , resume_(resume)
      , after_sleep_(after_sleep > 0 ? after_sleep : step + resume)
      , executor_(executor)
      , timer_(std::move(timer))
      , program_(program)
  {
  }

  scenario_fragment expand(const workload_spec& w) const override
  {
    scenario_fragment f;
    int tasks = w.workers > 0 ? w.workers : 1;
    const std::string loop = "event-loop";
    // The next task runs in the same OS thread: no wake-up.
    exec::add_mutex(f, loop, 0.0, lock_role::event_loop);
    // With measured costs the loop's timers wake it as asyncio's epoll selector does: in whole
    // milliseconds after the loop went idle (selectors.EpollSelector rounds its timeout up).
    const bool timers = !timer_.empty();
    if (timers)
      f.locks.back().kind.params.set_number("timer_resolution", 1e-3);

    // The task holds the loop except while it awaits: from its first step, through each item
    // and on into the next one (taking an item from the queue is no await while items are
    // left), until it finds the queue empty and ends.
    std::vector<step> body;
    bool awaits_cpu = false;
    for (const auto& s : w.per_item) {
      const bool handed = executor_ >= 0 && s.kind == step_kind::cpu;
      awaits_cpu = awaits_cpu || handed;
      if (s.kind == step_kind::io || s.kind == step_kind::sleep || handed) {
        body.push_back(exec::lock(loop, false));
        if (handed && executor_ > 0)
          body.push_back(exec::io(executor_));
        if (s.kind == step_kind::sleep && timers) {
          step exact = s;  // the timer is due after d exactly; the loop's wake comes after it
          exact.kind = step_kind::io;
          body.push_back(exact);
        } else {
          body.push_back(s);
        }
        body.push_back(exec::lock(loop, true));
        body.back().by_timer = s.kind == step_kind::sleep && timers;
        body.push_back(exec::cpu(s.kind == step_kind::sleep ? after_sleep_ : step_ + resume_));
      } else {
        body.push_back(s);
      }
    }
    // A task whose items only compute never awaits (queue.get() returns at once while items are
    // left), so the first task does every item and the others find the queue empty.
    std::uint64_t chunk = awaits_cpu ? 1 : exec::chunk_for(w, w.last - w.first + 1);
    const double per_chunk = (per_item_ + program_.get) * double(chunk);
    if (per_chunk > 0)
      body.push_back(exec::cpu(per_chunk));
    std::string q = exec::add_queue(f, "items", w.first, w.last, chunk);
    auto& p = exec::add_python_process(f, w, "main");
    // The main coroutine: the first to hold the loop (it is first in the loop's queue).
    const double puts = w.arrivals ? 0 : program_.put * double(w.last - w.first + 1);
    if (program_.run + puts > 0)
      p.threads.push_back(exec::thread(
          "main", {exec::lock(loop, true), exec::cpu(program_.run + puts), exec::lock(loop, false)}));
    for (int i = 0; i < tasks; ++i)
      p.threads.push_back(exec::thread(fmt::format("task-{}", i),
                                       {exec::lock(loop, true), exec::cpu(step_),
                                        exec::for_each(q, body), exec::lock(loop, false)}));
    return f;
  }

private:
  double per_item_, step_;
  double resume_;    // more for a resumption after an await: call_soon, with measured costs
  double after_sleep_;  // a resumption after a sleep step: the measured cycle, or as any await
  double executor_;  // in_executor: the round trip of a CPU step; < 0: steps run in the loop
  sleep_table timer_;  // what asyncio.sleep(d) takes, measured; empty: the OS's sleep
  program_costs program_;
};

const bool registered = exec_registry::add({
    "asyncio",
    "one event loop: tasks run until they await; CPU blocks the loop, awaited I/O overlaps",
    {exec::per_item_overhead_decl(),
     {"task_step", param_kind::duration, "s", 0, 0, 1, false,
      "the loop's work to resume a task (default: the interpreter's task_step, 5 us built in)",
      {}, /*optional=*/true},
     {"in_executor", param_kind::boolean, "", 0, 0, 1, false,
      "every CPU step runs through loop.run_in_executor: outside the loop, after the "
      "interpreter's run_in_executor round trip (100 us built in)",
      {}},
     {"executor_round_trip", param_kind::duration, "s", 0, 0, 1, false,
      "in_executor: the round trip of one call (default: the interpreter's run_in_executor)",
      {}, /*optional=*/true}},
    [](const param_values& p, const exec_context& ctx) {
      const double trip = p.has("executor_round_trip") ? p.number("executor_round_trip")
                                                       : ctx.python.run_in_executor;
      const bool step_given = p.has("task_step");
      return std::make_unique<asyncio_model>(
          p.number("per_item_overhead"), step_given ? p.number("task_step") : ctx.python.task_step,
          ctx.measured() ? ctx.python.call_soon : 0,
          ctx.measured() && !step_given ? ctx.python.sleep_await : 0,
          p.flag("in_executor") ? trip : -1,
          ctx.measured() ? ctx.python.asyncio_sleep : sleep_table{},
          ctx.measured() ? asyncio_model::program_costs{ctx.python.asyncio_run,
                                                        ctx.python.asyncio_queue_put,
                                                        ctx.python.asyncio_queue_get}
                         : asyncio_model::program_costs{});
    },
    {exec::distribution_decl({"queue"}, "the tasks share one asyncio.Queue")},
});

}  // namespace
}  // namespace gilsim
