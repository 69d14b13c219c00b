// threads (models/exec/exec_threads.cpp), expanded without an engine: one Python process `main`
// with threads worker-0 .. worker-(W-1), W = workers or min(32, cores + 4).
// - queue (default) and pool: every worker takes `chunksize` items at a time from the shared
//   queue `items` (the shorter last take from `items-tail`), paying queue_get (5 us) per get;
//   the take's kernel work is one phase, its other steps run once per item, then
//   per_item_overhead per item.
// - chunks: worker i works through the i-th contiguous slice, its own queue `chunk-i`.
#include "tests/models/exec_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

TEST_CASE("exec threads: a shared queue, one item and one get at a time", "[exec]")
{
  const std::string expected = "queue items 1..10 by 1\n"
                               "process main at 0us (gil new)\n"
                               "  worker-0: for_each items [cpu 5us, cpu 1000us, io 2000us]\n"
                               "  worker-1: for_each items [cpu 5us, cpu 1000us, io 2000us]\n"
                               "  worker-2: for_each items [cpu 5us, cpu 1000us, io 2000us]\n";
  auto w = workload("threads", 1, 10, {exec::cpu(1e-3), exec::io(2e-3)}, 3);
  REQUIRE_FRAGMENT(w, machine(2), expected);
  // ThreadPoolExecutor's idle workers take the next call: the same fragment.
  w.model.params.set_choice("distribution", "pool");
  REQUIRE_FRAGMENT(w, machine(2), expected);
}

TEST_CASE("exec threads: a get of chunksize items computes once and waits per item", "[exec]")
{
  // 10 items by 4: two takes of 4 (1..8) and a last take of 2 (9..10); per take the kernel's
  // work, the I/O once per item, then 1 us per item of overhead.
  auto w = workload("threads", 1, 10, {kernel_step(), exec::io(1e-3)}, 2);
  w.model.params.set_number("chunksize", 4);
  w.model.params.set_number("per_item_overhead", 1e-6);
  const std::string loops = "for_each items [cpu 5us, cpu is_prime, repeat 4 [io 1000us], cpu "
                            "4us], for_each items-tail [cpu 5us, cpu is_prime, repeat 2 [io "
                            "1000us], cpu 2us]";
  REQUIRE_FRAGMENT(w, machine(2), "queue items 1..8 by 4\n"
                                  "queue items-tail 9..10 by 2\n"
                                  "process main at 0us (gil new)\n"
                                  "  worker-0: " + loops + "\n"
                                  "  worker-1: " + loops + "\n");
}

TEST_CASE("exec threads: static chunks give the first slices one item more", "[exec]")
{
  auto w = workload("threads", 1, 10, {exec::cpu(1e-3)}, 3);
  w.model.params.set_choice("distribution", "chunks");
  REQUIRE_FRAGMENT(w, machine(2), "queue chunk-0 1..4 by 1\n"
                                  "queue chunk-1 5..7 by 1\n"
                                  "queue chunk-2 8..10 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  worker-0: for_each chunk-0 [cpu 1000us]\n"
                                  "  worker-1: for_each chunk-1 [cpu 1000us]\n"
                                  "  worker-2: for_each chunk-2 [cpu 1000us]\n");
  // More workers than items: the last ones have nothing to do. Items that only compute are one
  // take per slice.
  w = workload("threads", 1, 3, {kernel_step()}, 4);
  w.model.params.set_choice("distribution", "chunks");
  REQUIRE_FRAGMENT(w, machine(2), "queue chunk-0 1..1 by 1\n"
                                  "queue chunk-1 2..2 by 1\n"
                                  "queue chunk-2 3..3 by 1\n"
                                  "process main at 0us (gil new)\n"
                                  "  worker-0: for_each chunk-0 [cpu is_prime]\n"
                                  "  worker-1: for_each chunk-1 [cpu is_prime]\n"
                                  "  worker-2: for_each chunk-2 [cpu is_prime]\n"
                                  "  worker-3: \n");
}

TEST_CASE("exec threads: workers default to ThreadPoolExecutor's min(32, cores + 4)", "[exec]")
{
  for (auto [cores, workers] : {std::pair{1, 5}, std::pair{2, 6}, std::pair{28, 32},
                                std::pair{64, 32}}) {
    INFO(cores << " cores");
    const auto f = expand_workload(workload("threads", 1, 100, {exec::cpu(1e-3)}), machine(cores));
    REQUIRE(f.processes.size() == 1);
    CHECK(f.processes[0].threads.size() == size_t(workers));
  }
}
