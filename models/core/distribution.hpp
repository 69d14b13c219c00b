// Random durations and open arrivals, drawn from seeded streams so that a run repeats exactly.
// A step's duration is a constant (as before) or one of: exp (mean), uniform [a, b], lognormal
// (mean, sd of the duration itself), normal (mean, sd) truncated at 0 by redrawing. Every draw
// is written here by hand (inverse transform, Box-Muller) rather than with <random>'s
// distributions, whose algorithms differ between standard libraries: the same seed gives the
// same durations everywhere. Arrivals of a workload's requests: Poisson at a rate, one every
// interval, or a list of times read from a file.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gilsim {

enum class dist_kind { constant, exp, uniform, lognormal, normal };

struct duration_dist {
  dist_kind kind = dist_kind::constant;
  // exp: a = mean; uniform: [a, b]; lognormal, normal: a = mean, b = standard deviation (s)
  double a = 0, b = 0;

  bool random() const { return kind != dist_kind::constant; }
  // The mean as written (a normal truncated at 0 has a larger one when sd is not small).
  double mean() const { return kind == dist_kind::uniform ? (a + b) / 2 : a; }
  // One duration, seconds, never negative.
  double draw(std::mt19937_64& rng) const;
};

// A uniform number in [0, 1) from 53 bits of the stream.
double unit_draw(std::mt19937_64& rng);

enum class arrival_kind { poisson, every, file };

struct arrival_spec {
  arrival_kind kind = arrival_kind::every;
  double rate = 0;     // poisson: requests per second
  double interval = 0; // every: seconds between requests (the first at 0)
  std::uint64_t count = 0;
  std::vector<double> times; // file: each request's time, seconds, in order
  std::string file;          // file: the path it was read from, as the loader found it

  // Each request's arrival time, seconds, in order (poisson: from a stream seeded with `seed`).
  std::vector<double> make(std::uint64_t seed) const;
};

} // namespace gilsim
