// The inputs gilsim's fuzzers feed to its parsers, shared by the libFuzzer harnesses (harness/)
// and by the regression test that runs the checked-in corpus in the normal suite. Each target
// returns normally when the parser accepts its input or refuses it with an input_error; any
// other exception, a crash or a sanitizer report is a finding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gilsim::fuzz {

// A scenario, then optional --set overrides: the bytes after the first line "%%" are overrides,
// one a line ("machine.cores=8").
void scenario(const std::uint8_t* data, std::size_t size);
// A --grid spec ("key=1..64:x2,7") on the first line, a --shard ("2/3") on the second.
void grid(const std::uint8_t* data, std::size_t size);
// A host profile's YAML text.
void profile(const std::uint8_t* data, std::size_t size);

}  // namespace gilsim::fuzz
