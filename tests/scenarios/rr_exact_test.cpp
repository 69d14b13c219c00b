// Round robin over 200 jobs on one core with a 1 ms quantum and no switch cost, every job
// arriving at 0: the exact schedule has a closed form. In quanta, with lengths L (whole quanta)
// and the jobs in queue order (finished jobs leave, preempted ones go to the back, so the order
// of the others never changes), job i ends after every job has run min(L_j, L_i - 1) quanta and
// the jobs up to i in the queue that are at least as long have run their L_i-th:
//   C_i = sum_j min(L_j, L_i - 1) + #{j <= i : L_j >= L_i}.
// At 1x the lengths are 1..2000 ms (about 190k quanta), at 10x and 100x ten and a hundred times
// that (1.9M and 19M quanta): every end must be exact to the nanosecond the report prints.
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using gilsim::test::run_json;

namespace {

// 200 job lengths in ms, 1..2000, spread by a fixed multiplicative step.
std::vector<std::int64_t> job_lengths()
{
  std::vector<std::int64_t> out;
  for (std::int64_t i = 0; i < 200; ++i)
    out.push_back(1 + (i * 7919 + 13) % 2000);
  return out;
}

std::vector<std::int64_t> closed_form_ends(const std::vector<std::int64_t>& len)
{
  std::vector<std::int64_t> ends;
  for (size_t i = 0; i < len.size(); ++i) {
    std::int64_t c = 0;
    for (size_t j = 0; j < len.size(); ++j) {
      c += std::min(len[j], len[i] - 1);
      if (j <= i && len[j] >= len[i])
        c += 1;
    }
    ends.push_back(c);
  }
  return ends;
}

void check_scale(std::int64_t scale)
{
  auto len = job_lengths();
  for (auto& l : len)
    l *= scale;
  std::string yaml = "machine: {cores: 1, context_switch: 0, wakeup_latency: 0}\n"
                     "scheduler: {policy: rr, quantum: 1ms}\n"
                     "processes:\n  - name: jobs\n    runtime: native\n    threads:\n";
  for (size_t i = 0; i < len.size(); ++i)
    yaml += "      - {name: j" + std::to_string(i) + ", program: [{cpu: " +
            std::to_string(len[i]) + "ms}]}\n";
  auto r = run_json(yaml);
  auto ends = closed_form_ends(len);
  int wrong = 0;
  for (size_t i = 0; i < len.size(); ++i) {
    const auto& t = gilsim::test::thread_named(r, "j" + std::to_string(i));
    auto got_ns = std::llround(t.at("end_s").get<double>() * 1e9);
    if (got_ns != ends[i] * 1000000) {
      if (++wrong <= 5)
        UNSCOPED_INFO("j" << i << " (" << len[i] << " ms): ends at " << got_ns << " ns, exact "
                          << ends[i] * 1000000 << " ns");
    }
  }
  INFO(wrong << " of 200 jobs end off the exact schedule at " << scale << "x");
  CHECK(wrong == 0);
}

}  // namespace

TEST_CASE("rr: 200 jobs at 1x end on the exact schedule", "[rr][exact]") { check_scale(1); }
TEST_CASE("rr: 200 jobs at 10x end on the exact schedule", "[rr][exact]") { check_scale(10); }
TEST_CASE("rr: 200 jobs at 100x end on the exact schedule", "[rr][exact]") { check_scale(100); }
