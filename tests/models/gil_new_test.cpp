// The new GIL's state machine against a fake engine that records what the model asks for.
#include "models/gil_model.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

#include <string>
#include <vector>

using namespace gilsim;

namespace {

// Records the model's requests as text, in order, so a test compares the whole sequence.
class recording_host final : public gil_host {
public:
  double now() const override { return 0; }
  void block_for_gil(thread_id t, double timeout) override
  {
    log.push_back(std::isfinite(timeout) ? fmt::format("block {} {}ms", t, std::lround(timeout * 1e3))
                                         : fmt::format("block {} forever", t));
  }
  void wake(thread_id t) override { log.push_back(fmt::format("wake {}", t)); }
  void request_check(thread_id h, double d) override
  {
    log.push_back(fmt::format("check {} {}us", h, std::lround(d * 1e6)));
  }
  std::uint64_t draw(std::uint64_t n) override { return next_draw % n; }
  std::vector<std::string> take()
  {
    auto out = log;
    log.clear();
    return out;
  }
  std::vector<std::string> log;
  std::uint64_t next_draw = 0;
};

std::unique_ptr<gil_model> make_gil(recording_host& host, const std::string& handoff)
{
  const auto* e = gil_registry::instance().find("new");
  REQUIRE(e != nullptr);
  param_values p = default_values(e->params);
  p.set_choice("handoff", handoff);
  auto g = e->make(p, gil_context{});
  g->set_host(&host);
  return g;
}

using lines = std::vector<std::string>;

}  // namespace

TEST_CASE("gil new: a timed-out waiter asks for a drop, the holder drops and waits for the switch")
{
  recording_host h;
  auto g = make_gil(h, "fifo");
  CHECK(g->want(1));  // free: taken at once
  CHECK_FALSE(g->want(2));
  CHECK(h.take() == lines{"block 2 5ms"});
  // 5 ms later the holder is unchanged: drop request, checked after 5 us; a fresh full wait.
  g->on_timeout(2);
  CHECK(h.take() == lines{"check 1 5us", "block 2 5ms"});
  // The holder reaches its check: it drops, signals the waiter and blocks until the switch.
  CHECK(g->on_check(1));
  CHECK(h.take() == lines{"wake 2", "block 1 forever"});
  CHECK(g->stats().forced_switches == 1);
  // The waiter takes it: the switch happened, so the dropper is woken to try again.
  CHECK(g->want(2));
  CHECK(h.take() == lines{"wake 1"});
  CHECK(g->stats().switches == 1);
  CHECK_FALSE(g->want(1));
  CHECK(h.take() == lines{"block 1 5ms"});
}

TEST_CASE("gil new: a timeout after a switch asks for nothing and the wait starts again")
{
  recording_host h;
  auto g = make_gil(h, "fifo");
  CHECK(g->want(1));
  CHECK_FALSE(g->want(2));
  CHECK_FALSE(g->want(3));
  h.take();
  // 1 drops voluntarily (I/O): 2, the longest waiter, is signalled; 3 waits on.
  g->release(1);
  CHECK(h.take() == lines{"wake 2"});
  CHECK(g->want(2));
  h.take();
  // 3's wait began before the switch to 2: its timeout sees a new switch_number.
  g->on_timeout(3);
  CHECK(h.take() == lines{"block 3 5ms"});
  // A check with no drop request lets the holder go on.
  CHECK_FALSE(g->on_check(2));
}

TEST_CASE("gil new: handoff picks the longest waiter under fifo and a seeded draw under random")
{
  recording_host h;
  auto fifo = make_gil(h, "fifo");
  fifo->want(1);
  fifo->want(2);
  fifo->want(3);
  fifo->want(4);
  h.take();
  fifo->release(1);
  CHECK(h.take() == lines{"wake 2"});

  recording_host r;
  r.next_draw = 2;  // the third of the three waiters
  auto rnd = make_gil(r, "random");
  rnd->want(1);
  rnd->want(2);
  rnd->want(3);
  rnd->want(4);
  r.take();
  rnd->release(1);
  CHECK(r.take() == lines{"wake 4"});
}

TEST_CASE("gil new: a waiter whose wait times out while the GIL is free goes to take it")
{
  recording_host h;
  auto g = make_gil(h, "random");
  g->want(1);
  g->want(2);
  g->want(3);
  h.next_draw = 0;
  g->release(1);  // signals 2; 3 still waits
  CHECK(h.take() == lines{"block 2 5ms", "block 3 5ms", "wake 2"});
  g->on_timeout(3);  // free (2 has not run yet): 3 is made runnable to race for it
  CHECK(h.take() == lines{"wake 3"});
  CHECK(g->want(3));
  CHECK_FALSE(g->want(2));  // 2 lost the race and waits again
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
