// The thread that takes SIGINT and SIGTERM for a single run (interrupt.hpp).
#include "sim/cli/interrupt.hpp"

#include "sim/out/writer.hpp"

#include <csignal>
#include <cstring>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace gilsim::cli {

namespace {

void say(const char* text)
{
  [[maybe_unused]] auto ignored = ::write(2, text, std::strlen(text));
}

}  // namespace

void take_interrupts()
{
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    if (old.sa_handler != SIG_IGN)
      sigaddset(&set, sig);
  }
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (::sigwait(&set, &sig) != 0) {
    }
    abandon_outputs();
    say(sig == SIGINT ? "gilsim: interrupted by SIGINT; the run stopped and left no partial file\n"
                      : "gilsim: terminated by SIGTERM; the run stopped and left no partial file\n");
    ::_exit(128 + sig);
  }).detach();
}

}  // namespace gilsim::cli
