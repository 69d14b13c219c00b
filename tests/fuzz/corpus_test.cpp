// The fuzzers' corpus as regression tests in the normal suite: every crafted input (each a case
// that once hung, ate memory or escaped unlocated) and every shipped scenario goes through the
// same targets as the fuzzers, and each must end in a load or an input_error.
#include "tests/fuzz/targets.hpp"

#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string bytes_of(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs every file under tests/fuzz/corpus/<target> through `run`; returns how many.
template <class F>
int run_corpus(const std::string& target, F run)
{
  int n = 0;
  const fs::path dir = fs::path(gilsim::test::source_dir()) / "tests/fuzz/corpus" / target;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string b = bytes_of(e.path());
    INFO(e.path());
    CHECK_NOTHROW(run(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz corpus: every crafted scenario and --set loads or is refused with a position")
{
  CHECK(run_corpus("scenario", gilsim::fuzz::scenario) >= 10);
  for (const auto& path : gilsim::test::shipped_scenarios()) {
    const std::string b = bytes_of(path);
    CHECK_NOTHROW(gilsim::fuzz::scenario(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
  }
}

TEST_CASE("fuzz corpus: every crafted --grid and --shard is parsed or refused")
{
  CHECK(run_corpus("grid", gilsim::fuzz::grid) >= 5);
}

TEST_CASE("fuzz corpus: every crafted host profile is read or refused")
{
  CHECK(run_corpus("profile", gilsim::fuzz::profile) >= 3);
}
