// What a batch runs: --grid and --shard parsing, range expansion, and the plans (the points and
// the manifest) of a parameter sweep and of a batch of scenario files.
#include "sim/batch/sweep.hpp"

#include "models/core/error.hpp"
#include "sim/load/loader.hpp"
#include "sim/batch/sweep_detail.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fmt/format.h>
#include <regex>
#include <set>

namespace gilsim::sweep {

namespace {

namespace fs = std::filesystem;

// No sweep of more points than this: a typo like 1..1000000 should not fill a disk.
constexpr long max_points = 1'000'000;

[[noreturn]] void bad_grid(const std::string& label, const std::string& message)
{
  fail_input({fmt::format("--grid {}", label)}, "", message);
}

// A decimal number held exactly as mantissa / 10^decimals, so that 0.1..0.5:+0.1 ends on 0.5.
struct decimal {
  long long mantissa = 0;
  int decimals = 0;
};

decimal parse_decimal(const std::string& text, const std::string& label)
{
  decimal d;
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.')
      d.decimals = static_cast<int>(text.size() - i - 1);
    else
      digits += text[i];
  }
  if (digits.size() > 15)
    bad_grid(label, fmt::format("'{}' has too many digits for a range bound", text));
  std::from_chars(digits.data(), digits.data() + digits.size(), d.mantissa);
  return d;
}

// d as a whole number of 10^-decimals; a range whose bounds do not fit in 64 bits that way
// (1..0.000000000000001, say) is refused rather than wrapped.
long long scaled(const decimal& d, int decimals, const std::string& item, const std::string& label)
{
  long long v = d.mantissa;
  for (int i = d.decimals; i < decimals; ++i)
    if (__builtin_mul_overflow(v, 10LL, &v))
      bad_grid(label, fmt::format("bad range '{}': its numbers do not fit in 64 bits at {} "
                                  "decimal places",
                                  item, decimals));
  return v;
}

std::string format_scaled(long long v, int decimals, const std::string& unit)
{
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (decimals > 0 && static_cast<int>(digits.size()) <= decimals)
    digits = std::string(decimals - digits.size() + 1, '0') + digits;
  std::string whole = digits.substr(0, digits.size() - decimals);
  std::string fraction = digits.substr(digits.size() - decimals);
  while (!fraction.empty() && fraction.back() == '0')
    fraction.pop_back();
  return fmt::format("{}{}{}{}{}", v < 0 ? "-" : "", whole, fraction.empty() ? "" : ".", fraction,
                     unit);
}

std::vector<std::string> expand(const std::string& item, const std::string& label)
{
  // start, its unit, end, its unit, then optionally ':', '+' or 'x', the step, its unit.
  static const std::regex range_re(R"(^(-?\d+(?:\.\d+)?)([A-Za-z]*)\.\.)"
                                   R"((-?\d+(?:\.\d+)?)([A-Za-z]*))"
                                   R"((?::([+x])(\d+(?:\.\d+)?)([A-Za-z]*))?$)");
  std::smatch m;
  if (!std::regex_match(item, m, range_re))
    bad_grid(label, fmt::format("bad range '{}': expected a..b, a..b:+s or a..b:xk with numbers a, "
                                "b, s and an integer k >= 2",
                                item));
  std::string unit = m[2];
  if (m[4] != unit)
    bad_grid(label, fmt::format("bad range '{}': both ends need the same unit", item));
  decimal a = parse_decimal(m[1], label), b = parse_decimal(m[3], label);
  char op = m[5].matched ? m[5].str()[0] : '+';
  decimal step = m[5].matched ? parse_decimal(m[6], label) : decimal{1, 0};
  if (op == '+' && m[7].length() > 0 && m[7] != unit)
    bad_grid(label, fmt::format("bad range '{}': the step needs the unit of the ends", item));
  if (op == 'x' && (step.decimals > 0 || m[7].length() > 0 || step.mantissa < 2))
    bad_grid(label,
             fmt::format("bad range '{}': the factor after x must be an integer >= 2", item));
  int decimals = std::max(a.decimals, b.decimals);
  if (op == '+')
    decimals = std::max(decimals, step.decimals);
  long long lo = scaled(a, decimals, item, label), hi = scaled(b, decimals, item, label);
  if (lo > hi)
    bad_grid(label, fmt::format("bad range '{}': the start is above the end", item));
  std::vector<std::string> values;
  if (op == '+') {
    long long s = scaled(step, decimals, item, label);
    if (s <= 0)
      bad_grid(label, fmt::format("bad range '{}': the step must be above 0", item));
    long long span = 0;
    if (__builtin_sub_overflow(hi, lo, &span) || span / s >= max_points)
      bad_grid(label, fmt::format("bad range '{}': more than {} values", item, max_points));
    // lo + i * s never passes hi, so nothing here can overflow.
    for (long long i = 0; i <= span / s; ++i)
      values.push_back(format_scaled(lo + i * s, decimals, unit));
  } else {
    if (lo <= 0)
      bad_grid(label, fmt::format("bad range '{}': a multiplied range must start above 0", item));
    // Stops before the product would pass hi: at the top of the 64-bit range it would wrap.
    for (long long v = lo;; v *= step.mantissa) {
      values.push_back(format_scaled(v, decimals, unit));
      if (v > hi / step.mantissa)
        break;
    }
  }
  return values;
}

std::vector<std::string> fixed_args(const std::vector<std::string>& sets,
                                    const std::vector<std::string>& extra)
{
  std::vector<std::string> args;
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string hash_of(const std::string& path)
{
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    fail_input({path}, "", "no such scenario file");
  return detail::content_hash(detail::read_text(path));
}

}  // namespace

std::vector<std::string> expand_range(const std::string& item)
{
  return expand(item, item);
}

axis parse_grid(const std::string& spec)
{
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    bad_grid(spec, "expected key.path=v1,v2,... (or a range such as 1..64:x2)");
  axis a;
  a.key = spec.substr(0, eq);
  if (a.key.find_first_of(" \t,") != std::string::npos)
    bad_grid(spec, fmt::format("'{}' is not a key path", a.key));
  std::string list = spec.substr(eq + 1);
  std::size_t begin = 0;
  while (true) {
    std::size_t comma = list.find(',', begin);
    std::string item = list.substr(begin, comma == std::string::npos ? comma : comma - begin);
    if (item.empty())
      bad_grid(spec, "an empty value (two commas in a row, or none after '=')");
    if (item.find("..") != std::string::npos) {
      auto more = expand(item, spec);
      a.values.insert(a.values.end(), more.begin(), more.end());
    } else {
      a.values.push_back(item);
    }
    if (a.values.size() > static_cast<std::size_t>(max_points))
      bad_grid(spec, fmt::format("more than {} values", max_points));
    if (comma == std::string::npos)
      break;
    begin = comma + 1;
  }
  return a;
}

shard parse_shard(const std::string& text)
{
  static const std::regex shard_re(R"(^(\d{1,6})/(\d{1,6})$)");
  std::smatch m;
  shard s;
  if (std::regex_match(text, m, shard_re)) {
    s.index = std::stoi(m[1]);
    s.count = std::stoi(m[2]);
    if (s.count >= 1 && s.index >= 1 && s.index <= s.count)
      return s;
  }
  fail_input({fmt::format("--shard {}", text)}, "",
             "expected i/n with 1 <= i <= n, e.g. --shard 2/4");
}

plan sweep_plan(const std::string& scenario, const std::vector<axis>& axes, int seeds,
                const std::vector<std::string>& sets, const std::vector<std::string>& extra_args)
{
  if (axes.empty())
    fail_input({"--grid"}, "", "a sweep needs at least one --grid key.path=v1,v2,...");
  if (seeds < 0)
    fail_input({"--seeds"}, "", fmt::format("must be 1 or more, got {}", seeds));
  std::set<std::string> keys;
  long total = seeds > 0 ? seeds : 1;
  for (const auto& a : axes) {
    if (a.key == "seed")  // results.csv has a seed column already
      fail_input({"--grid seed"}, "", "sweep seeds with --seeds K (seeds 1..K), or --set seed=N");
    if (!keys.insert(a.key).second)
      fail_input({fmt::format("--grid {}", a.key)}, "", "this key path is swept twice");
    if (a.values.empty() || total > max_points / static_cast<long>(a.values.size()))
      fail_input({fmt::format("--grid {}", a.key)}, "",
                 fmt::format("the sweep has more than {} points", max_points));
    total *= static_cast<long>(a.values.size());
  }
  std::string hash = hash_of(scenario);

  // One load with each axis's first value catches a misspelt key path or a bad scenario before
  // hundreds of processes report the same error.
  std::vector<std::string> overrides = sets;
  for (const auto& a : axes)
    overrides.push_back(a.key + "=" + a.values.front());
  if (seeds > 0)
    overrides.push_back("seed=1");
  try {
    load_scenario(scenario, overrides);
  } catch (const input_error& e) {
    // A bad first value of a grid is the --grid's mistake, not a --set the user never wrote.
    for (const auto& a : axes)
      if (e.pos().file == "--set " + a.key + "=" + a.values.front())
        throw input_error({"--grid " + a.key + "=" + a.values.front(), e.pos().line, e.pos().col},
                          e.key_path(), e.message());
    throw;
  }
  // Every point loads this file in a child forked from here: parsed once, now.
  keep_parsed_scenario(scenario);

  plan p;
  p.fixed_args = fixed_args(sets, extra_args);
  for (const auto& a : axes)
    p.columns.push_back(a.key);
  long combos = total / (seeds > 0 ? seeds : 1);
  p.points.reserve(total);
  for (long c = 0; c < combos; ++c) {
    // Mixed-radix digits of c, the last axis the fastest.
    std::vector<std::string> values(axes.size());
    long rest = c;
    for (std::size_t i = axes.size(); i-- > 0;) {
      long n = static_cast<long>(axes[i].values.size());
      values[i] = axes[i].values[rest % n];
      rest /= n;
    }
    for (int s = 1; s <= std::max(seeds, 1); ++s) {
      point pt;
      pt.id = static_cast<long>(p.points.size());
      pt.values = values;
      if (seeds > 0)
        pt.seed = static_cast<std::uint64_t>(s);
      pt.scenario = scenario;
      p.points.push_back(std::move(pt));
    }
  }

  nlohmann::ordered_json grid = nlohmann::ordered_json::array();
  for (const auto& a : axes)
    grid.push_back({{"key", a.key}, {"values", a.values}});
  p.manifest = {{"gilsim_sweep", 1},     {"kind", "sweep"}, {"scenario", scenario},
                {"scenario_hash", hash}, {"grid", grid},    {"seeds", seeds},
                {"args", p.fixed_args},  {"points", total}};
  return p;
}

plan batch_plan(const std::vector<std::string>& paths, const std::vector<std::string>& sets,
                const std::vector<std::string>& extra_args)
{
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path)) {
        auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
          found.push_back(entry.path().string());
      }
      if (found.empty())
        fail_input({path}, "", "no *.yaml or *.yml scenario in this directory");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  plan p;
  p.fixed_args = fixed_args(sets, extra_args);
  p.columns = {"scenario"};
  nlohmann::ordered_json scenarios = nlohmann::ordered_json::array();
  for (const auto& f : files) {
    scenarios.push_back({{"path", f}, {"hash", hash_of(f)}});
    point pt;
    pt.id = static_cast<long>(p.points.size());
    pt.values = {f};
    pt.scenario = f;
    p.points.push_back(std::move(pt));
  }
  p.manifest = {{"gilsim_sweep", 1},
                {"kind", "batch"},
                {"scenarios", scenarios},
                {"args", p.fixed_args},
                {"points", static_cast<long>(files.size())}};
  return p;
}

}  // namespace gilsim::sweep
