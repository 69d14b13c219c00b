// The new GIL's state machine against a fake engine that records what the model asks for,
// with a clock the test moves. Interval 5 ms, check latency 5 us (the defaults).
#include "models/gil/gil_model.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

using namespace gilsim;

namespace {

// The OS as a GIL model sees it: a clock the test moves and a fixed draw. Records the model's
// decisions as text (blocks, wakes, check requests, resumes) and the process timer's deadline.
class recording_host final : public gil_view {
public:
  double now() const override { return clock; }
  std::uint64_t draw(std::uint64_t n) override { return next_draw % n; }
  bool running(thread_id) const override { return true; }
  void record(const gil_decisions& d)
  {
    for (const auto& x : d.list()) {
      switch (x.what) {
        case gil_decision::kind::block: log.push_back(fmt::format("block {}", x.t)); break;
        case gil_decision::kind::wake: log.push_back(fmt::format("wake {}", x.t)); break;
        case gil_decision::kind::resume: log.push_back(fmt::format("resume {}", x.t)); break;
        case gil_decision::kind::check:
          log.push_back(fmt::format("check {} {}us", x.t, std::lround(x.value * 1e6)));
          break;
        case gil_decision::kind::timer: timer = x.value; break;
        case gil_decision::kind::rate: break;
      }
    }
  }
  std::vector<std::string> take()
  {
    auto out = log;
    log.clear();
    return out;
  }
  // The timer's deadline in ms, rounded to the microsecond; -1 when unset.
  double timer_ms() const { return std::isfinite(timer) ? std::round(timer * 1e6) / 1e3 : -1; }
  void at_ms(double ms) { clock = ms * 1e-3; }

  std::vector<std::string> log;
  std::uint64_t next_draw = 0;
  double clock = 0;
  double timer = INFINITY;
};

// The model driven as the OS drives it: each call's decisions go to the recording host.
struct driven_gil {
  std::unique_ptr<gil_model> model;
  recording_host& host;
  bool want(thread_id t) { return call([&](gil_decisions& d) { return model->want(t, d); }); }
  void release(thread_id t)
  {
    call([&](gil_decisions& d) { model->release(t, d); return true; });
  }
  void on_timer() { call([&](gil_decisions& d) { model->on_timer(d); return true; }); }
  bool on_check(thread_id t) { return call([&](gil_decisions& d) { return model->on_check(t, d); }); }
  const gil_stats& stats() const { return model->stats(); }

  template <class F>
  bool call(F&& f)
  {
    gil_decisions d;
    bool r = f(d);
    host.record(d);
    return r;
  }
};

std::unique_ptr<driven_gil> make_gil(recording_host& host, const std::string& handoff,
                                     double rewait_time = 0)
{
  const auto* e = gil_registry::instance().find("new");
  REQUIRE(e != nullptr);
  param_values p = default_values(e->params);
  p.set_choice("handoff", handoff);
  p.set_number("rewait_time", rewait_time);
  auto g = e->make(p, gil_context{});
  g->set_view(&host);
  return std::make_unique<driven_gil>(driven_gil{std::move(g), host});
}

using lines = std::vector<std::string>;

}  // namespace

TEST_CASE("gil new: a whole pass without a switch asks for a drop; the dropper waits for the switch")
{
  recording_host h;
  auto g = make_gil(h, "fifo");
  CHECK(g->want(1));  // free: taken at once (a switch, at 0)
  CHECK_FALSE(g->want(2));
  CHECK(h.take() == lines{"block 2"});
  CHECK(h.timer_ms() == 5);  // 2's first pass, begun at 0, ends at 5 ms
  h.at_ms(5);
  g->on_timer();
  CHECK(h.take() == lines{"check 1 5us"});
  CHECK(h.timer_ms() == -1);  // a drop is requested: later timeouts change nothing
  h.at_ms(5.005);
  CHECK(g->on_check(1));
  CHECK(h.take() == lines{"wake 2", "block 1"});
  CHECK(g->stats().forced_switches == 1);
  h.at_ms(5.035);
  CHECK(g->want(2));  // the switch: the dropper is woken to try again
  CHECK(h.take() == lines{"wake 1"});
  CHECK(g->stats().switches == 1);
  h.at_ms(5.065);
  CHECK_FALSE(g->want(1));
  CHECK(h.take() == lines{"block 1"});
  CHECK(h.timer_ms() == 10.065);
}

TEST_CASE("gil new: a pass that saw a switch ends with no effect, so the timer skips it")
{
  recording_host h;
  auto g = make_gil(h, "fifo");
  g->want(1);
  h.at_ms(1);
  g->want(2);  // passes end at 6, 11, ...
  h.at_ms(2);
  g->want(3);  // passes end at 7, 12, ...
  h.take();
  CHECK(h.timer_ms() == 6);
  h.at_ms(3);
  g->release(1);  // voluntary: the longest waiter, 2, is signalled
  CHECK(h.take() == lines{"wake 2"});
  CHECK(h.timer_ms() == 7);  // the GIL is free: 3's next timeout would send it to take it
  h.at_ms(3.03);
  CHECK(g->want(2));  // a switch at 3.03 ms: 3's pass 2-7 saw it, so the first that can ask
  CHECK(h.timer_ms() == 12);  // for a drop is 7-12
  h.at_ms(12);
  g->on_timer();
  CHECK(h.take() == lines{"check 2 5us"});
  // A check with no drop request lets the holder go on.
  recording_host h2;
  auto g2 = make_gil(h2, "fifo");
  g2->want(1);
  CHECK_FALSE(g2->on_check(1));
}

TEST_CASE("gil new: handoff picks the longest waiter under fifo and a seeded draw under random")
{
  recording_host h;
  auto fifo = make_gil(h, "fifo");
  for (thread_id t : {1, 2, 3, 4})
    fifo->want(t);
  h.take();
  fifo->release(1);
  CHECK(h.take() == lines{"wake 2"});

  recording_host r;
  r.next_draw = 2;  // the third of the three waiters
  auto rnd = make_gil(r, "random");
  for (thread_id t : {1, 2, 3, 4})
    rnd->want(t);
  r.take();
  rnd->release(1);
  CHECK(r.take() == lines{"wake 4"});
}

TEST_CASE("gil new: a waiter whose pass ends while the GIL is free goes to take it")
{
  recording_host h;
  auto g = make_gil(h, "random");
  g->want(1);
  h.at_ms(1);
  g->want(2);  // passes end at 6, 11
  h.at_ms(2);
  g->want(3);  // passes end at 7, 12
  h.take();
  h.at_ms(5.95);
  h.next_draw = 0;
  g->release(1);  // signals 2; the GIL stays free until 2 runs
  CHECK(h.take() == lines{"wake 2"});
  CHECK(h.timer_ms() == 7);
  h.at_ms(7);
  g->on_timer();  // free at 3's timeout: 3 is made runnable to race for it
  CHECK(h.take() == lines{"wake 3"});
  CHECK(g->want(3));
  CHECK_FALSE(g->want(2));  // 2 lost the race and waits again
}

// Under handoff: condvar, waiters sit in glibc's two groups (models/gil/condvar.hpp). With a
// rewait_time of 10 us, a thread that begins a wait stays on its core for 20 us x (draw + 1) /
// 1024: about 0.02 us with the draw 0, 20 us with the draw 1023.
TEST_CASE("gil new condvar: a timed-out waiter re-waits behind the others and loses the signal to "
          "the one blocked longest, unless it is still on its core")
{
  for (std::uint64_t draw : {0, 1023}) {
    recording_host h;
    auto g = make_gil(h, "condvar", 10e-6);
    g->want(1);
    g->want(2);  // G2: 2 (pass to 5 ms)
    h.at_ms(1);
    g->want(3);  // G2: 2, 3 (pass to 6 ms)
    h.take();
    CHECK(h.timer_ms() == 5);
    h.at_ms(5);
    h.next_draw = draw;
    g->on_timer();  // 2 asks for a drop and waits again, at the back: G2 is 3, 2
    CHECK(h.take() == lines{"check 1 5us"});
    CHECK(h.timer_ms() == 6);  // every pass end re-orders the waiters: 3's comes next
    h.at_ms(5.005);
    CHECK(g->on_check(1));  // G1 is empty: G2 becomes G1 and takes the signal
    if (draw == 0)
      CHECK(h.take() == lines{"wake 3", "block 1"});  // 2 blocked 5 us ago, 3 at 1 ms: 3
    else
      CHECK(h.take() == lines{"resume 2", "block 1"});  // 2 is on its core until 5.02 ms
  }
  // fifo, the same sequence: the longest waiter, 2.
  recording_host f;
  auto g = make_gil(f, "fifo");
  g->want(1);
  g->want(2);
  f.at_ms(1);
  g->want(3);
  f.at_ms(5);
  g->on_timer();
  f.at_ms(5.005);
  f.take();
  CHECK(g->on_check(1));
  CHECK(f.take() == lines{"wake 2", "block 1"});
}

TEST_CASE("gil new condvar: signals go to the older group until it is spent, then the newer one "
          "becomes the older")
{
  recording_host h;
  auto g = make_gil(h, "condvar");
  g->want(1);
  h.at_ms(1);
  g->want(2);
  h.at_ms(2);
  g->want(3);  // G2: 2, 3
  h.take();
  h.at_ms(3);
  g->release(1);  // G1 is empty: G1 becomes 2, 3, and 2 (blocked longest) is woken
  CHECK(h.take() == lines{"wake 2"});
  h.at_ms(3.03);
  CHECK(g->want(2));
  h.at_ms(3.04);
  CHECK_FALSE(g->want(1));  // G1: 3; G2: 1
  h.at_ms(3.5);
  g->release(2);
  CHECK(h.take() == lines{"block 1", "wake 3"});  // G1 still has 3
  h.at_ms(3.53);
  CHECK(g->want(3));
  h.at_ms(3.54);
  CHECK_FALSE(g->want(2));  // G1: none; G2: 1, 2
  h.at_ms(4);
  g->release(3);
  CHECK(h.take() == lines{"block 2", "wake 1"});  // G2 becomes G1: 1 has blocked longest
}

TEST_CASE("gil new condvar: a waiter whose pass ends while the GIL is free is on its core and "
          "tests it at once")
{
  recording_host h;
  auto g = make_gil(h, "condvar");
  g->want(1);
  h.at_ms(1);
  g->want(2);  // pass to 6 ms
  h.at_ms(2);
  g->want(3);  // pass to 7 ms
  h.take();
  h.at_ms(5.95);
  g->release(1);  // 2 is woken, and needs the wake-up latency
  CHECK(h.take() == lines{"wake 2"});
  CHECK(h.timer_ms() == 7);
  h.at_ms(7);
  g->on_timer();  // still free at 3's timeout (2 has not run yet): 3 runs on at once
  CHECK(h.take() == lines{"resume 3"});
  CHECK(g->want(3));
  CHECK_FALSE(g->want(2));
}

TEST_CASE("gil none: Python work costs the single-thread overhead, native work does not")
{
  const auto* e = gil_registry::instance().find("none");
  REQUIRE(e != nullptr);
  auto g = e->make(default_values(e->params), gil_context{});
  CHECK_FALSE(g->needed(cpu_mode::python));
  CHECK(g->work_factor(cpu_mode::python) == Approx(1.08));
  CHECK(g->work_factor(cpu_mode::native) == 1.0);
}
