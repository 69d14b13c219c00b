// SIGINT and SIGTERM during a single run: the run stops at once with exit code 128 + the signal
// (130, 143) and one line on stderr, and leaves no file behind (sim/out/writer.hpp's
// abandon_outputs). A sweep has its own handling, which keeps its finished points.
#pragma once

namespace gilsim::cli {

// Blocks the two signals in this thread, and so in every thread started after it (SimGrid's
// own handler, which exits with 1, never runs), and takes them in a thread of its own. Made
// before the engine starts; lasts until the process ends. A signal ignored when it is made (a
// shell's background job) stays ignored.
void take_interrupts();

}  // namespace gilsim::cli
