// The HTML page of a run (report_html.cpp) and the figures it draws from the trace
// (report_html_figures.cpp): per-lock holds and waits, and the requests' latency histogram.
#pragma once

#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <string>
#include <vector>

namespace gilsim {

// The page `--html FILE` writes.
std::string html_report(const run_output& o);

// A lock's figures over the run: how many times a thread came to hold it and for how long in
// all (a semaphore's holders each count), the longest hold; how many waits began on it, their
// time in all (each to the waiter's next change of state) and the longest.
struct lock_figure {
  long holds = 0, waits = 0;
  double held_s = 0, longest_hold_s = 0, waited_s = 0, longest_wait_s = 0;
};
std::vector<lock_figure> lock_figures(const run_trace& tr);  // by lock index

// The requests' latencies as a histogram: `bins` equal bins from 0 to the longest latency,
// each request counted once, with the mean, p50 and p99 marked. Counts per bin, for the test.
std::vector<std::uint64_t> latency_bins(const run_trace& tr, int bins, double& width_s);
// An inline SVG of it with a tooltip per bar, or a note when the run had no requests.
std::string latency_histogram(const run_trace& tr);

}  // namespace gilsim
