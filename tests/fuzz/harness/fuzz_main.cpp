// The libFuzzer entry point, built once per target of tests/fuzz/targets.hpp with
// GILSIM_FUZZ_TARGET naming it (scenario, grid, profile); only with -DGILSIM_FUZZ=ON (clang).
#include "tests/fuzz/targets.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  gilsim::fuzz::GILSIM_FUZZ_TARGET(data, size);
  return 0;
}
