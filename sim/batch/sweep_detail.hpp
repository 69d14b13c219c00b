// The pieces behind sweep.hpp: the result files (records, CSV, manifests, atomic writes) and
// the pool of child processes; a result that cannot be written is an output_error. Internal to
// sim/sweep*.cpp, and to validate.cpp, which runs its simulations through the pool; the tests
// use them too.
#pragma once

#include "sim/batch/sweep.hpp"
#include "sim/out/report.hpp"

#include <csignal>
#include <cstddef>
#include <filesystem>
#include <unistd.h>
#include <utility>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gilsim::sweep::detail {

// --- result files (sweep_files.cpp) ---

// One finished point as a line of points.jsonl: {point, params, seed, status, report | error}.
using record = nlohmann::ordered_json;

// The CSV columns: point, the swept columns, seed, status, the report's figures, error.
std::string csv_header(const std::vector<std::string>& columns);
std::string csv_row(const record& r, const std::vector<std::string>& columns);
using gilsim::csv_field;  // sim/out/report.hpp

// The records of a points.jsonl, in file order. A line that does not parse (a write cut short
// by a crash) is dropped and counted in `dropped`.
struct record_file {
  std::vector<record> records;
  int dropped = 0;
};
record_file read_records(const std::filesystem::path& path);

std::string read_text(const std::filesystem::path& path);
// Whole files (sweep.json, the sorted results) are written with write_file_whole
// (sim/out/writer.hpp): readers see the old file or the new one, never half of one.
// One write() of the whole line to a file opened with O_APPEND, so that concurrent or
// interrupted writers never leave half a line behind another.
void append_line(int fd, const std::string& line);

// "fnv1a64:" and 16 hex digits: enough to tell that a scenario file changed.
std::string content_hash(const std::string& bytes);

// What differs between two manifests that should describe the same sweep, if anything (the
// scenario's path may differ: shards run on other hosts; its content hash may not).
std::optional<std::string> manifest_difference(const nlohmann::ordered_json& a,
                                               const nlohmann::ordered_json& b);
// The swept columns a manifest describes.
std::vector<std::string> manifest_columns(const nlohmann::ordered_json& manifest);

// DIR/sweep.json, checked to be a sweep manifest; an input_error when it is not there or not one
// (sweep_run.cpp).
nlohmann::ordered_json read_manifest(const std::filesystem::path& dir);
// Writes the manifest into a new result directory, or checks that the directory's describes the
// same sweep: an input_error naming what differs, or for results without a manifest.
void claim_directory(const std::filesystem::path& dir, const nlohmann::ordered_json& manifest);

// --- child processes (sweep_pool.cpp) ---

struct process_result {
  long tag = 0;
  int exit_code = -1;  // -1 when killed by a signal
  int term_signal = 0;  // the signal that killed it, 0 if it exited
  std::string out;
  std::string err;
};

// Runs up to max_jobs processes at once, each with its stdout and stderr read through pipes.
// A child dies with its parent (PR_SET_PDEATHSIG), so a killed sweep leaves no orphans behind.
class process_pool {
public:
  explicit process_pool(std::size_t max_jobs);
  ~process_pool();
  process_pool(const process_pool&) = delete;
  process_pool& operator=(const process_pool&) = delete;

  bool full() const { return children_.size() >= max_jobs_; }
  bool empty() const { return children_.empty(); }
  // Starts the program argv[0] with these arguments.
  void start(long tag, const std::vector<std::string>& argv);
  // Forks a child that calls `body` and exits with what it returns, with no program to start.
  // The child's signals are as a started program's would be; what this process had buffered
  // on stdout is written first, so that the child does not write it again.
  void start_forked(long tag, const std::function<int()>& body);
  // Blocks until a child ends; nullopt when interrupt_guard::caught() says to stop.
  std::optional<process_result> wait_one();
  // Sends `sig` to every child and reaps them, discarding their output.
  void stop_all(int sig);

private:
  struct child {
    long tag = 0;
    int pid = -1;
    int out_fd = -1;
    int err_fd = -1;
    std::string out;
    std::string err;
  };
  // Forks with stdout and stderr on pipes; the child calls `in_child`, which never returns.
  void spawn(long tag, const std::function<void()>& in_child);
  process_result reap(std::size_t index);

  std::size_t max_jobs_;
  std::vector<child> children_;
};

// Starts gilsim with `args` (without the program's name): in a forked child that calls
// `runner` when there is one, else by starting `exe`.
void start_gilsim(process_pool& pool, long tag, const std::vector<std::string>& args,
                  const point_runner& runner, const std::string& exe);

// Catches SIGINT and SIGTERM while alive (unless they were ignored when it was made), so that
// the sweep stops launching, ends its children and leaves its files whole; ignores SIGPIPE.
class interrupt_guard {
public:
  interrupt_guard();
  ~interrupt_guard();
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;
  static int caught();  // the signal received, 0 if none

private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_pipe_ {};
};

// Closes a file descriptor when the run ends, however it ends.
struct fd_closer {
  int fd = -1;
  explicit fd_closer(int f = -1)
      : fd(f)
  {
  }
  fd_closer(fd_closer&& o) noexcept
      : fd(std::exchange(o.fd, -1))
  {
  }
  fd_closer& operator=(fd_closer&& o) noexcept
  {
    std::swap(fd, o.fd);
    return *this;
  }
  ~fd_closer()
  {
    if (fd >= 0)
      ::close(fd);
  }
};

// Creates the result directory if need be and takes it for this process: two sweeps would both
// run the missing points, and a merge into a live sweep's directory would replace its
// points.jsonl under the sweep's open handle.
fd_closer lock_directory(const std::filesystem::path& dir);
// An append-only descriptor of `path`, created if need be.
int open_append(const std::filesystem::path& path);

// JSON text of `j` (indented by `indent`, -1: one line) that is valid UTF-8 whatever its strings
// hold: a child's stderr, a file name, a swept value may carry bytes that are not, and each such
// byte is written as U+FFFD instead of failing the whole batch.
template <class Json>
std::string json_text(const Json& j, int indent = -1)
{
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace gilsim::sweep::detail
