// gil: none, free-threaded CPython (3.13t / 3.14t, PEP 703). There is no GIL: Python threads run
// in parallel like native ones, but every Python CPU phase costs (1 + single_thread_overhead) of
// its work, the price of biased reference counting and per-object locks: about 0.08 in 3.14t and
// 0.40 in 3.13t (docs/model.md section 4; the 3.14 "What's new" gives 5-10%).
#include "models/gil/gil_model.hpp"

namespace gilsim {
namespace {

class no_gil final : public gil_model {
public:
  explicit no_gil(double overhead) : overhead_(overhead) {}
  bool needed(cpu_mode) const override { return false; }
  double work_factor(cpu_mode mode) const override
  {
    return mode == cpu_mode::native ? 1.0 : 1.0 + overhead_;
  }
  bool want(thread_id, gil_decisions&) override { return true; }
  void release(thread_id, gil_decisions&) override {}
  bool on_check(thread_id, gil_decisions&) override { return false; }
  bool holds(thread_id) const override { return false; }

private:
  double overhead_;
};

const bool registered = gil_registry::add({
    "none",
    "free-threaded CPython: no GIL, a single-thread overhead on Python work",
    {{"single_thread_overhead", param_kind::number, "", 0.08, 0, 10, false,
      "extra cost of Python CPU work without the GIL (0.08 for 3.14t, 0.40 for 3.13t)", {}}},
    [](const param_values& p, const gil_context&) {
      return std::make_unique<no_gil>(p.number("single_thread_overhead"));
    },
});

}  // namespace
}  // namespace gilsim
