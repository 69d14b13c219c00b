// Running `gilsim choose`: the workload file checked, its points written as scenarios and run
// as batches (two rounds per core count, each a resumable result directory), and the ranking.
#pragma once

#include "sim/batch/sweep.hpp"
#include "sim/choose/choose.hpp"

#include <string>
#include <vector>

namespace gilsim::choose {

// What the ranking minimises: the makespan, the CPU used, the requests' 99th percentile
// latency, or (maximises) their throughput.
enum class goal { makespan, cpu, p99, throughput };
const char* goal_name(goal g);

struct options {
  std::string file;
  goal by = goal::makespan;
  std::vector<int> cores;  // empty: the workload's machine
  int max_workers = 64;    // threads and processes searched over 1..max_workers
  std::string profile;     // --profile: the host profile (also exported to the points)
  bool json = false;
  std::string html;        // --html FILE: the page written there
  sweep::options batch;    // out_dir, jobs, retry_failed
};

// One point as ranked: its candidate, its figures, its speedup over sync.
struct row {
  candidate c;
  figures f;
  double speedup = 0;
  std::string scenario;  // the scenario file that ran it
};

// A point's figure under the goal (makespan_s, cpu_s, latency p99, throughput per second).
double goal_figure(goal by, const figures& f);
// The same, lower is better (throughput: its inverse); the search of the second round looks
// around each approach's best by it, and the ranking orders by it.
double score(goal by, const figures& f);

// One core count's answer: every point that ran and the best of each approach, ranked.
struct ranking {
  int cores = 1;
  std::vector<row> points;  // in the order run
  std::vector<row> ranked;  // the best point of each approach, best first
  int failed = 0;           // points that ran but did not finish
  int refused = 0;          // points the execution models cannot make of this workload
  bool requests = false;    // the workload's items are arrivals: latency and throughput shown
};

// Refuses a workload that names what choose searches (model, workers, distribution, ...), at
// its key, and any other mistake as `gilsim run` would (FILE:LINE:COL).
void check_workload(const std::string& file, const std::string& profile);

// Simulates every point for each core count and ranks them; the result directories and
// choose.csv go in o.batch.out_dir. Returns the exit code of the points' runs (0: all ran).
int run(const options& o, std::vector<ranking>& out);

// The answer as text, as JSON, and as CSV (every point, with its rank if it is ranked).
std::string table_text(const options& o, const std::vector<ranking>& r);
std::string table_json(const options& o, const std::vector<ranking>& r);
std::string table_csv(const std::vector<ranking>& r);
// One self-contained HTML page: each core count's table and a plot of the goal's figure against
// the worker count (sim/choose/choose_html.cpp).
std::string table_html(const options& o, const std::vector<ranking>& r);

}  // namespace gilsim::choose
