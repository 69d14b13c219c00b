// CPython's `random` module for the few draws the homework simulators make: the Mersenne
// Twister (MT19937) seeded as random.seed(n) seeds it from an integer (init_by_array over n's
// 32-bit words, low first), getrandbits(k) for k <= 32, and randbelow(n) as random.choice and
// random.randrange draw an index (getrandbits of n's bit length, again while >= n). The same
// seed gives the same draws as CPython's, so `steal_from: multi_py` picks the CPUs multi.py
// picks.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace gilsim {

class python_random {
public:
  explicit python_random(std::uint64_t seed)
  {
    std::vector<std::uint32_t> key;
    for (std::uint64_t n = seed; n > 0; n >>= 32)
      key.push_back(std::uint32_t(n & 0xffffffffu));
    if (key.empty())
      key.push_back(0);
    init_by_array(key);
  }

  std::uint32_t next()
  {
    if (index_ >= n)
      twist();
    std::uint32_t y = mt_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
  }

  std::uint32_t getrandbits(int k) { return k <= 0 ? 0 : next() >> (32 - k); }

  // 0 <= r < bound (bound >= 1), as CPython's _randbelow_with_getrandbits.
  std::uint32_t randbelow(std::uint32_t bound)
  {
    int k = 0;
    for (std::uint32_t b = bound; b > 0; b >>= 1)
      ++k;
    std::uint32_t r = getrandbits(k);
    while (r >= bound)
      r = getrandbits(k);
    return r;
  }

private:
  static constexpr int n = 624;

  void init_genrand(std::uint32_t s)
  {
    mt_[0] = s;
    for (int i = 1; i < n; ++i)
      mt_[size_t(i)] = 1812433253u * (mt_[size_t(i - 1)] ^ (mt_[size_t(i - 1)] >> 30)) +
                       std::uint32_t(i);
    index_ = n;
  }

  void init_by_array(const std::vector<std::uint32_t>& key)
  {
    init_genrand(19650218u);
    size_t i = 1, j = 0;
    for (size_t k = std::max(size_t(n), key.size()); k > 0; --k) {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + key[j] +
               std::uint32_t(j);
      if (++i >= size_t(n)) {
        mt_[0] = mt_[n - 1];
        i = 1;
      }
      if (++j >= key.size())
        j = 0;
    }
    for (size_t k = n - 1; k > 0; --k) {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - std::uint32_t(i);
      if (++i >= size_t(n)) {
        mt_[0] = mt_[n - 1];
        i = 1;
      }
    }
    mt_[0] = 0x80000000u;
  }

  void twist()
  {
    for (int i = 0; i < n; ++i) {
      std::uint32_t y = (mt_[size_t(i)] & 0x80000000u) | (mt_[size_t((i + 1) % n)] & 0x7fffffffu);
      mt_[size_t(i)] = mt_[size_t((i + 397) % n)] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
    }
    index_ = 0;
  }

  std::array<std::uint32_t, n> mt_{};
  int index_ = n;
};

}  // namespace gilsim
