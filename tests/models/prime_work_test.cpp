// Tests of the prime kernel's work model against an instrumented copy of the seed's is_prime,
// against hand-derived counts, and of the chunk split and the cross-run cache.
#include "models/cost/prime_work.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using gilsim::number_range;
using gilsim::range_work;

namespace {

// The seed's is_prime, line for line, counting the `n % i` of its loop. The bound is the seed's
// float expression int(math.sqrt(n)), not an integer square root, on purpose.
struct seed_answer {
  bool prime = false;
  std::uint64_t divisions = 0;
};

seed_answer seed_is_prime(std::uint64_t n)
{
  if (n == 2 || n == 3)
    return {true, 0};
  if (n <= 1 || n % 2 == 0)
    return {false, 0};
  const auto bound = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  std::uint64_t divisions = 0;
  for (std::uint64_t i = 3; i < bound + 1; i += 2) {
    ++divisions;
    if (n % i == 0)
      return {false, divisions};
  }
  return {true, divisions};
}

range_work seed_range(std::uint64_t first, std::uint64_t last)
{
  range_work w;
  for (std::uint64_t n = first; n <= last; ++n) {
    const seed_answer a = seed_is_prime(n);
    w.items += 1;
    w.divisions += a.divisions;
    w.primes += a.prime ? 1 : 0;
  }
  return w;
}

range_work sum(const std::vector<range_work>& parts)
{
  range_work total;
  for (const range_work& w : parts) {
    total.items += w.items;
    total.divisions += w.divisions;
    total.primes += w.primes;
  }
  return total;
}

// Sets (or unsets) an environment variable for the life of the object, then restores it, so a
// test's cache directory never leaks into the next test or the user's ~/.cache.
class env_override {
public:
  env_override(const char* name, std::optional<std::string> value) : name_(name)
  {
    if (const char* old = std::getenv(name))
      old_ = old;
    set(value);
  }
  ~env_override() { set(old_); }
  env_override(const env_override&) = delete;
  env_override& operator=(const env_override&) = delete;

private:
  void set(const std::optional<std::string>& value)
  {
    if (value)
      ::setenv(name_, value->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  const char* name_;
  std::optional<std::string> old_;
};

// A fresh directory used as GILSIM_CACHE_DIR, removed afterwards.
class temp_cache_dir {
public:
  temp_cache_dir()
      : dir_(fs::temp_directory_path() /
             ("gilsim_prime_work_test_" + std::to_string(::getpid()) + "_" +
              std::to_string(counter_++))),
        env_("GILSIM_CACHE_DIR", dir_.string())
  {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~temp_cache_dir()
  {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& dir() const { return dir_; }
  fs::path file() const { return dir_ / "prime_work.v1.txt"; }

private:
  static inline int counter_ = 0;
  fs::path dir_;
  env_override env_;
};

std::string read_text(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text)
{
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace

TEST_CASE("prime_work: divisions of small n match a brute-force count", "[prime_work]")
{
  for (std::uint64_t n = 0; n <= 20000; ++n) {
    INFO("n = " << n);
    REQUIRE(gilsim::prime_divisions(n) == seed_is_prime(n).divisions);
  }
}

TEST_CASE("prime_work: numbers answered before the loop cost no division", "[prime_work]")
{
  // n <= 1 returns False at `n <= 1`; 2 and 3 return True at `n in [2, 3]`; an even n returns
  // False at `n % 2 == 0`. None reaches the loop.
  for (std::uint64_t n : {0, 1, 2, 3, 4, 6, 100, 65536, 100000000})
    CHECK(gilsim::prime_divisions(n) == 0);
  CHECK(gilsim::prime_divisions(std::uint64_t{1} << 62) == 0);
}

TEST_CASE("prime_work: hand-derived divisions", "[prime_work]")
{
  // b = int(sqrt(n)); the loop tries odd i = 3, 5, ..., b and stops at the first divisor.
  CHECK(gilsim::prime_divisions(5) == 0);    // b = 2: range(3, 3, 2) is empty; prime
  CHECK(gilsim::prime_divisions(7) == 0);    // b = 2: empty loop; prime
  CHECK(gilsim::prime_divisions(9) == 1);    // b = 3: i = 3 divides at the first iteration
  CHECK(gilsim::prime_divisions(11) == 1);   // b = 3: i = 3 fails, loop over; prime
  CHECK(gilsim::prime_divisions(15) == 1);   // i = 3 divides
  CHECK(gilsim::prime_divisions(25) == 2);   // b = 5: 3 no, 5 yes
  CHECK(gilsim::prime_divisions(49) == 3);   // b = 7: 3, 5 no, 7 yes
  CHECK(gilsim::prime_divisions(97) == 4);   // prime, b = 9: i = 3, 5, 7, 9
  CHECK(gilsim::prime_divisions(121) == 5);  // 11^2: i = 3, 5, 7, 9, 11
  // prime; 100^2 = 10000 <= 10007 < 101^2, so b = 100: odd i in [3, 99] = 49 of them
  CHECK(gilsim::prime_divisions(10007) == 49);
  CHECK(gilsim::prime_divisions(3000009) == 1);  // 3 x 1000003: i = 3 divides
  // prime; 999^2 = 998001 <= 999983 < 10^6, so b = 999: odd i in [3, 999] = 498 + 1 = 499
  CHECK(gilsim::prime_divisions(999983) == 499);
  // 1009^2 with 1009 prime: spf = 1009 is the (1009 - 1) / 2 = 504th odd i from 3
  CHECK(gilsim::prime_divisions(1018081) == 504);
  // the largest prime below 10^8; 9999^2 = 99980001 <= n < 10^8, b = 9999: 4999 odd i
  CHECK(gilsim::prime_divisions(99999989) == 4999);
}

TEST_CASE("prime_work: above 2^52 the seed's float bound is kept", "[prime_work]")
{
  // n = 268435459^2 - 8 is prime. Python: int(math.sqrt(n)) = 268435459 although
  // math.isqrt(n) = 268435458; 268435459 is odd, so the seed's loop tries one more i:
  // (268435459 - 1) / 2 = 134217729 divisions (checked by running the seed's loop in Python).
  const std::uint64_t n = 72057595648540673ULL;
  CHECK(gilsim::detail::isqrt(n) == 268435458);
  CHECK(gilsim::detail::seed_sqrt_bound(n) == 268435459);
  CHECK(gilsim::prime_divisions(n) == 134217729);
}

TEST_CASE("prime_work: integer square root is exact, and is the seed's bound below 2^52",
          "[prime_work]")
{
  // Squares and their neighbours are where a float square root goes wrong.
  for (std::uint64_t k = 1; k < (std::uint64_t{1} << 26); k = k * 3 + 1) {
    for (std::uint64_t n : {k * k - 1, k * k, k * k + 1}) {
      INFO("n = " << n);
      const std::uint64_t r = gilsim::detail::isqrt(n);
      CHECK(r * r <= n);
      CHECK((r + 1) * (r + 1) > n);
      CHECK(gilsim::detail::seed_sqrt_bound(n) == r);
    }
  }
  const std::uint64_t top = (std::uint64_t{1} << 26);  // (2^26)^2 = 2^52 - the edge
  CHECK(gilsim::detail::isqrt(top * top - 1) == top - 1);
  CHECK(gilsim::detail::seed_sqrt_bound(top * top - 1) == top - 1);
  CHECK(gilsim::detail::isqrt(UINT64_MAX) == 4294967295ULL);
  CHECK(gilsim::detail::isqrt(0) == 0);
}

TEST_CASE("prime_work: hand-derived range totals", "[prime_work]")
{
  // 1..10: only 9 reaches a division (1); primes 2, 3, 5, 7.
  CHECK(gilsim::prime_range_work(1, 10) == range_work{10, 1, 4});
  // 1..30: odd n >= 5 with their divisions: 5:0 7:0 9:1 11:1 13:1 15:1 17:1 19:1 21:1 23:1
  // 25:2 27:1 29:2 -> 13; primes 2 3 5 7 11 13 17 19 23 29 -> 10.
  CHECK(gilsim::prime_range_work(1, 30) == range_work{30, 13, 10});
  // 24..26: 24 and 26 even (0), 25 -> 2; no prime.
  CHECK(gilsim::prime_range_work(24, 26) == range_work{3, 2, 0});
  // one number each
  CHECK(gilsim::prime_range_work(0, 0) == range_work{1, 0, 0});
  CHECK(gilsim::prime_range_work(1, 1) == range_work{1, 0, 0});
  CHECK(gilsim::prime_range_work(2, 2) == range_work{1, 0, 1});
  CHECK(gilsim::prime_range_work(3, 3) == range_work{1, 0, 1});
  CHECK(gilsim::prime_range_work(97, 97) == range_work{1, 4, 1});
  // first > last is the empty range
  CHECK(gilsim::prime_range_work(10, 9) == range_work{});
}

TEST_CASE("prime_work: range totals match a brute-force count", "[prime_work]")
{
  // A segment holds 2^18 numbers counted from the range's first; the longer ranges below span
  // two to four segments, and the 2^18 +- 1000 range crosses the boundary of the range from 1.
  const std::uint64_t seg = std::uint64_t{1} << 18;
  const number_range ranges[] = {
      {1, 20000},     {0, 20000},           {2, 3},          {4, 4},
      {17, 4321},     {9999, 10007},        {seg - 1000, seg + 1000},
      {1, 3 * seg + 5}, {123457, 2 * seg + 99}, {99990001, 100000000},
  };
  for (const number_range& r : ranges) {
    INFO("range " << r.first << ".." << r.last);
    CHECK(gilsim::prime_range_work(r) == seed_range(r.first, r.last));
  }
}

TEST_CASE("prime_work: prime counts match the known values of pi(x)", "[prime_work]")
{
  CHECK(gilsim::prime_range_work(1, 1000000).primes == 78498);
  // The seed's README reports 664_579 primes up to 10_000_000. The division total was checked
  // once against the brute-force loop over the whole range (a two-minute run).
  CHECK(gilsim::prime_range_work(1, 10000000) == range_work{10000000, 870439156, 664579});
}

TEST_CASE("prime_work: per-item divisions match prime_divisions", "[prime_work]")
{
  const number_range ranges[] = {{0, 3000}, {1, 1}, {262044, 262244}, {5, 4}};
  for (const number_range& r : ranges) {
    INFO("range " << r.first << ".." << r.last);
    const std::vector<std::uint32_t> each = gilsim::prime_divisions_each(r.first, r.last);
    REQUIRE(each.size() == r.size());
    for (std::uint64_t i = 0; i < each.size(); ++i)
      CHECK(each[i] == gilsim::prime_divisions(r.first + i));
  }
  CHECK_THROWS_AS(gilsim::prime_divisions_each(1, gilsim::prime_divisions_each_max + 1),
                  std::invalid_argument);
}

TEST_CASE("prime_work: split gives contiguous chunks differing by at most one", "[prime_work]")
{
  // 10 numbers in 3: q = 3, m = 1 -> the first chunk takes the extra one: 4, 3, 3.
  CHECK(gilsim::split_range(1, 10, 3) ==
        std::vector<number_range>{{1, 4}, {5, 7}, {8, 10}});
  // 3 numbers in 5: q = 0, m = 3 -> three chunks of one, then two empty ones.
  const auto small = gilsim::split_range(5, 7, 5);
  REQUIRE(small.size() == 5);
  CHECK(small[0] == number_range{5, 5});
  CHECK(small[2] == number_range{7, 7});
  CHECK(small[3].empty());
  CHECK(small[4].empty());
  // 10^8 in 10: the lessons' figure, 10^7 each, no remainder.
  const auto big = gilsim::split_range(1, 100000000, 10);
  REQUIRE(big.size() == 10);
  for (std::size_t i = 0; i < big.size(); ++i) {
    CHECK(big[i].size() == 10000000);
    CHECK(big[i].first == 1 + i * 10000000);
  }
  CHECK_THROWS_AS(gilsim::split_range(1, 10, 0), std::invalid_argument);
  CHECK_THROWS_AS(gilsim::split_range(10, 9, 2), std::invalid_argument);
}

TEST_CASE("prime_work: chunk work sums to the whole range", "[prime_work]")
{
  const std::uint64_t k_values[] = {1, 3, 7, 10};
  for (std::uint64_t k : k_values) {
    INFO("k = " << k);
    const auto parts = gilsim::prime_split_work(1, 1000003, k);
    REQUIRE(parts.size() == k);
    CHECK(sum(parts) == gilsim::prime_range_work(1, 1000003));
  }
  // Each chunk is its own range, not off by one at its edges.
  const auto chunks = gilsim::split_range(17, 60000, 7);
  const auto parts = gilsim::prime_chunks_work(chunks);
  for (std::size_t i = 0; i < chunks.size(); ++i)
    CHECK(parts[i] == seed_range(chunks[i].first, chunks[i].last));
  // Chunks may come in any order and overlap; each is counted on its own.
  const number_range mixed[] = {{500, 900}, {1, 1000}, {600, 700}, {3, 2}};
  const auto mixed_work = gilsim::prime_chunks_work(mixed);
  CHECK(mixed_work[0] == seed_range(500, 900));
  CHECK(mixed_work[1] == seed_range(1, 1000));
  CHECK(mixed_work[2] == seed_range(600, 700));
  CHECK(mixed_work[3] == range_work{});
}

TEST_CASE("prime_work: ranges beyond the supported last are rejected", "[prime_work]")
{
  const std::uint64_t too_far = gilsim::prime_work_max_last + 1;
  CHECK_THROWS_AS(gilsim::prime_range_work(1, too_far), std::invalid_argument);
  CHECK_THROWS_AS(gilsim::prime_range_work_cached(1, too_far), std::invalid_argument);
}

TEST_CASE("prime_work: the cache file follows GILSIM_CACHE_DIR, then XDG, then HOME",
          "[prime_work][cache]")
{
  env_override no_dir("GILSIM_CACHE_DIR", std::nullopt);
  {
    env_override xdg("XDG_CACHE_HOME", "/xdg");
    CHECK(gilsim::prime_work_cache_file() == fs::path("/xdg/gilsim/prime_work.v1.txt"));
  }
  env_override home("HOME", "/home/someone");
  {
    env_override xdg("XDG_CACHE_HOME", "relative");  // invalid per the XDG spec: ignored
    CHECK(gilsim::prime_work_cache_file() ==
          fs::path("/home/someone/.cache/gilsim/prime_work.v1.txt"));
  }
  {
    env_override xdg("XDG_CACHE_HOME", std::nullopt);
    env_override no_home("HOME", std::nullopt);
    CHECK_FALSE(gilsim::prime_work_cache_file().has_value());
    // No cache at all: still computed.
    CHECK(gilsim::prime_range_work_cached(1, 10) == range_work{10, 1, 4});
  }
  {
    env_override dir("GILSIM_CACHE_DIR", "/tmp/somewhere");
    CHECK(gilsim::prime_work_cache_file() == fs::path("/tmp/somewhere/prime_work.v1.txt"));
  }
}

TEST_CASE("prime_work: the cache returns the computed figures and reads them back",
          "[prime_work][cache]")
{
  temp_cache_dir cache;
  REQUIRE(gilsim::prime_work_cache_file() == cache.file());

  const range_work computed = gilsim::prime_range_work(1, 1000000);
  CHECK(gilsim::prime_range_work_cached(1, 1000000) == computed);
  const std::string line = gilsim::detail::prime_cache_line({1, 1000000}, computed);
  CHECK(read_text(cache.file()).find(line) != std::string::npos);
  CHECK(gilsim::prime_range_work_cached(1, 1000000) == computed);

  // A planted entry with a valid check is believed, which shows the figures come from the file.
  const range_work planted{1000, 12345, 7};
  write_text(cache.file(), gilsim::detail::prime_cache_line({1, 1000}, planted));
  CHECK(gilsim::prime_range_work_cached(1, 1000) == planted);
}

TEST_CASE("prime_work: cached chunks agree with computed chunks", "[prime_work][cache]")
{
  temp_cache_dir cache;
  const auto chunks = gilsim::split_range(1, 2000000, 7);
  const auto computed = gilsim::prime_chunks_work(chunks);
  CHECK(gilsim::prime_chunks_work_cached(chunks) == computed);  // all misses
  CHECK(gilsim::prime_chunks_work_cached(chunks) == computed);  // all hits
  // Some hits, some misses, an empty chunk and a repeat in one call.
  const number_range mixed[] = {chunks[2], {5, 4}, {3, 77777}, chunks[0], {3, 77777}};
  const auto got = gilsim::prime_chunks_work_cached(mixed);
  CHECK(got == gilsim::prime_chunks_work(mixed));
  const std::string text = read_text(cache.file());
  CHECK(text.find(gilsim::detail::prime_cache_line({3, 77777}, got[2])) != std::string::npos);
}

TEST_CASE("prime_work: a corrupt cache file is ignored and rewritten", "[prime_work][cache]")
{
  temp_cache_dir cache;
  const range_work truth = gilsim::prime_range_work(1, 1000);
  // A line whose figures were changed after its check was computed, a line with a bad check,
  // a truncated line, a negative number, binary noise.
  std::string tampered = gilsim::detail::prime_cache_line({1, 1000}, {1000, 999, 168});
  tampered.replace(tampered.find(" 999 "), 5, " 998 ");
  const std::string corrupt = tampered + "v1 1 1000 1000 5 168 12345\n" + "v1 1 1000 1000\n" +
                              "v1 1 1000 1000 -5 168 1\n" + std::string("\x00\xff\x01garbage", 10);
  write_text(cache.file(), corrupt);

  CHECK(gilsim::prime_range_work_cached(1, 1000) == truth);
  const std::string text = read_text(cache.file());
  CHECK(text.find(gilsim::detail::prime_cache_line({1, 1000}, truth)) != std::string::npos);
  CHECK(text.find("garbage") == std::string::npos);
  CHECK(text.find(tampered) == std::string::npos);
  CHECK(gilsim::prime_range_work_cached(1, 1000) == truth);

  // A file of the wrong size altogether (over 1 MiB) is not read either.
  write_text(cache.file(), std::string(std::size_t{2} << 20, 'x'));
  CHECK(gilsim::prime_range_work_cached(1, 1000) == truth);
}

TEST_CASE("prime_work: an unusable cache directory does not fail the call",
          "[prime_work][cache]")
{
  temp_cache_dir cache;
  // A directory below a regular file cannot be created, even by root.
  const fs::path blocker = cache.dir() / "not_a_directory";
  write_text(blocker, "x");
  env_override dir("GILSIM_CACHE_DIR", (blocker / "sub").string());
  CHECK(gilsim::prime_range_work_cached(1, 30) == range_work{30, 13, 10});
  CHECK(gilsim::prime_range_work_cached(1, 30) == range_work{30, 13, 10});
  // The cache file's place taken by a directory: unreadable and unwritable.
  env_override dir2("GILSIM_CACHE_DIR", cache.dir().string());
  fs::create_directories(cache.file());
  CHECK(gilsim::prime_range_work_cached(1, 30) == range_work{30, 13, 10});
}
