// What the command-line tests share: the scenario they run and a look at what a run left.
#pragma once

#include "tests/support.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace gilsim::test {

// Four 100 ms CPU-bound threads on 2 cores: over in 200 ms of simulated time.
inline std::string example()
{
  return source_dir() + "/scenarios/examples/cpu_bound.yaml";
}

// The names in a directory, sorted: what a run left there.
inline std::vector<std::string> names_in(const std::filesystem::path& dir)
{
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gilsim::test
