// Formatting and raising of the two failure kinds declared in error.hpp.
#include "models/core/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

namespace gilsim {

static std::string render(const source_pos& pos, const std::string& key_path,
                          const std::string& message)
{
  std::string where = pos.file.empty() ? std::string("<input>") : pos.file;
  if (pos.line > 0)
    where = pos.col > 0 ? fmt::format("{}:{}:{}", where, pos.line, pos.col)
                        : fmt::format("{}:{}", where, pos.line);
  return key_path.empty() ? fmt::format("{}: {}", where, message)
                          : fmt::format("{}: {}: {}", where, key_path, message);
}

input_error::input_error(source_pos pos, std::string key_path, std::string message)
    : std::runtime_error(render(pos, key_path, message))
    , pos_(std::move(pos))
    , key_path_(std::move(key_path))
    , message_(std::move(message))
{
}

void fail_input(const source_pos& pos, const std::string& key_path, const std::string& message)
{
  throw input_error(pos, key_path, message);
}

namespace detail {
void assertion_failed(const char* rule, const char* file, int line)
{
  std::fprintf(stderr, "gilsim: internal rule broken: %s (%s:%d)\n", rule, file, line);
  std::abort();
}
}  // namespace detail

}  // namespace gilsim
