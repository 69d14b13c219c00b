// What a run reports (docs: the README's "report's stable keys"): plain figures that the OS
// fills at the end of a run and the writers in sim/out print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gilsim {

struct thread_report {
  std::string name;
  std::string process;
  bool daemon = false;
  double start_s = 0;        // its arrival
  double first_run_s = -1;  // when it was first on a core; -1 if it never was
  double end_s = 0;
  double cpu_s = 0;         // time on a core doing the thread's work
  double io_s = 0;          // blocked in I/O
  double sleep_s = 0;       // blocked in sleep
  double ready_wait_s = 0;  // runnable, waiting for a core
  double gil_wait_s = 0;    // waiting for its process's GIL
  double lock_wait_s = 0;   // waiting for a user lock (until it can run again)
  long context_switches = 0;  // times a core switched to this thread from another one
  long gil_acquisitions = 0;
};

// The textbook's per-job figures (OSTEP chapter 7) of a thread: response is its first run less
// its arrival (a thread that never ran: its end less its arrival), turnaround its end less its
// arrival, wait the time it was ready but not on a core (ready_wait_s).
struct job_figures {
  double response_s = 0, turnaround_s = 0, wait_s = 0;
};
job_figures job_of(const thread_report& t);

// Their means over the jobs: every thread but the daemons, which are stopped rather than done.
struct jobs_summary {
  long count = 0;
  double mean_response_s = 0, mean_turnaround_s = 0, mean_wait_s = 0;
};
bool is_job(const thread_report& t);

struct core_report {
  int id = 0;
  double busy_s = 0;  // thread work plus context-switch overhead
  double utilization = 0;
  long context_switches = 0;
  std::string group;  // its group ("" when the machine gave a number of cores)
  double speed = 1;   // relative to the reference core
  // With machine.cache: how much of busy_s its threads ran warm in its cache.
  std::optional<double> warm_s;
};

// A distribution's summary: count, mean and the nearest-rank percentiles.
struct sample_summary {
  long count = 0;
  double mean = 0, p50 = 0, p99 = 0, max = 0;
};
sample_summary summarize(std::vector<double> samples);

struct gil_report {
  std::string model;  // new | old | none; "native" for native processes
  long switches = 0;   // hand-offs of the GIL from one thread to another
  long forced_switches = 0;
  sample_summary convoy;  // I/O completion to GIL re-taken
};

struct process_report {
  std::string name;
  std::string runtime;
  gil_report gil;
};

// A group of like cores: its cores' busy time together.
struct group_report {
  std::string name;
  int cores = 0;
  double speed = 1;
  double busy_s = 0;
  double utilization = 0;  // busy_s / (cores x makespan)
};

// A workload's requests (its items): latency from each one's arrival (0 when every item is
// queued at the start) to the end of the work that took it, nearest-rank percentiles, and the
// throughput: requests done / (last done - first arrival).
struct latency_report {
  std::uint64_t count = 0;
  double mean_s = 0, p50_s = 0, p90_s = 0, p99_s = 0;
  double throughput_per_s = 0;
};
// The summary of (latency in s, how many requests had it) samples; `span_s` is the time from the
// first arrival to the last request done.
latency_report summarize_latency(const std::vector<std::pair<double, std::uint64_t>>& samples,
                                 double span_s);

struct run_report {
  std::string scenario;
  std::string policy;
  int core_count = 0;
  std::uint64_t seed = 1;
  std::string status = "ok";  // ok | deadlock | limit
  std::string message;        // why the run stopped early, if it did
  double makespan_s = 0;
  std::uint64_t events = 0;
  double wall_s = 0;
  std::vector<thread_report> threads;
  std::vector<core_report> cores;
  std::vector<group_report> groups;  // only when the machine is given as groups
  std::vector<process_report> processes;
  std::optional<latency_report> latency;  // a workload's requests (scenarios with a workload)
};

jobs_summary summarize_jobs(const run_report& r);

}  // namespace gilsim
