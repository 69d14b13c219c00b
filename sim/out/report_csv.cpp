// The per-thread CSV: one row per thread with the report's figures to the nanosecond, written as
// threads.csv into --out DIR. Names are quoted where they hold a comma, a quote or a line break.
#include "sim/out/report.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

namespace gilsim {

std::string csv_field(const std::string& text)
{
  if (text.find_first_of(",\"\r\n") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string report_threads_csv(const run_report& r)
{
  std::string out =
      "name,process,daemon,start_s,end_s,cpu_s,io_s,sleep_s,ready_wait_s,gil_wait_s,"
      "lock_wait_s,context_switches,gil_acquisitions\n";
  for (const auto& t : r.threads)
    out += fmt::format("{},{},{},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{},{}\n",
                       csv_field(t.name), csv_field(t.process), t.daemon ? 1 : 0, t.start_s, t.end_s, t.cpu_s, t.io_s,
                       t.sleep_s, t.ready_wait_s, t.gil_wait_s, t.lock_wait_s, t.context_switches,
                       t.gil_acquisitions);
  return out;
}

namespace {
std::string csv_text(const run_output& o) { return report_threads_csv(o.report); }

const bool registered = writer_registry::add({.name = "threads.csv",
                                              .option = "--out",
                                              .help = "write threads.csv into this directory",
                                              .to = sink::directory,
                                              .order = 60,
                                              .write = csv_text});
}  // namespace

}  // namespace gilsim
