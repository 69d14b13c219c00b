// Bounded reading of the files gilsim loads (scenarios, host profiles): only regular files, at
// most a size cap, valid UTF-8. The caps are read from the environment so that an unusual input
// can raise them (docs/limits.md).
#pragma once

#include <cstdint>
#include <string>

namespace gilsim {

// The caps on one input, each from its environment variable when set (a whole number >= 1):
// GILSIM_MAX_INPUT_BYTES (default 4 MiB), GILSIM_MAX_YAML_NODES (default 1,000,000 nodes, an
// alias counted as many nodes as the anchored value it repeats) and GILSIM_MAX_YAML_DEPTH
// (default 100 levels of nested maps and lists).
struct input_limits {
  std::uint64_t bytes = 4u << 20;
  std::uint64_t nodes = 1000000;
  std::uint64_t depth = 100;
};
input_limits current_input_limits();

// The text of the file at `path`, which `what` names in messages ("the scenario"). A path that
// is not a regular file (a directory, /dev/zero, a pipe), one larger than the cap, or one that
// cannot be read is an input_error at FILE:0:0; invalid UTF-8 is one at its line and column.
std::string read_input_file(const std::string& path, const std::string& what);

// The same from standard input (`gilsim run -`), a pipe or a file alike, named `label` in
// messages; the same cap and UTF-8 check.
std::string read_input_stdin(const std::string& label, const std::string& what);

// Fails at the first byte of `text` that is not valid UTF-8 (overlong forms, surrogates and code
// points past U+10FFFF included), at its 1-based line and column in `file_label`; `col_offset`
// shifts the columns of the first line (a --set override's value starts after its '=') and
// `key_path` names the value.
void check_utf8(const std::string& text, const std::string& file_label, int col_offset = 0,
                const std::string& key_path = {});

}  // namespace gilsim
