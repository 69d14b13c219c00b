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

// Both signals are blocked in every thread, the engine's included, and taken here. One that the
// process was started with ignored (a background job of a script, nohup) stays ignored: it is
// taken and dropped. Left unblocked, it reached SimGrid's own SIGINT handler, which ended the
// run with exit 1 and no message.
void take_interrupts()
{
  sigset_t set, ignored;
  sigemptyset(&set);
  sigemptyset(&ignored);
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    sigaddset(&set, sig);
    if (old.sa_handler == SIG_IGN)
      sigaddset(&ignored, sig);
  }
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, ignored] {
    int sig = 0;
    while (::sigwait(&set, &sig) != 0 || sigismember(&ignored, sig)) {
    }
    abandon_outputs();
    say(sig == SIGINT ? "gilsim: interrupted by SIGINT; the run stopped and left no partial file\n"
                      : "gilsim: terminated by SIGTERM; the run stopped and left no partial file\n");
    ::_exit(128 + sig);
  }).detach();
}

}  // namespace gilsim::cli
