// Micro-measurements of the host's operating system for gilsim calibrate: thread and process
// start, condition-variable wake-up, context switch, and the clocks they are read with.
// Each function returns one sample; the caller repeats it and takes the median (cost_fit.hpp).
#pragma once

#include <string>

namespace gilsim::measure {

double wall_seconds();        // a steady clock
double thread_cpu_seconds();  // this thread's CPU time: the kernel fit does not count preemption

// Seconds the creating thread spends to start one std::thread (mean over `batch` threads that
// exit at once; they are joined after the timed part).
double thread_start(int batch);

// Seconds the parent spends in fork() for one child (mean over `batch` children that exit at
// once; they are reaped after the timed part).
double process_start(int batch);

// Seconds for fork(), the child's exit and its reaping by waitpid, one child at a time.
double process_round_trip(int batch);

// Seconds from a condition variable's notify_one to the waiting thread running, from a ping-pong
// of `round_trips` between two threads (each round trip is two hand-offs).
double wakeup_latency(int round_trips);

// Seconds per switch between two threads pinned to one CPU that ping-pong a byte through two
// pipes (a round trip is two switches; the pipes' read and write are included, which makes it
// an upper bound). Returns a negative value when the threads cannot be pinned.
double context_switch(int round_trips);

// Text facts about the host for the profile's provenance.
std::string cpu_model();  // /proc/cpuinfo's model name, or "unknown"
std::string kernel_version();  // uname: sysname release machine
std::string compiler();  // the compiler that built this file, its version and build type
std::string gilsim_version();
double load_average();   // /proc/loadavg's 1-minute figure, or -1
// A warning line when the host is busy, `load` (the load average `when`) above half its
// `cores`: other processes make every figure slower and noisier (`consequence` says what that
// spoils). Empty when it is not.
std::string busy_warning(double load, int cores, const char* when, const char* consequence);
int online_cores();      // std::thread::hardware_concurrency(), at least 1

}  // namespace gilsim::measure
