// A word for /bin/sh: the calibration commands run interpreters and programs through popen.
#pragma once

#include <string>

namespace gilsim::detail {

// `s` in single quotes, each quote inside written as '\''.
inline std::string shell_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace gilsim::detail
