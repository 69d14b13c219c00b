// sync and cooperative (models/exec/exec_sync.cpp), expanded without an engine: one Python
// process `main` whose thread `main` takes the items in order from the queue `items`, one at a
// time unless they only compute (then the whole range is one CPU phase of its exact work);
// per_item_overhead (and, cooperative, dispatch_cost) is Python work per item taken.
#include "tests/models/exec_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

// The fragment of a single-threaded run over the queue `items` of `range` taken `chunk` at a
// time, each take running `body`.
std::string one_thread(const std::string& range, int chunk, const std::string& body)
{
  return fmt::format("queue items {} by {}\n"
                     "process main at 0us (gil new)\n"
                     "  main: for_each items [{}]\n",
                     range, chunk, body);
}

}  // namespace

TEST_CASE("exec sync: one thread takes the items one at a time", "[exec]")
{
  // Items that wait are taken one by one; no overhead by default.
  auto w = workload("sync", 1, 10, {exec::cpu(50e-3), exec::io(1e-3)});
  REQUIRE_FRAGMENT(w, machine(4), one_thread("1..10", 1, "cpu 50000us, io 1000us"));
  // 0.5 ms of overhead for each item taken.
  w.model.params.set_number("per_item_overhead", 0.5e-3);
  REQUIRE_FRAGMENT(w, machine(4), one_thread("1..10", 1, "cpu 50000us, io 1000us, cpu 500us"));
}

TEST_CASE("exec sync: items that only compute are one phase over the whole range", "[exec]")
{
  // 1..1000 of is_prime: one take of 1000 items, and 1000 x 2 us of overhead with it.
  auto w = workload("sync", 1, 1000, {kernel_step()});
  w.model.params.set_number("per_item_overhead", 2e-6);
  REQUIRE_FRAGMENT(w, machine(1), one_thread("1..1000", 1000, "cpu is_prime, cpu 2000us"));
}

TEST_CASE("exec sync: workers change nothing: the one thread does every item", "[exec]")
{
  auto w = workload("sync", 5, 7, {exec::cpu(1e-3)}, 8);
  REQUIRE_FRAGMENT(w, machine(8), one_thread("5..7", 1, "cpu 1000us"));
}

TEST_CASE("exec cooperative: the sync run plus the dispatch to the first idle worker", "[exec]")
{
  // dispatch_cost defaults to 2 us per item; with 1 us of per_item_overhead, 3 us.
  auto w = workload("cooperative", 1, 4, {exec::cpu(1e-3), exec::sleep(10e-3)}, 3);
  REQUIRE_FRAGMENT(w, machine(2), one_thread("1..4", 1, "cpu 1000us, sleep 10000us, cpu 2us"));
  w.model.params.set_number("per_item_overhead", 1e-6);
  REQUIRE_FRAGMENT(w, machine(2), one_thread("1..4", 1, "cpu 1000us, sleep 10000us, cpu 3us"));
}

TEST_CASE("exec sync and cooperative: the one distribution is queue", "[exec]")
{
  for (const char* model : {"sync", "cooperative"}) {
    INFO(model);
    const auto& attrs = exec_registry::instance().find(model)->attributes;
    REQUIRE(attrs.size() == 1);
    CHECK(attrs[0].name == "distribution");
    CHECK(attrs[0].choices == std::vector<std::string>{"queue"});
  }
}
