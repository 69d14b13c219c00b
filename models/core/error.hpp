// The two kinds of failure gilsim keeps apart: a user's mistake (input_error, exit code 2,
// reported as FILE:LINE:COL: key.path: message) and a broken internal rule (GILSIM_ASSERT).
#pragma once

#include <stdexcept>
#include <string>

namespace gilsim {

// Where a value came from: a scenario file position, or a --set override.
struct source_pos {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int col = 0;   // 1-based; 0 when unknown
};

// A mistake in the user's input. The command line catches it and exits with code 2.
class input_error : public std::runtime_error {
public:
  input_error(source_pos pos, std::string key_path, std::string message);
  const source_pos& pos() const { return pos_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

private:
  source_pos pos_;
  std::string key_path_;
  std::string message_;
};

// The one function that raises a user error.
[[noreturn]] void fail_input(const source_pos& pos, const std::string& key_path,
                             const std::string& message);

// A simulation that could not finish (deadlock, a limit reached): exit code 1.
class simulation_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace detail {
[[noreturn]] void assertion_failed(const char* rule, const char* file, int line);
}

}  // namespace gilsim

// A broken internal rule: names the rule, never a user's mistake.
#define GILSIM_ASSERT(cond, rule)                                        \
  do {                                                                   \
    if (!(cond)) ::gilsim::detail::assertion_failed(rule, __FILE__, __LINE__); \
  } while (0)
