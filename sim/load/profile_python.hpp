// A host profile's python sections (`pythons:`, one per interpreter calibrated): the figures they
// hold, the keys of their runs in python_section::stats, and their YAML form (written with a
// comment per figure, read strictly like the rest of the profile).
#pragma once

#include "sim/load/host_profile.hpp"
#include "sim/load/yaml_check.hpp"

#include <span>
#include <string>

namespace gilsim {

// A figure of python_costs that is one number: the median of its runs.
struct python_figure {
  const char* key;  // its key in the profile and in python_section::stats
  double python_costs::*member;
  const char* what;  // the profile's comment
  // CPU work that follows the host's speed: normalised to the calibration's reference speed
  // when timed with speed marks, and scaled by the drift when validate re-anchors a profile.
  // Wall figures (starts, sleeps, latencies) are not.
  bool cpu = false;
};
std::span<const python_figure> python_scalar_figures();
// The one with that key, or nullptr.
const python_figure* python_scalar_figure(const std::string& key);

// The speed marks' reference: the seed's is_prime over [1, python_reference_last] in CPU time
// (calibrate times it around every block of CPU figures; validate beside every program).
inline constexpr std::uint64_t python_reference_last = 50000;

// The keys of the other figures' runs in python_section::stats.
std::string prime_stats_key(std::uint64_t first, std::uint64_t last);  // "prime:1-16384"
// a range timed but held out of the fit: "prime_check:1-100000"
std::string prime_check_stats_key(std::uint64_t first, std::uint64_t last);
// A sleep table's stats key: its name and the requested duration ("sleep:0.0005").
std::string sleep_stats_key(double requested, const std::string& table = "sleep");
// The sleep tables of a section: their key in the profile, where they live, what they are.
struct python_sleep_table {
  const char* key;
  sleep_table python_costs::*member;
  const char* what;
};
std::span<const python_sleep_table> python_sleep_tables();
// pool "executor_pool" or "mp_pool", side "parent" or "child": "mp_pool.child:10"
std::string pool_stats_key(const std::string& pool, const std::string& side, int chunksize);

namespace detail {

// Shared with host_profile.cpp: a duration in a readable unit, a quoted string, a stats map.
std::string profile_duration(double seconds);
std::string profile_quoted(const std::string& s);
std::string profile_stats_map(const sample_stats& s);
std::string profile_stats_fields(const sample_stats& s);
sample_stats profile_read_stats(const field& f);
sample_stats profile_stats_from(const map_view& m);

// The `pythons:` list, and reading it back into p.pythons.
std::string pythons_yaml(const std::vector<host_profile::python_section>& sections);
void read_pythons(const field& f, host_profile& p);

}  // namespace detail
}  // namespace gilsim
