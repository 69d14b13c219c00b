// The fuzz targets: the loader with --set overrides, the grid and shard parsers, the host
// profile reader. Only an input_error is an expected way out.
#include "tests/fuzz/targets.hpp"

#include "models/core/error.hpp"
#include "sim/batch/sweep.hpp"
#include "sim/load/host_profile.hpp"
#include "sim/load/loader.hpp"

#include <string>
#include <vector>

namespace gilsim::fuzz {
namespace {

// The lines of s after position `from`.
std::vector<std::string> lines(const std::string& s, std::size_t from)
{
  std::vector<std::string> out;
  while (from < s.size()) {
    std::size_t e = s.find('\n', from);
    if (e == std::string::npos)
      e = s.size();
    out.push_back(s.substr(from, e - from));
    from = e + 1;
  }
  return out;
}

template <class F>
void refused_or_accepted(F&& f)
{
  try {
    f();
  } catch (const input_error&) {
  }
}

}  // namespace

void scenario(const std::uint8_t* data, std::size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::size_t mark = text.starts_with("%%\n") ? 0 : text.find("\n%%\n");
  std::vector<std::string> sets;
  std::string yaml = text;
  if (mark != std::string::npos) {
    yaml = text.substr(0, mark);
    sets = lines(text, mark + (mark == 0 ? 3 : 4));
  }
  refused_or_accepted([&] { load_scenario_text(yaml, "fuzz.yaml", sets); });
}

void grid(const std::uint8_t* data, std::size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto parts = lines(text, 0);
  if (!parts.empty())
    refused_or_accepted([&] { sweep::parse_grid(parts[0]); });
  if (parts.size() > 1)
    refused_or_accepted([&] { sweep::parse_shard(parts[1]); });
}

void profile(const std::uint8_t* data, std::size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  refused_or_accepted([&] { parse_host_profile(text, "fuzz-profile.yaml"); });
}

}  // namespace gilsim::fuzz
