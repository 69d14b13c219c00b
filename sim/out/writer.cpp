// The writer registry, the choice of writers from the options given, and the writing itself.
#include "sim/out/writer.hpp"

#include "models/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <ostream>
#include <set>
#include <unistd.h>

#include <zlib.h>

namespace gilsim {

std::map<std::string, writer>& writer_registry::entries()
{
  static std::map<std::string, writer> e;
  return e;
}

bool writer_registry::add(writer w)
{
  GILSIM_ASSERT(w.write, "a writer has a write function");
  GILSIM_ASSERT(!w.option.empty() || w.to == sink::console,
                "only a console writer may go without an option (the default)");
  std::string name = w.name;
  GILSIM_ASSERT(entries().emplace(std::move(name), std::move(w)).second,
                "writer names are unique");
  return true;
}

std::vector<const writer*> writer_registry::all()
{
  std::vector<const writer*> out;
  for (const auto& [name, w] : entries())
    out.push_back(&w);
  std::stable_sort(out.begin(), out.end(),
                   [](const writer* a, const writer* b) { return a->order < b->order; });
  return out;
}

const writer* writer_registry::find(const std::string& name)
{
  auto it = entries().find(name);
  return it == entries().end() ? nullptr : &it->second;
}

std::vector<chosen_writer> choose_writers(const given_option& given)
{
  std::vector<chosen_writer> out;
  const writer* console = nullptr;
  const writer* fallback = nullptr;
  for (const writer* w : writer_registry::all()) {
    if (w->option.empty()) {
      if (!fallback)
        fallback = w;
      continue;
    }
    auto value = given(w->option);
    if (!value || (!w->choice.empty() && *value != w->choice))
      continue;
    if (w->to != sink::console)
      out.push_back({w, *value});
    else if (!console)
      console = w;
  }
  if (!console)
    console = fallback;
  if (console)
    out.push_back({console, ""});
  return out;
}

bool any_needs_trace(const std::vector<chosen_writer>& chosen)
{
  return std::any_of(chosen.begin(), chosen.end(),
                     [](const chosen_writer& c) { return c.w->needs_trace; });
}

namespace {

namespace fs = std::filesystem;

[[noreturn]] void cannot_write(const fs::path& p, const std::string& why)
{
  throw output_error(fmt::format("cannot write {}: {}", p.string(), why));
}

// Every temporary not yet renamed, so that an interrupted run can remove them; held while a
// file is written and through a whole commit, and for good once abandon_outputs() took it.
std::mutex& writing()
{
  static std::mutex m;
  return m;
}
std::set<std::string>& temporaries()
{
  static std::set<std::string> t;
  return t;
}

// What goes into the file at p: a path ending in .gz is written gzip-compressed.
std::string encoded(const std::string& text, const fs::path& p)
{
  if (p.extension() != ".gz")
    return text;
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    cannot_write(p, "gzip could not start");
  std::string out(deflateBound(&z, uLong(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = uInt(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  int rc = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  if (rc != Z_STREAM_END)
    cannot_write(p, "gzip failed");
  out.resize(z.total_out);
  return out;
}

void write_all(int fd, std::string_view text, const fs::path& shown)
{
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      cannot_write(shown, std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
}

// Text going into an open file through a buffer of a MiB, gzip-compressed on the way for a .gz
// path; finish() writes what is left. A failure closes the file and is an output_error.
class file_stream {
public:
  file_stream(int fd, const fs::path& shown) : fd_(fd), shown_(shown), gz_(shown.extension() == ".gz")
  {
    if (gz_ && deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                            Z_DEFAULT_STRATEGY) != Z_OK)
      fail("gzip could not start");
  }
  ~file_stream()
  {
    if (gz_)
      deflateEnd(&z_);
  }
  file_stream(const file_stream&) = delete;
  file_stream& operator=(const file_stream&) = delete;

  void put(std::string_view piece)
  {
    buf_.append(piece);
    if (buf_.size() >= buffer_size)
      flush(false);
  }
  void finish() { flush(true); }

private:
  static constexpr std::size_t buffer_size = std::size_t(1) << 20;

  [[noreturn]] void fail(const std::string& why)
  {
    ::close(fd_);
    cannot_write(shown_, why);
  }

  void flush(bool last)
  {
    if (!gz_) {
      write_all(fd_, buf_, shown_);
      buf_.clear();
      return;
    }
    z_.next_in = reinterpret_cast<Bytef*>(buf_.data());
    z_.avail_in = uInt(buf_.size());
    out_.resize(std::size_t(1) << 16);
    int rc = Z_OK;
    do {
      z_.next_out = reinterpret_cast<Bytef*>(out_.data());
      z_.avail_out = uInt(out_.size());
      rc = deflate(&z_, last ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR)
        fail("gzip failed");
      write_all(fd_, std::string_view(out_.data(), out_.size() - z_.avail_out), shown_);
    } while (last ? rc != Z_STREAM_END : z_.avail_out == 0);
    buf_.clear();
  }

  int fd_;
  fs::path shown_;
  bool gz_;
  z_stream z_{};
  std::string buf_, out_;
};

bool exists_not_regular(const fs::path& p)
{
  std::error_code ec;
  auto st = fs::status(p, ec);
  return !ec && fs::exists(st) && !fs::is_regular_file(st);
}

// The directory a new file at `p` goes into must exist and take a new file: tried with one.
void probe_directory(const fs::path& dir, const fs::path& shown)
{
  std::error_code ec;
  auto st = fs::status(dir, ec);
  if (!fs::exists(st))
    cannot_write(shown, fmt::format("{} does not exist", dir.string()));
  if (!fs::is_directory(st))
    cannot_write(shown, fmt::format("{} is not a directory", dir.string()));
  auto probe = dir / fmt::format(".gilsim-probe-{}", ::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    cannot_write(shown, std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

fs::path parent_of(const fs::path& p)
{
  return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

void check_file(const fs::path& p)
{
  std::error_code ec;
  auto st = fs::status(p, ec);
  if (fs::is_directory(st))
    cannot_write(p, "it is a directory");
  if (fs::exists(st) && !fs::is_regular_file(st))
    return;  // a device or a pipe, written in place
  probe_directory(parent_of(p), p);
}

// The nearest of `dir` and its parents that exists.
fs::path existing_ancestor(fs::path dir)
{
  std::error_code ec;
  while (!dir.empty() && !fs::exists(fs::symlink_status(dir, ec)) && dir.has_parent_path() &&
         dir.parent_path() != dir)
    dir = dir.parent_path();
  std::error_code ec2;
  return fs::exists(fs::symlink_status(dir, ec2)) ? dir : fs::path(".");
}

void check_directory(const fs::path& dir, const std::string& file)
{
  std::error_code ec;
  auto st = fs::status(dir, ec);
  if (fs::exists(st) && !fs::is_directory(st))
    cannot_write(dir / file, fmt::format("{} is not a directory", dir.string()));
  if (fs::exists(st)) {
    check_file(dir / file);
    return;
  }
  probe_directory(existing_ancestor(dir), dir / file);
}

// Creates `dir` and the parents it lacks; returns the ones it made, deepest first, so that a
// failed run can take them away again.
std::vector<fs::path> make_directories(const fs::path& dir)
{
  std::vector<fs::path> made;
  std::error_code ec;
  for (fs::path d = dir; !d.empty() && !fs::exists(fs::symlink_status(d, ec));
       d = d.parent_path()) {
    made.push_back(d);
    if (!d.has_parent_path() || d.parent_path() == d)
      break;
  }
  fs::create_directories(dir, ec);
  if (ec)
    cannot_write(dir, ec.message());
  return made;
}

}  // namespace

output_files::~output_files()
{
  discard();
}

void output_files::discard() noexcept
{
  std::lock_guard<std::mutex> hold(writing());
  for (const auto& f : files_)
    if (!f.temp.empty()) {
      ::unlink(f.temp.c_str());
      temporaries().erase(f.temp.string());
    }
  files_.clear();
}

void output_files::add(const fs::path& path, const std::string& text)
{
  add_streamed(path, [&](const text_out& out) { out(text); });
}

void output_files::add_streamed(const fs::path& path,
                                const std::function<void(const text_out&)>& make)
{
  if (exists_not_regular(path)) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
      cannot_write(path, "it is a directory");
    std::string text;
    make([&](std::string_view piece) { text.append(piece); });
    files_.push_back({path, {}, std::move(text)});
    return;
  }
  fs::path temp = path;
  temp += fmt::format(".tmp-{}", ::getpid());
  std::lock_guard<std::mutex> hold(writing());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    cannot_write(path, std::strerror(errno));
  temporaries().insert(temp.string());
  files_.push_back({path, temp, {}});
  {
    file_stream to(fd, path);  // closes fd when it fails
    try {
      make([&](std::string_view piece) { to.put(piece); });
    } catch (const output_error&) {
      throw;
    } catch (...) {
      ::close(fd);
      throw;
    }
    to.finish();
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    cannot_write(path, std::strerror(err));
  }
  if (::close(fd) != 0)
    cannot_write(path, std::strerror(errno));
}

void output_files::commit()
{
  std::lock_guard<std::mutex> hold(writing());
  // In-place files first: a device that fails (/dev/full) still leaves no renamed file.
  for (const auto& f : files_) {
    if (!f.temp.empty())
      continue;
    int fd = ::open(f.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
      cannot_write(f.path, std::strerror(errno));
    write_all(fd, encoded(f.text, f.path), f.path);
    if (::close(fd) != 0)
      cannot_write(f.path, std::strerror(errno));
  }
  std::set<std::string> dirs;
  for (const auto& f : files_) {
    if (f.temp.empty())
      continue;
    if (::rename(f.temp.c_str(), f.path.c_str()) != 0)
      cannot_write(f.path, std::strerror(errno));
    temporaries().erase(f.temp.string());
    dirs.insert(parent_of(f.path).string());
  }
  files_.clear();
  // The renames themselves reach the disk with their directories.
  for (const auto& d : dirs) {
    int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
}

void write_file_whole(const fs::path& path, const std::string& text)
{
  output_files one;
  one.add(path, text);
  one.commit();
}

void abandon_outputs() noexcept
{
  writing().lock();  // never released: the process is ending
  for (const auto& t : temporaries())
    ::unlink(t.c_str());
  temporaries().clear();
}

void check_outputs(const std::vector<chosen_writer>& chosen)
{
  for (const auto& c : chosen) {
    if (c.w->to == sink::file)
      check_file(c.where);
    else if (c.w->to == sink::directory)
      check_directory(c.where, c.w->name);
  }
}

void write_outputs(const std::vector<chosen_writer>& chosen, const run_output& o,
                   std::ostream& console)
{
  output_files files;
  std::vector<fs::path> made;
  try {
    for (const auto& c : chosen) {
      if (c.w->to == sink::file && c.w->stream) {
        files.add_streamed(c.where, [&](const text_out& out) { c.w->stream(o, out); });
      } else if (c.w->to == sink::file) {
        files.add(c.where, c.w->write(o));
      } else if (c.w->to == sink::directory) {
        auto more = make_directories(c.where);
        made.insert(made.end(), more.begin(), more.end());
        files.add(fs::path(c.where) / c.w->name, c.w->write(o));
      }
    }
    for (const auto& c : chosen)
      if (c.w->to == sink::console)
        console << c.w->write(o);
    console.flush();
    if (!console)
      throw output_error("cannot write the standard output");
    files.commit();
  } catch (...) {
    files.discard();  // the temporaries go before the directories made for them
    std::error_code ec;
    for (const auto& d : made)
      fs::remove(d, ec);  // only if empty: nothing but this run's files was in them
    throw;
  }
}

std::string xml_escaped(const std::string& text)
{
  std::string out;
  for (char c : text)
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  return out;
}

}  // namespace gilsim
