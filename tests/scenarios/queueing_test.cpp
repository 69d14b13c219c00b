// Open arrivals against queueing theory: Poisson arrivals at rate lambda served at rate mu,
// the mean response time (arrival to done) of N requests within 1% of the formula. Machine costs
// are zeroed (no switch, no wake-up latency, no queue get), so that each scenario is exactly its
// queue: a service of I/O needs no core and no GIL that another request holds (a Python thread
// that is alone takes the free GIL at once), and one of CPU under processor sharing on one core
// (no GIL: gil none without its overhead) is the M/M/1-PS server.
// The load is rho = 0.5 everywhere. How far a run's mean may stray: by Little's law the mean
// response is the time-average number in system over lambda, and for M/M/1 that average over a
// run of length L has the asymptotic variance 2 rho (1 + rho) / (mu (1 - rho)^4) / L (Whitt,
// "Planning queueing simulations", 1989), so a relative variance of 2 (1 + rho) / (rho mu
// (1 - rho)^2) / L = 0.12 s / L at mu = 200/s. N = 10^6 requests at 100/s run L = 10^4 s: a
// relative standard error of 0.35%, and 1% is 2.9 of them. M/M/1-PS has the same number in
// system (the same birth-death process), so the same error; its run under processor sharing
// costs about 10 s of CPU per 10^6 requests (SimGrid's shared host), so it runs 4 x 10^5
// (L = 4000 s: 0.55%) within 2%, 3.6 standard errors. M/D/1 and M/M/2 at the same load vary
// less than M/M/1. The last two tests write the same queues as thread programs (server threads
// taking requests from a work queue fed by arrivals): M/M/1 as above, and M/M/3 at rho = 0.5,
// which varies less than M/M/1 too.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using Catch::Matchers::WithinRel;
using gilsim::test::run_json;

namespace {
double mean_response(const std::string& workload, const std::string& machine = "cores: 4",
                     const std::string& top = "")
{
  auto r = run_json("machine: {" + machine + ", context_switch: 0, wakeup_latency: 0}\n" + top +
                    "workload:\n" + workload);
  return r["latency"]["mean_s"].get<double>();
}
std::string poisson(const char* rate, const char* count = "1000000")
{
  return std::string("  arrivals: {poisson: ") + rate + ", count: " + count + "}\n";
}
} // namespace

TEST_CASE("queueing: M/M/1 mean response is 1 / (mu - lambda)", "[queueing]")
{
  // lambda = 100/s, exp service of mean 5 ms (mu = 200/s), one worker:
  // T = 1 / (200 - 100) = 10 ms.
  const double t = mean_response(poisson("100/s") + "  per_item: [{io: {exp: 5ms}}]\n"
                                                    "  model: sync\n");
  CHECK_THAT(t, WithinRel(0.010, 0.01));
}

TEST_CASE("queueing: M/M/c mean response through Erlang C", "[queueing]")
{
  // lambda = 200/s, mu = 200/s, c = 2 workers: a = lambda / mu = 1, rho = a / c = 0.5.
  // Erlang C: C = (a^c / c!) / (1 - rho) / (sum_{k<c} a^k / k! + (a^c / c!) / (1 - rho))
  //             = (0.5 / 0.5) / (1 + 1 + 1) = 1/3;
  // Wq = C / (c mu - lambda) = (1/3) / 200 = 1.6667 ms; T = Wq + 1 / mu = 6.6667 ms.
  const double t = mean_response(poisson("200/s") + "  per_item: [{io: {exp: 5ms}}]\n"
                                                    "  model: threads\n  workers: 2\n"
                                                    "  queue_get: 0\n");
  CHECK_THAT(t, WithinRel(0.0066667, 0.01));
}

TEST_CASE("queueing: M/D/1 mean response through Pollaczek-Khinchine", "[queueing]")
{
  // lambda = 100/s, a constant service S = 5 ms: rho = 0.5, E[S^2] = 25e-6 s^2.
  // P-K: Wq = lambda E[S^2] / (2 (1 - rho)) = 100 x 25e-6 / 1 = 2.5 ms; T = Wq + S = 7.5 ms.
  const double t = mean_response(poisson("100/s") + "  per_item: [{io: 5ms}]\n"
                                                    "  model: sync\n");
  CHECK_THAT(t, WithinRel(0.0075, 0.01));
}

TEST_CASE("queueing: M/M/1-PS has the mean response of M/M/1", "[queueing]")
{
  // lambda = 100/s, exp CPU work of mean 5 ms, one core shared by the requests in service
  // (scheduler ps; 32 workers, so that every request present is in service: at rho = 0.5 more
  // than 32 at once has probability 0.5^32). Processor sharing keeps the M/M/1 mean:
  // T = 1 / (mu - lambda) = 10 ms.
  const double t = mean_response(poisson("100/s", "400000") + "  per_item: [{cpu: {exp: 5ms}}]\n"
                                                              "  model: threads\n  workers: 32\n"
                                                              "  queue_get: 0\n",
                                 "cores: 1",
                                 "scheduler: {policy: ps}\n"
                                 "python: {gil: none, single_thread_overhead: 0}\n");
  CHECK_THAT(t, WithinRel(0.010, 0.02));
}

namespace {
// The same queues written as thread programs: `servers` native threads on as many cores, each
// taking requests from a work queue fed by Poisson arrivals (`queues: {q: {arrivals: ..}}`),
// each request exp CPU work of mean 5 ms (mu = 200/s). Every server has a core of its own, so
// a request in service runs at once and alone: the c-server FIFO queue.
nlohmann::json served_by_threads(const char* rate, int servers)
{
  const std::string c = std::to_string(servers);
  auto r = run_json("machine: {cores: " + c + ", context_switch: 0, wakeup_latency: 0}\n"
                    "queues:\n"
                    "  requests: {arrivals: {poisson: " + rate + ", count: 1000000}}\n"
                    "processes:\n"
                    "  - name: server\n"
                    "    runtime: native\n"
                    "    threads:\n"
                    "      - name: worker\n"
                    "        count: " + c + "\n"
                    "        program:\n"
                    "          - for_each: requests\n"
                    "            do: [{cpu: {exp: 5ms}}]\n");
  return r["latency"];
}
} // namespace

TEST_CASE("queueing: a server thread's queue of arrivals is M/M/1", "[queueing]")
{
  // lambda = 100/s, mu = 200/s, one thread on one core: T = 1 / (200 - 100) = 10 ms.
  // Under FIFO the response time itself is exponential of rate mu - lambda, so its p99 is
  // ln 100 / 100 = 46.05 ms. The sample p99's standard error is sqrt(p (1 - p) / n) / f(q),
  // with f(q) = 100 x 0.01 = 1 per s at the quantile. Successive responses are correlated, so n
  // is taken as 10^6 / 20 = 5 x 10^4 effectively independent ones (a generous allowance at
  // rho = 0.5): an error of 0.45 ms, 1% of the p99, and 3% is 3 of them.
  const auto l = served_by_threads("100/s", 1);
  CHECK_THAT(l["mean_s"].get<double>(), WithinRel(0.010, 0.01));
  CHECK_THAT(l["p99_s"].get<double>(), WithinRel(std::log(100.0) / 100, 0.03));
}

TEST_CASE("queueing: c server threads on c cores are M/M/c, through Erlang C", "[queueing]")
{
  // lambda = 300/s, mu = 200/s, c = 3 threads: a = lambda / mu = 1.5, rho = a / c = 0.5.
  // sum_{k<3} a^k / k! = 1 + 1.5 + 1.125 = 3.625; (a^3 / 3!) / (1 - rho) = 0.5625 / 0.5 = 1.125;
  // C = 1.125 / (3.625 + 1.125) = 0.236842; Wq = C / (c mu - lambda) = 0.236842 / 300 =
  // 0.789474 ms; T = Wq + 1 / mu = 5.789474 ms.
  CHECK_THAT(served_by_threads("300/s", 3)["mean_s"].get<double>(), WithinRel(0.0057895, 0.01));
}
