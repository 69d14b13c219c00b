// The per-thread attributes the policies declare in their registry entries: what the loader
// accepts on a thread and hands to add_thread (the policies' own tests check what they do with
// them, through sched_support.hpp's add_thread).
#include "tests/models/sched_support.hpp"

using namespace gilsim;
using namespace gilsim::test;

namespace {

const param_decl& attribute(const std::string& policy)
{
  const auto& attrs = entry<sched_registry>(policy).attributes;
  REQUIRE(attrs.size() == 1);
  return attrs[0];
}

}  // namespace

TEST_CASE("cfs: declares the attribute nice, a whole number from -20 to 19, default 0",
          "[attributes]")
{
  const auto& d = attribute("cfs");
  CHECK(d.name == "nice");
  CHECK(d.kind == param_kind::integer);
  CHECK(d.default_value == 0);
  CHECK(d.min == -20);
  CHECK(d.max == 19);
}

TEST_CASE("priority: declares the attribute priority, a whole number from -1000 to 1000, "
          "default 0",
          "[attributes]")
{
  const auto& d = attribute("priority");
  CHECK(d.name == "priority");
  CHECK(d.kind == param_kind::integer);
  CHECK(d.default_value == 0);
  CHECK(d.min == -1000);
  CHECK(d.max == 1000);
}

TEST_CASE("ps, rr and fifo declare no per-thread attributes", "[attributes]")
{
  for (const char* policy : {"ps", "rr", "fifo"}) {
    INFO(policy);
    CHECK(entry<sched_registry>(policy).attributes.empty());
  }
}
