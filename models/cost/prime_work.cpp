// The prime kernel's work without running it: a segmented sieve records each odd composite's
// smallest prime factor, which fixes the seed's loop length; results are cached in a text file.
#include "models/cost/prime_work.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace gilsim {

namespace detail {

std::uint64_t isqrt(std::uint64_t n)
{
  // The double estimate is off by at most one for large n; exact integer tests fix it, written
  // as divisions so that (r + 1)^2 never overflows.
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r > 0 && r > n / r)
    --r;
  while (r + 1 <= n / (r + 1))
    ++r;
  return r;
}

std::uint64_t seed_sqrt_bound(std::uint64_t n)
{
  // Python converts n to the nearest double and math.sqrt rounds correctly, as C++ does; the
  // two only part from isqrt at 2^52 and beyond (see the header).
  if (n < (std::uint64_t{1} << 52))
    return isqrt(n);
  return static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
}

}  // namespace detail

namespace {

// Odd numbers per sieve segment: 2^18 numbers, marks of 512 KiB, about an L2 cache.
constexpr std::uint64_t segment_odds = std::uint64_t{1} << 17;

void check_range(const number_range& r, const char* what)
{
  if (!r.empty() && r.last > prime_work_max_last)
    throw std::invalid_argument(std::string(what) + ": last = " + std::to_string(r.last) +
                                " is beyond the supported " + std::to_string(prime_work_max_last));
}

// Odd primes up to limit, ascending (a plain sieve over odd numbers: limit is only sqrt(last)).
std::vector<std::uint32_t> odd_primes_up_to(std::uint64_t limit)
{
  std::vector<std::uint32_t> primes;
  if (limit < 3)
    return primes;
  std::vector<std::uint8_t> composite(limit / 2 + 1, 0);  // index j stands for 2j + 1
  for (std::uint64_t p = 3; p * p <= limit; p += 2)
    if (!composite[p / 2])
      for (std::uint64_t m = p * p; m <= limit; m += 2 * p)
        composite[m / 2] = 1;
  for (std::uint64_t n = 3; n <= limit; n += 2)
    if (!composite[n / 2])
      primes.push_back(static_cast<std::uint32_t>(n));
  return primes;
}

// One segment at a time, the half smallest prime factor (spf - 1) / 2 of every odd composite:
// exactly its loop divisions in the seed. 0 marks 1 and the odd primes.
class spf_sieve {
public:
  explicit spf_sieve(std::uint64_t last)
      : primes_(odd_primes_up_to(detail::isqrt(last))), marks_(segment_odds)
  {
  }

  // Marks for odd n = 2j + 1, j in [j0, j0 + count), count <= segment_odds.
  const std::uint32_t* sieve(std::uint64_t j0, std::uint64_t count)
  {
    std::uint32_t* marks = marks_.data();
    std::fill_n(marks, count, 0u);
    const std::uint64_t lo = 2 * j0 + 1;
    const std::uint64_t hi = 2 * (j0 + count) - 1;
    const auto end = std::upper_bound(primes_.begin(), primes_.end(), detail::isqrt(hi));
    // Primes in descending order, so the smallest factor of a number is stored last and wins
    // with no test per store. Composites below p^2 have a smaller factor and are left to it.
    for (auto it = end; it != primes_.begin();) {
      const std::uint64_t p = *--it;
      std::uint64_t m = p * p;
      if (m < lo) {
        m = (lo + p - 1) / p * p;
        if (m % 2 == 0)
          m += p;  // the even multiples are not in the table
      }
      const auto half = static_cast<std::uint32_t>((p - 1) / 2);
      for (std::uint64_t i = (m - 1) / 2 - j0; i < count; i += p)
        marks[i] = half;
    }
    return marks;
  }

private:
  std::vector<std::uint32_t> primes_;
  std::vector<std::uint32_t> marks_;
};

// Calls visit(n, divisions, is_prime) for every odd n in r, in order, from the sieve's marks,
// one segment at a time. A prime runs the whole loop: floor((isqrt(n) - 1) / 2) divisions.
// n = 1 comes out as a "prime" with 0 divisions; callers correct it. n = 3 comes out right
// (prime, 0) although the seed returns before the loop.
template <class Visit>
void visit_odds(spf_sieve& sieve, const number_range& r, Visit&& visit)
{
  if (r.empty() || r.last == 0)
    return;
  // Odd n in r are 2j + 1 for j in [j_begin, j_end).
  const std::uint64_t j_begin = r.first / 2, j_end = (r.last - 1) / 2 + 1;
  for (std::uint64_t j0 = j_begin; j0 < j_end; j0 += segment_odds) {
    const std::uint64_t count = std::min(segment_odds, j_end - j0);
    const std::uint32_t* marks = sieve.sieve(j0, count);
    // isqrt(n) is tracked, not recomputed: n grows by 2 and squares are at least 3 apart, so it
    // rises by one at most per step.
    std::uint64_t n = 2 * j0 + 1;
    std::uint64_t root = detail::isqrt(n);
    std::uint64_t next_square = (root + 1) * (root + 1);
    auto prime_divisions = static_cast<std::uint32_t>((root - 1) / 2);
    for (std::uint64_t i = 0; i < count; ++i, n += 2) {
      if (n >= next_square) {
        ++root;
        next_square = (root + 1) * (root + 1);
        prime_divisions = static_cast<std::uint32_t>((root - 1) / 2);
      }
      const std::uint32_t m = marks[i];
      visit(n, m != 0 ? m : prime_divisions, m == 0);
    }
  }
}

range_work range_totals(spf_sieve& sieve, const number_range& r)
{
  range_work w;
  if (r.empty())
    return w;
  w.items = r.size();
  if (r.first <= 2 && 2 <= r.last)
    w.primes += 1;  // the only even prime, 0 divisions
  std::uint64_t divisions = 0;
  std::uint64_t primes = 0;
  visit_odds(sieve, r, [&](std::uint64_t, std::uint32_t d, bool p) {
    divisions += d;
    primes += p;
  });
  if (r.first <= 1 && 1 <= r.last)
    primes -= 1;  // n = 1 has no prime factor, but is_prime says False
  w.divisions = divisions;
  w.primes += primes;
  return w;
}

std::uint64_t largest_last(std::span<const number_range> ranges)
{
  std::uint64_t last = 0;
  for (const number_range& r : ranges)
    if (!r.empty())
      last = std::max(last, r.last);
  return last;
}

// ---- cache --------------------------------------------------------------------------------

constexpr std::string_view cache_version = "v1";
constexpr const char* cache_file_name = "prime_work.v1.txt";
// Enough for every range a study uses; the oldest entries go first.
constexpr std::size_t cache_max_entries = 1024;
// A file larger than this is not ours (a line is under 120 bytes): ignore it, rewrite it.
constexpr std::uintmax_t cache_max_bytes = std::uintmax_t{1} << 20;

struct cache_entry {
  number_range range;
  range_work work;
};

// A check value per line, so a line damaged into other valid numbers is not believed.
std::uint64_t entry_check(const cache_entry& e)
{
  std::uint64_t h = 0x67696c73696d7631;  // "gilsimv1"
  for (std::uint64_t v : {e.range.first, e.range.last, e.work.items, e.work.divisions,
                          e.work.primes}) {
    h ^= v;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9;
    h = (h ^ (h >> 27)) * 0x94d049bb133111eb;
    h ^= h >> 31;
  }
  return h;
}

std::optional<cache_entry> parse_entry(std::string_view line)
{
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string_view::npos)
      break;
    line.remove_prefix(start);
    const auto stop = std::min(line.find(' '), line.size());
    fields.push_back(line.substr(0, stop));
    line.remove_prefix(stop);
  }
  if (fields.size() != 7 || fields[0] != cache_version)
    return std::nullopt;
  std::uint64_t v[6];
  for (int i = 0; i < 6; ++i) {
    const std::string_view f = fields[i + 1];
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v[i]);
    if (ec != std::errc() || end != f.data() + f.size())
      return std::nullopt;
  }
  cache_entry e{{v[0], v[1]}, {v[2], v[3], v[4]}};
  if (v[5] != entry_check(e) || e.range.empty() || e.range.last > prime_work_max_last ||
      e.work.items != e.range.size() || e.work.primes > e.work.items)
    return std::nullopt;
  return e;
}

// The valid entries of the file, in file order; nothing when it is missing or unreadable.
std::vector<cache_entry> read_cache(const std::filesystem::path& file)
{
  std::vector<cache_entry> entries;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(file, ec);
  if (ec || bytes > cache_max_bytes)
    return entries;
  std::ifstream in(file);
  std::string line;
  while (in && std::getline(in, line))
    if (auto e = parse_entry(line))
      entries.push_back(*e);
  return entries;
}

// Writes a new file beside the old one and renames it over, so a reader never sees half a file
// and two simulators writing at once lose at most the other's entries.
void write_cache(const std::filesystem::path& file, const std::vector<cache_entry>& entries)
{
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec)
    return;
  std::filesystem::path tmp = file;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# gilsim prime_work cache: version first last items divisions primes check\n";
    for (const cache_entry& e : entries)
      out << detail::prime_cache_line(e.range, e.work);
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec)
    std::filesystem::remove(tmp, ec);
}

std::optional<std::filesystem::path> env_path(const char* name)
{
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0')
    return std::nullopt;
  return std::filesystem::path(value);
}

}  // namespace

std::string detail::prime_cache_line(const number_range& r, const range_work& w)
{
  std::ostringstream line;
  line << cache_version << ' ' << r.first << ' ' << r.last << ' ' << w.items << ' '
       << w.divisions << ' ' << w.primes << ' ' << entry_check({r, w}) << '\n';
  return line.str();
}

std::uint64_t prime_divisions(std::uint64_t n)
{
  if (n <= 3 || n % 2 == 0)
    return 0;  // answered before the loop
  const std::uint64_t b = detail::seed_sqrt_bound(n);
  // The loop stops at the first odd i that divides n, its smallest prime factor; so finding that
  // factor is enough, and 6k +- 1 finds it with a third of the seed's divisions.
  if (b >= 3 && n % 3 == 0)
    return 1;
  for (std::uint64_t f = 5; f <= b; f += 6) {
    if (n % f == 0)
      return (f - 1) / 2;
    if (f + 2 <= b && n % (f + 2) == 0)
      return (f + 1) / 2;
  }
  return b >= 3 ? (b - 1) / 2 : 0;  // no factor up to b: every odd i in [3, b] was tried
}

range_work prime_range_work(std::uint64_t first, std::uint64_t last)
{
  return prime_range_work(number_range{first, last});
}

range_work prime_range_work(number_range r)
{
  return prime_chunks_work(std::span<const number_range>(&r, 1)).front();
}

std::vector<range_work> prime_chunks_work(std::span<const number_range> chunks)
{
  for (const number_range& r : chunks)
    check_range(r, "prime_chunks_work");
  spf_sieve sieve(largest_last(chunks));
  std::vector<range_work> out;
  out.reserve(chunks.size());
  for (const number_range& r : chunks)
    out.push_back(range_totals(sieve, r));
  return out;
}

std::vector<number_range> split_range(std::uint64_t first, std::uint64_t last, std::uint64_t k)
{
  if (k == 0)
    throw std::invalid_argument("split_range: k must be > 0");
  const number_range whole{first, last};
  if (whole.empty())
    throw std::invalid_argument("split_range: first = " + std::to_string(first) +
                                " is after last = " + std::to_string(last));
  if (last == UINT64_MAX)
    throw std::invalid_argument("split_range: last must be below 2^64 - 1");
  const std::uint64_t q = whole.size() / k;
  const std::uint64_t m = whole.size() % k;
  std::vector<number_range> chunks;
  chunks.reserve(k);
  std::uint64_t start = first;
  for (std::uint64_t i = 0; i < k; ++i) {
    const std::uint64_t size = q + (i < m ? 1 : 0);
    chunks.push_back({start, start + size - 1});  // size 0 gives {start, start - 1}: empty
    start += size;
  }
  return chunks;
}

std::vector<range_work> prime_split_work(std::uint64_t first, std::uint64_t last, std::uint64_t k)
{
  return prime_chunks_work(split_range(first, last, k));
}

std::vector<std::uint32_t> prime_divisions_each(std::uint64_t first, std::uint64_t last)
{
  const number_range r{first, last};
  check_range(r, "prime_divisions_each");
  if (r.size() > prime_divisions_each_max)
    throw std::invalid_argument("prime_divisions_each: " + std::to_string(r.size()) +
                                " numbers, more than " +
                                std::to_string(prime_divisions_each_max) +
                                "; use prime_range_work or prime_chunks_work");
  std::vector<std::uint32_t> out(r.size(), 0);  // even numbers, 0..3: 0 divisions
  if (r.empty())
    return out;
  spf_sieve sieve(r.last);
  visit_odds(sieve, r, [&](std::uint64_t n, std::uint32_t d, bool) { out[n - first] = d; });
  return out;
}

std::optional<std::filesystem::path> prime_work_cache_file()
{
  if (auto dir = env_path("GILSIM_CACHE_DIR"))
    return *dir / cache_file_name;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (auto dir = env_path("XDG_CACHE_HOME"); dir && dir->is_absolute())
    return *dir / "gilsim" / cache_file_name;
  if (auto home = env_path("HOME"))
    return *home / ".cache" / "gilsim" / cache_file_name;
  return std::nullopt;
}

range_work prime_range_work_cached(std::uint64_t first, std::uint64_t last)
{
  const number_range r{first, last};
  return prime_chunks_work_cached(std::span<const number_range>(&r, 1)).front();
}

std::vector<range_work> prime_chunks_work_cached(std::span<const number_range> chunks)
{
  // Bad ranges fail the same way with or without a cache.
  for (const number_range& r : chunks)
    check_range(r, "prime_chunks_work_cached");

  std::optional<std::filesystem::path> file;
  std::vector<cache_entry> entries;
  try {
    file = prime_work_cache_file();
    if (file)
      entries = read_cache(*file);
  } catch (const std::exception&) {
    entries.clear();  // a cache that cannot be read is a cache miss
  }
  std::map<std::pair<std::uint64_t, std::uint64_t>, range_work> known;
  for (const cache_entry& e : entries)
    known[{e.range.first, e.range.last}] = e.work;

  std::vector<range_work> out(chunks.size());
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (chunks[i].empty())
      continue;
    if (auto it = known.find({chunks[i].first, chunks[i].last}); it != known.end())
      out[i] = it->second;
    else
      missing.push_back(i);
  }
  if (missing.empty())
    return out;

  std::vector<number_range> todo;
  for (std::size_t i : missing)
    todo.push_back(chunks[i]);
  const std::vector<range_work> computed = prime_chunks_work(todo);
  for (std::size_t k = 0; k < missing.size(); ++k)
    out[missing[k]] = computed[k];

  if (!file)
    return out;
  try {
    for (std::size_t k = 0; k < todo.size(); ++k) {
      if (known.contains({todo[k].first, todo[k].last}))
        continue;  // the same range asked twice in one call
      known[{todo[k].first, todo[k].last}] = computed[k];
      entries.push_back({todo[k], computed[k]});
    }
    if (entries.size() > cache_max_entries)
      entries.erase(entries.begin(), entries.end() - cache_max_entries);
    write_cache(*file, entries);
  } catch (const std::exception&) {
    // The figures are right; only the saving failed, and the next run computes them again.
  }
  return out;
}

}  // namespace gilsim
