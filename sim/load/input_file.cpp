// Bounded reading of input files: a regular file, a size cap, UTF-8 checked with its position.
#include "sim/load/input_file.hpp"

#include "models/core/error.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gilsim {
namespace {

std::uint64_t env_limit(const char* name, std::uint64_t fallback)
{
  const char* v = std::getenv(name);
  if (!v || !*v)
    return fallback;
  std::uint64_t n = 0;
  const char* end = v + std::strlen(v);
  auto [p, ec] = std::from_chars(v, end, n);
  if (ec != std::errc() || p != end || n == 0)
    fail_input({name, 0, 0}, "",
               fmt::format("the environment variable {} must be a whole number of 1 or more, "
                           "got '{}'",
                           name, v));
  return n;
}

// The length of the UTF-8 sequence at s[i], or 0 when it is not a valid one (RFC 3629).
size_t utf8_length(const std::string& s, size_t i)
{
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80)
    return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong form
    hi = c == 0xED ? 0x9F : 0xBF;  // no surrogate
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi)
    return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF)
      return 0;
  return n;
}

}  // namespace

input_limits current_input_limits()
{
  input_limits d;
  return {env_limit("GILSIM_MAX_INPUT_BYTES", d.bytes), env_limit("GILSIM_MAX_YAML_NODES", d.nodes),
          env_limit("GILSIM_MAX_YAML_DEPTH", d.depth)};
}

void check_utf8(const std::string& text, const std::string& file_label, int col_offset,
                const std::string& key_path)
{
  int line = 1, col = 1 + col_offset;
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_length(text, i);
    if (n == 0)
      fail_input({file_label, line, col}, key_path,
                 fmt::format("invalid UTF-8 (byte 0x{:02x}): gilsim reads UTF-8 text only",
                             static_cast<unsigned char>(text[i])));
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;  // a column is a character, as yaml-cpp counts them
    }
    i += n;
  }
}

namespace {
// The text of the open file descriptor fd, read to its end with the size cap checked as it is
// read (a file that grows while it is read is still bounded); closes fd. `fail` does not return.
template <class F>
std::string read_bounded(int fd, const F& fail)
{
  const std::uint64_t cap = current_input_limits().bytes;
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      const int err = errno;
      ::close(fd);
      fail(std::strerror(err));
    }
    if (got == 0)
      break;
    if (text.size() + size_t(got) > cap) {
      ::close(fd);
      fail(fmt::format("it is larger than {} bytes; set GILSIM_MAX_INPUT_BYTES to raise the cap",
                       cap));
    }
    text.append(buf, size_t(got));
  }
  ::close(fd);
  return text;
}
}  // namespace

std::string read_input_file(const std::string& path, const std::string& what)
{
  const auto fail = [&](const std::string& why) {
    fail_input({path, 0, 0}, "", fmt::format("cannot read {}: {}", what, why));
  };
  // O_NONBLOCK: opening a FIFO must not wait for a writer before the check below refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool dir = S_ISDIR(st.st_mode);
    ::close(fd);
    fail(dir ? "it is a directory" : "it is not a regular file (a device, a pipe or a socket)");
  }
  std::string text = read_bounded(fd, fail);
  check_utf8(text, path);
  return text;
}

std::string read_input_stdin(const std::string& label, const std::string& what)
{
  const auto fail = [&](const std::string& why) {
    fail_input({label, 0, 0}, "", fmt::format("cannot read {} from standard input: {}", what, why));
  };
  const int fd = ::dup(0);  // read_bounded closes what it reads: not stdin itself
  if (fd < 0)
    fail(std::strerror(errno));
  std::string text = read_bounded(fd, fail);
  check_utf8(text, label);
  return text;
}

}  // namespace gilsim
