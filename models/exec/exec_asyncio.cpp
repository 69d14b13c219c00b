// asyncio: one thread, one event loop (BaseEventLoop._run_once). Each worker is a task that takes
// the next item from an asyncio.Queue; a task runs until it awaits, so CPU phases block the whole
// loop while awaited I/O and sleeps overlap. Modelled as one thread per task in one Python
// process, the loop being a FIFO lock a task holds while it runs and releases when it awaits:
// ready tasks resume in the order they became ready, as the loop's ready queue runs them. Every
// resumption costs `task_step` of Python work (about 5 us). A switch between tasks costs the
// machine's wake-up latency and a context switch here, rather than the loop's few microseconds:
// tens of microseconds per item, small beside the I/O this model is for. task_step, when the
// scenario leaves it out, is the interpreter's (python_costs::task_step); with its measured
// costs (exec_context::measured) a resumption after an await costs call_soon more: the awaited
// future's done-callback schedules the task's next step through call_soon.
#include "models/exec/exec_model.hpp"

#include <fmt/format.h>

namespace gilsim {
namespace {

class asyncio_model final : public exec_model {
public:
  asyncio_model(double per_item, double step, double resume)
      : per_item_(per_item), step_(step), resume_(resume)
  {
  }

  scenario_fragment expand(const workload_spec& w) const override
  {
    scenario_fragment f;
    int tasks = w.workers > 0 ? w.workers : 1;
    const std::string loop = "event-loop";
    exec::add_mutex(f, loop);

    // The task holds the loop except while it awaits.
    std::vector<step> body = {exec::lock(loop, true), exec::cpu(step_)};
    for (const auto& s : w.per_item) {
      if (s.kind == step_kind::io || s.kind == step_kind::sleep) {
        body.push_back(exec::lock(loop, false));
        body.push_back(s);
        body.push_back(exec::lock(loop, true));
        body.push_back(exec::cpu(step_ + resume_));
      } else {
        body.push_back(s);
      }
    }
    // A task whose items only compute never awaits (queue.get() returns at once while items are
    // left), so the first task does every item and the others find the queue empty.
    std::uint64_t chunk = exec::chunk_for(w, w.last - w.first + 1);
    if (per_item_ > 0)
      body.push_back(exec::cpu(per_item_ * double(chunk)));
    body.push_back(exec::lock(loop, false));
    std::string q = exec::add_queue(f, "items", w.first, w.last, chunk);
    auto& p = exec::add_python_process(f, w, "main");
    for (int i = 0; i < tasks; ++i)
      p.threads.push_back(exec::thread(fmt::format("task-{}", i), {exec::for_each(q, body)}));
    return f;
  }

private:
  double per_item_, step_;
  double resume_;  // more for a resumption after an await: call_soon, with measured costs
};

const bool registered = exec_registry::add({
    "asyncio",
    "one event loop: tasks run until they await; CPU blocks the loop, awaited I/O overlaps",
    {exec::per_item_overhead_decl(),
     {"task_step", param_kind::duration, "s", 0, 0, 1, false,
      "the loop's work to resume a task (default: the interpreter's task_step, 5 us built in)",
      {}, /*optional=*/true}},
    [](const param_values& p, const exec_context& ctx) {
      return std::make_unique<asyncio_model>(
          p.number("per_item_overhead"),
          p.has("task_step") ? p.number("task_step") : ctx.python.task_step,
          ctx.measured() ? ctx.python.call_soon : 0);
    },
    {exec::distribution_decl({"queue"}, "the tasks share one asyncio.Queue")},
});

}  // namespace
}  // namespace gilsim
