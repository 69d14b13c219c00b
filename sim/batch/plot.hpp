// `gilsim plot`: a sweep's results.csv as curves (makespan, speedup, efficiency) with Amdahl's law
// fitted to each series' speedups, drawn by gnuplot or left as a script and data to draw later.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace gilsim::plot {

// A CSV file: its header and rows (RFC 4180: quoted fields may hold commas, quotes, line breaks).
struct table {
  std::string label; // the file, for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines; // each row's first line in the file (1-based), for messages
  int column(const std::string& name) const; // -1 when absent
};
table parse_csv(const std::string& text, const std::string& label);
table read_csv(const std::string& path); // an input_error when it cannot be read

enum class kind { makespan, speedup, efficiency };
kind parse_kind(const std::string& text); // an input_error naming --kind on anything else
const char* kind_name(kind k);

// Which columns make a plot: x, y, the columns whose values name a series, and filters.
struct selection {
  std::string x;
  std::string y = "makespan_s";
  std::vector<std::string> series; // none: one series of every row
  std::vector<std::string> where;  // "column=value": only the rows that match
};

// One x of a series: y is the mean over the rows that share it (the seeds of a sweep).
struct sample {
  double x = 0;
  double y = 0;
  int runs = 0;
};

struct series {
  std::string name;            // "count=8, model=threads" (the last segment of each key)
  std::vector<sample> samples; // sorted by x
};

// The ok rows (status "ok" when the column exists) with a y, grouped by series in the order
// their first row appears, each sorted by x. x and y are numbers; x may also be a duration
// ("2ms"): when every x has the same unit, x is in that unit (x_unit names it), else in seconds.
// Rows of one series and x that differ in another swept column (between `point` and `seed`) are
// an input_error: averaging them would hide that column; --series or --where says what to do.
struct grouped {
  std::vector<series> all;
  std::string x_unit; // "ms" etc., empty for plain numbers
  int skipped = 0;    // rows not ok, or without a y
};
grouped group(const table& t, const selection& s);

// speedup_i = y at the smallest x / y_i; efficiency_i = speedup_i / (x_i / smallest x).
std::vector<double> speedups(const series& s);
std::vector<double> efficiencies(const series& s);
std::vector<double> values(const series& s, kind k);

// Amdahl's law: the speedup on n times the resources when a fraction f of the work is serial.
double amdahl(double f, double n);

// The f in [0, 1] that minimises the squared error between the measured speedups and
// amdahl(f, n_i) (n_i = x_i / smallest x). Speedups below 1 pull f to 1, superlinear ones to 0.
struct amdahl_fit {
  bool ok = false; // false with fewer than two x or a smallest x <= 0: nothing to fit
  double f = 0;
  double rms = 0; // root mean square of the speedup residuals
};
amdahl_fit fit_amdahl(const std::vector<double>& n, const std::vector<double>& speedup);
amdahl_fit fit_amdahl(const series& s);

// How to draw: what `gilsim plot` takes besides the selection.
struct figure {
  kind what = kind::makespan;
  std::string title; // default: "<kind>: <y> by <x>"
  std::string out;   // FILE.svg or FILE.png; default: plot-<kind>.svg beside the CSV
  bool log_x = false;
  bool log_y = false;
  bool with_amdahl = true;
};

// The data file: one block per series (gnuplot's `index i`), columns x, y, speedup, efficiency,
// runs, each block headed by a comment naming its series.
std::string gnuplot_data(const std::vector<series>& all);

// The gnuplot script that draws `data_name` into `out_name` (bare file names: gnuplot runs in
// their directory), one curve per series and, when asked, each one's fitted Amdahl curve.
std::string gnuplot_script(const grouped& g, const std::vector<amdahl_fit>& fits,
                           const selection& s, const figure& f, const std::string& data_name,
                           const std::string& out_name);

// The command: reads, groups, fits, prints the fitted f per series on `out`, writes FILE.dat
// and FILE.gp beside the output and runs gnuplot on them (GILSIM_GNUPLOT names the program,
// default `gnuplot` on PATH). Without gnuplot it says so on `err` and returns 0: the script and
// data are there to draw later. Returns 1 when gnuplot fails; input errors are input_errors.
int run_command(const std::string& csv_path, const selection& s, figure f, std::ostream& out,
                std::ostream& err);

} // namespace gilsim::plot
