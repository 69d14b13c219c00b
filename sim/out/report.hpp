// The report writers: summary table, JSON, CSV (the figures: sim/os/run_report.hpp).
#pragma once

#include "sim/os/run_report.hpp"

#include <string>

namespace gilsim {

std::string report_json(const run_report& r);         // one JSON document, stable keys
std::string report_threads_csv(const run_report& r);  // one row per thread
// A CSV field (RFC 4180): quoted, with its quotes doubled, when it holds , " or a line break.
std::string csv_field(const std::string& text);
std::string report_summary(const run_report& r);      // the human-readable table
// The per-job figures as the OSTEP homework prints them ("Final statistics"), in `unit` (s, ms,
// us; empty: the one that reads best for the longest turnaround). Empty if there is no job.
std::string jobs_table(const run_report& r, const std::string& unit = "");

}  // namespace gilsim
