// gilsim choose's search and figures without running anything: the points of the first round
// counted by hand, the second round around a best point, and a report's figures worked out.
#include "sim/choose/choose.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

namespace ch = gilsim::choose;

namespace {

std::map<std::string, int> per_approach(const std::vector<ch::candidate>& cs)
{
  std::map<std::string, int> n;
  for (const auto& c : cs)
    ++n[c.approach];
  return n;
}

}  // namespace

TEST_CASE("choose: the textbook chunksize is ceil(items / (4 x workers))", "[choose]")
{
  CHECK(ch::textbook_chunksize(1000, 3) == 84);  // Lib/multiprocessing/pool.py: 83 r 4 -> 84
  CHECK(ch::textbook_chunksize(200, 2) == 25);
  CHECK(ch::textbook_chunksize(200, 64) == 1);
  CHECK(ch::textbook_chunksize(1, 8) == 1);
}

TEST_CASE("choose: the first round of 200 items on 2 cores has 118 points, 125 free-threaded",
          "[choose]")
{
  ch::search_space s{200, 2, false};
  const auto cs = ch::first_round(s);
  const auto n = per_approach(cs);
  CHECK(n.at("sync") == 1);
  CHECK(n.at("cooperative") == 1);
  CHECK(n.at("asyncio") == 3);  // 1, 16 and one task per item (256 > 200 items)
  // workers 1, 2, 4, .., 64
  for (const char* a : {"threads (queue.Queue)", "ThreadPoolExecutor", "processes fork",
                        "processes forkserver", "processes spawn"})
    CHECK(n.at(a) == 7);
  // Pool: c0 / 4, c0 / 2, c0, 2 c0, 4 c0 with c0 = ceil(200 / 4w), at least 1, without repeats:
  // five each for w = 1..16, {1, 2, 4, 8} at 32 (c0 = 2), {1, 2, 4} at 64 (c0 = 1).
  CHECK(n.at("Pool fork") == 5 * 5 + 4 + 3);
  // ProcessPoolExecutor: 1, c0 / 2, c0, 2 c0: four each for w = 1..16, {1, 2, 4} at 32, {1, 2}
  // at 64.
  CHECK(n.at("ProcessPoolExecutor fork") == 5 * 4 + 3 + 2);
  // Processes of threads and of event loops: 1, 2 and 4 (2 x cores) processes; 1, 4, 16 and 64
  // threads each (at 4 processes the slice of 50 items caps 64 at 50); 1, 16, 256 and one task
  // per item of a process's slice (200, 100, 50), at most the slice: {1, 16, 200}, {1, 16,
  // 100}, {1, 16, 50}.
  CHECK(n.at("processes of threads fork") == 3 * 4);
  CHECK(n.at("processes of event loops fork") == 3 * 3);
  CHECK(cs.size() == 97 + 21);
  CHECK(n.count("ThreadPoolExecutor, free-threaded") == 0);
  std::set<std::string> labels;
  for (const auto& c : cs)
    labels.insert(c.label());
  CHECK(labels.size() == cs.size());  // every point its own scenario file

  s.free_threaded = true;
  CHECK(ch::first_round(s).size() == 125);
  s.max_workers = 4;  // workers 1, 2, 4
  const auto small = per_approach(ch::first_round(s));
  CHECK(small.at("ThreadPoolExecutor") == 3);
  CHECK(small.at("Pool fork") == 15);  // c0 = 50, 25, 13: five chunksizes each
}

TEST_CASE("choose: the first round's points set the keys of their approach", "[choose]")
{
  const auto cs = ch::first_round({100, 2, true});
  auto find = [&](const std::string& label) {
    for (const auto& c : cs)
      if (c.label() == label)
        return c;
    FAIL("no point " << label);
    return ch::candidate{};
  };
  using sets = std::vector<std::pair<std::string, std::string>>;
  CHECK(find("pool-fork-w4-c7").sets == sets{{"workload.model", "processes"},
                                             {"workload.distribution", "pool"},
                                             {"workload.pool", "multiprocessing"},
                                             {"workload.start_method", "fork"},
                                             {"workload.workers", "4"},
                                             {"workload.chunksize", "7"}});
  CHECK(find("threadpoolexecutor-free-threaded-w8").sets ==
        sets{{"workload.model", "threads"},
             {"workload.distribution", "pool"},
             {"python.gil", "none"},
             {"workload.workers", "8"}});
  CHECK(find("sync").sets == sets{{"workload.model", "sync"}});
  CHECK(find("asyncio-w100").workers == 100);
  const auto nested = find("processes-of-threads-fork-w2-t4");
  CHECK(nested.sets == sets{{"workload.model", "processes"},
                            {"workload.distribution", "chunks"},
                            {"workload.start_method", "fork"},
                            {"workload.inner", "threads"},
                            {"workload.workers", "2"},
                            {"workload.inner_workers", "4"}});
  CHECK(nested.workers_text() == "2x4");
  CHECK(find("processes-of-event-loops-fork-w4-t25").per_worker == 25);  // 100 items / 4
}

TEST_CASE("choose: the second round tries around each approach's best, once", "[choose]")
{
  ch::search_space s{200, 2, false};
  const auto first = ch::first_round(s);
  // Every makespan 10 s but threads at 8 workers (1 s) and Pool fork at 4 workers, chunksize 13
  // (2 s); a failed sync point (-1) is no best.
  std::vector<double> ms(first.size(), 10.0);
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i].label() == "threads-queue.queue-w8")
      ms[i] = 1;
    if (first[i].label() == "pool-fork-w4-c13")
      ms[i] = 2;
    if (first[i].approach == "sync")
      ms[i] = -1;
    if (first[i].label() == "processes-of-event-loops-fork-w2-t16")
      ms[i] = 0.5;
  }
  const auto second = ch::second_round(s, first, ms);
  std::set<std::string> labels;
  for (const auto& c : second)
    labels.insert(c.label());
  // threads: 3/4 x 8 = 6, 3/2 x 8 = 12, 7 and 9.
  for (const char* l : {"threads-queue.queue-w6", "threads-queue.queue-w7",
                        "threads-queue.queue-w9", "threads-queue.queue-w12"})
    CHECK(labels.count(l) == 1);
  // Pool: at 3 workers the chunksize keeps 13 / c0(4) = 13 / 13 of the rule: c0(3) = 17; at 5,
  // c0 = 10; at 6, 9; the chunksize x 2/3 (8) and x 3/2 (19); forkserver and spawn at the best.
  for (const char* l : {"pool-fork-w3-c17", "pool-fork-w5-c10", "pool-fork-w6-c9",
                        "pool-fork-w4-c8", "pool-fork-w4-c19", "pool-forkserver-w4-c13",
                        "pool-spawn-w4-c13"})
    CHECK(labels.count(l) == 1);
  CHECK(labels.count("sync") == 0);
  // Processes of event loops, best at 2 of 16: 1 and 4 processes (P / 2, 2P) ran in round 1,
  // so 3 (P + 1) of 16 each, and 2 of 8 and of 32.
  for (const char* l : {"processes-of-event-loops-fork-w3-t16", "processes-of-event-loops-fork-w2-t8",
                        "processes-of-event-loops-fork-w2-t32"})
    CHECK(labels.count(l) == 1);
  // Nothing the first round ran: 2 x 3/4 = 1 and 2 - 1 = 1 for the others' best at w = 1.
  std::set<std::string> ran;
  for (const auto& c : first)
    ran.insert(c.label());
  for (const auto& l : labels)
    CHECK(ran.count(l) == 0);
  CHECK(labels.size() == second.size());
}

TEST_CASE("choose: a report's figures, peaks and dominant cost worked by hand", "[choose]")
{
  // Two processes: the parent's thread lives 0..1 s, a child's two threads 0.5..2 s and
  // 1..3 s (the parent's ends as the second starts: the two are not live together).
  auto thread = [](const char* process, double a, double b, double cpu, double io, double gil,
                   double ready, double lock) {
    return nlohmann::json{{"name", "t"},          {"process", process}, {"start_s", a},
                          {"end_s", b},           {"cpu_s", cpu},       {"io_s", io},
                          {"sleep_s", 0.0},       {"gil_wait_s", gil},  {"ready_wait_s", ready},
                          {"lock_wait_s", lock}};
  };
  nlohmann::json report = {{"makespan_s", 3.0},
                           {"threads",
                            {thread("main", 0, 1, 0.25, 0, 0, 0, 0.75),
                             thread("worker", 0.5, 2, 0.5, 0.6, 0.4, 0, 0),
                             thread("worker", 1, 3, 1.0, 0.9, 0.1, 0.2, 0.3)}}};
  auto f = ch::figures_of(report, false);
  CHECK(f.makespan == 3.0);
  CHECK(f.cpu == Approx(1.75));
  CHECK(f.peak_threads == 2);    // at 0.5..1 (main, worker) and 1..2 (two workers)
  CHECK(f.peak_processes == 2);  // main 0..1 and worker 0.5..3
  CHECK(f.overlap == Approx(1.5 / 3.0));
  CHECK(f.split.loop_block == 0);  // not asyncio: lock waits are joins, not the loop
  ch::split_cpu(f, 1.0, 0.5);
  CHECK(f.split.compute == Approx(1.0));
  CHECK(f.split.startup == Approx(0.5));
  CHECK(f.split.overhead == Approx(0.25));
  // Parts: compute 1, I/O 1.5, GIL 0.5, ready 0.2, start-up 0.5, extra 0.25: 3.95 in all.
  auto [name, share] = ch::dominant(f.split);
  CHECK(name == "I/O wait");
  CHECK(share == Approx(1.5 / 3.95));
  auto [cost, cost_share] = ch::dominant(f.split, true);
  CHECK(cost == "GIL wait");  // 0.5, before start-up's equal 0.5 in the list's order
  CHECK(cost_share == Approx(0.5 / 3.95));

  auto a = ch::figures_of(report, true);  // asyncio: the lock waits are the loop's
  CHECK(a.split.loop_block == Approx(1.05));
  CHECK(a.peak_threads == a.peak_processes);
}
