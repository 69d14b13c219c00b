// The child processes of a batch: forked (and exec'd, or running a point in-process) with stdout
// and stderr on pipes, at most N at once, read with poll(); and the SIGINT/SIGTERM handling that
// lets an interrupted sweep end cleanly.
#include "sim/batch/sweep_detail.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <iostream>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gilsim::sweep::detail {

namespace {

volatile std::sig_atomic_t caught_signal = 0;

void on_signal(int sig)
{
  caught_signal = sig;
}

// Reads what is there; closes the fd and sets it to -1 at end of file.
void drain(int& fd, std::string& into)
{
  char buf[65536];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) {
    into.append(buf, static_cast<std::size_t>(n));
  } else if (n == 0 || errno != EINTR) {
    ::close(fd);
    fd = -1;
  }
}

}  // namespace

process_pool::process_pool(std::size_t max_jobs)
    : max_jobs_(max_jobs < 1 ? 1 : max_jobs)
{
}

process_pool::~process_pool()
{
  stop_all(SIGKILL);
}

void process_pool::start(long tag, const std::vector<std::string>& argv)
{
  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  spawn(tag, [&args] {
    ::signal(SIGPIPE, SIG_DFL);  // the sweep ignores it; an ignored signal survives exec
    ::execv(args[0], args.data());
    const char msg[] = "gilsim sweep: cannot exec the gilsim binary\n";
    [[maybe_unused]] auto ignored = ::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  });
}

void process_pool::start_forked(long tag, const std::function<int()>& body)
{
  // The child inherits this process's buffers: what they hold would be written twice.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  spawn(tag, [&body] {
    // As exec would leave them: a caught signal back to its default, an ignored one ignored
    // (a background job's SIGINT), SIGPIPE as a program starts with it.
    for (int sig : {SIGINT, SIGTERM}) {
      struct sigaction old {};
      ::sigaction(sig, nullptr, &old);
      if (old.sa_handler != SIG_IGN)
        ::signal(sig, SIG_DFL);
    }
    ::signal(SIGPIPE, SIG_DFL);
    int code = 2;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::cerr << "gilsim: " << e.what() << "\n";
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    // Not exit(): the parent's atexit handlers and static objects are not the child's to run.
    ::_exit(code);
  });
}

void process_pool::spawn(long tag, const std::function<void()>& in_child)
{
  int out_pipe[2], err_pipe[2];
  // O_CLOEXEC: a sibling must not inherit these write ends, or their EOF would wait for it.
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      ::close(fd);
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);  // the sweep died between fork() and prctl()
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      ::dup2(null_fd, 0);
      if (null_fd > 2)
        ::close(null_fd);
    }
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    // The pipes are O_CLOEXEC, which a child that runs in-process never reaches: it closes
    // its own and its siblings' ends here, as exec would.
    for (const auto& c : children_)
      for (int fd : {c.out_fd, c.err_fd})
        if (fd >= 0)
          ::close(fd);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      ::close(fd);
    in_child();
    ::_exit(127);  // unreachable: in_child ends the child
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  child c;
  c.tag = tag;
  c.pid = pid;
  c.out_fd = out_pipe[0];
  c.err_fd = err_pipe[0];
  children_.push_back(std::move(c));
}

std::optional<process_result> process_pool::wait_one()
{
  while (!children_.empty()) {
    // Stop before reaping: a child that died of the same Ctrl-C is not a failed point.
    if (interrupt_guard::caught())
      return std::nullopt;
    for (std::size_t i = 0; i < children_.size(); ++i)
      if (children_[i].out_fd < 0 && children_[i].err_fd < 0)
        return reap(i);
    std::vector<pollfd> fds;
    std::vector<std::pair<std::size_t, bool>> owner;  // child index, is stdout
    for (std::size_t i = 0; i < children_.size(); ++i) {
      if (children_[i].out_fd >= 0) {
        fds.push_back({children_[i].out_fd, POLLIN, 0});
        owner.emplace_back(i, true);
      }
      if (children_[i].err_fd >= 0) {
        fds.push_back({children_[i].err_fd, POLLIN, 0});
        owner.emplace_back(i, false);
      }
    }
    // The timeout bounds how late a SIGTERM sent to the sweep alone is noticed.
    int n = ::poll(fds.data(), fds.size(), 250);
    if (n < 0 && errno != EINTR)
      throw std::runtime_error(fmt::format("poll: {}", std::strerror(errno)));
    for (std::size_t k = 0; n > 0 && k < fds.size(); ++k) {
      if (fds[k].revents == 0)
        continue;
      child& c = children_[owner[k].first];
      if (owner[k].second)
        drain(c.out_fd, c.out);
      else
        drain(c.err_fd, c.err);
    }
  }
  return std::nullopt;
}

process_result process_pool::reap(std::size_t index)
{
  child c = std::move(children_[index]);
  children_.erase(children_.begin() + static_cast<long>(index));
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  process_result r;
  r.tag = c.tag;
  if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.term_signal = WTERMSIG(status);
  r.out = std::move(c.out);
  r.err = std::move(c.err);
  return r;
}

void process_pool::stop_all(int sig)
{
  for (auto& c : children_)
    ::kill(c.pid, sig);
  for (auto& c : children_) {
    for (int fd : {c.out_fd, c.err_fd})
      if (fd >= 0)
        ::close(fd);
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  children_.clear();
}

void start_gilsim(process_pool& pool, long tag, const std::vector<std::string>& args,
                  const point_runner& runner, const std::string& exe)
{
  if (runner) {
    pool.start_forked(tag, [&runner, &args] { return runner(args); });
    return;
  }
  std::vector<std::string> argv = {exe};
  argv.insert(argv.end(), args.begin(), args.end());
  pool.start(tag, argv);
}

interrupt_guard::interrupt_guard()
{
  caught_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  // With SIGPIPE ignored, a reader of the --json events that goes away (| head) costs the
  // events, not the sweep.
  ::sigaction(SIGPIPE, nullptr, &old_pipe_);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, nullptr);
  ::sigaction(SIGINT, nullptr, &old_int_);
  ::sigaction(SIGTERM, nullptr, &old_term_);
  // A shell starts background jobs with SIGINT ignored; such a sweep should keep ignoring it.
  if (old_int_.sa_handler != SIG_IGN)
    ::sigaction(SIGINT, &sa, nullptr);
  if (old_term_.sa_handler != SIG_IGN)
    ::sigaction(SIGTERM, &sa, nullptr);
}

interrupt_guard::~interrupt_guard()
{
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
  ::sigaction(SIGPIPE, &old_pipe_, nullptr);
}

int interrupt_guard::caught()
{
  return caught_signal;
}

}  // namespace gilsim::sweep::detail
