// `gilsim plot`'s output: the data file and gnuplot script written beside the image, gnuplot run
// on them when it is installed, and the fitted Amdahl serial fraction of every series printed.
#include "sim/batch/plot.hpp"

#include "models/core/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace gilsim::plot {

namespace fs = std::filesystem;

namespace {

// A gnuplot string literal: single quotes take everything but a quote, which is doubled.
std::string quote(const std::string& text)
{
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string number(double v)
{
  return fmt::format("{:.9g}", v);
}

// The data file's column for each kind (see gnuplot_data).
int column_of(kind k)
{
  return k == kind::makespan ? 2 : k == kind::speedup ? 3 : 4;
}

std::string y_label(const selection& s, kind k, const std::string& x_text)
{
  if (k == kind::speedup)
    return fmt::format("speedup ({} at the smallest {} / {})", s.y, x_text, s.y);
  if (k == kind::efficiency)
    return fmt::format("efficiency (speedup / ({} / its smallest))", x_text);
  return s.y;
}

// The program to run: GILSIM_GNUPLOT or `gnuplot`, a path or a name looked up on PATH; empty
// when there is no such executable.
std::string find_gnuplot(std::string& wanted)
{
  const char* env = std::getenv("GILSIM_GNUPLOT");
  wanted = env && *env ? env : "gnuplot";
  if (wanted.find('/') != std::string::npos)
    return access(wanted.c_str(), X_OK) == 0 ? wanted : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + wanted;
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

// The x axis on a log scale. gnuplot's tics fall on powers of the base, rarely where the
// samples are (0.1, 0.2, 0.5 ms), so a few distinct x get a tic each; the range reaches a little
// beyond the samples, so that the end points (and their tics) stay clear of the border.
std::string log_x_axis(const grouped& g)
{
  std::set<double> xs;
  for (const auto& s : g.all)
    for (const auto& p : s.samples)
      xs.insert(p.x);
  std::string out = "set logscale x 2\n";
  if (xs.empty())
    return out;
  out += fmt::format("set xrange [{}:{}]\n", number(*xs.begin() / 1.1), number(*xs.rbegin() * 1.1));
  if (xs.size() > 16)
    return out;
  std::string tics;
  for (double x : xs)
    tics += (tics.empty() ? "" : ", ") + fmt::format("'{:g}' {}", x, number(x));
  return out + "set xtics (" + tics + ")\n";
}

// The top of a speedup or efficiency axis: the highest measured or fitted value, not the ideal
// line, which would flatten every curve of a GIL-bound series against the bottom.
double y_top(const grouped& g, const std::vector<amdahl_fit>& fits, const figure& f)
{
  double top = f.what == kind::efficiency ? 1.0 : 2.0;
  for (std::size_t i = 0; i < g.all.size(); ++i) {
    const auto& ser = g.all[i];
    for (double v : values(ser, f.what))
      top = std::max(top, v);
    if (f.with_amdahl && i < fits.size() && fits[i].ok) {
      double n = ser.samples.back().x / ser.samples.front().x;
      double s = amdahl(fits[i].f, n);
      top = std::max(top, f.what == kind::speedup ? s : s / n);
    }
  }
  return top * 1.1;
}

// Runs `program script` in `dir` (the script names its files without a directory); its exit
// code, or -1 when it could not start or was killed.
int run_in(const std::string& program, const fs::path& dir, const std::string& script)
{
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0)
      _exit(127);
    execl(program.c_str(), program.c_str(), script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_text(const fs::path& p, const std::string& text)
{
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out)
    fail_input({p.string()}, "", "cannot write this file");
}

} // namespace

std::string gnuplot_data(const std::vector<series>& all)
{
  std::string out = "# gilsim plot data: one block per series (gnuplot: index 0, 1, ...)\n"
                    "# columns: x, y (the mean over runs), speedup, efficiency, runs\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& s = all[i];
    auto sp = speedups(s);
    auto ef = efficiencies(s);
    out += fmt::format("{}# series {}: {}\n", i ? "\n\n" : "", i, s.name);
    for (std::size_t j = 0; j < s.samples.size(); ++j)
      out += fmt::format("{} {} {} {} {}\n", number(s.samples[j].x), number(s.samples[j].y),
                         number(sp[j]), number(ef[j]), s.samples[j].runs);
  }
  return out;
}

std::string gnuplot_script(const grouped& g, const std::vector<amdahl_fit>& fits,
                           const selection& s, const figure& f, const std::string& data_name,
                           const std::string& out_name)
{
  const std::string x_text = s.x + (g.x_unit.empty() ? "" : " (" + g.x_unit + ")");
  const bool svg = out_name.size() > 4 && out_name.substr(out_name.size() - 4) == ".svg";
  std::string out;
  out += fmt::format("# gilsim plot: {} of {} by {}; the data, one block per series: {}\n",
                     kind_name(f.what), s.y, s.x, data_name);
  out += fmt::format("# Draw it again (after editing, say) from this directory: gnuplot {}.gp\n",
                     fs::path(out_name).stem().string());
  out += svg ? "set terminal svg size 1000,560 dynamic noenhanced font 'Sans,12'\n"
             : "set terminal pngcairo size 1000,560 noenhanced font 'Sans,11'\n";
  out += "set output " + quote(out_name) + "\n";
  out += "set title " + quote(f.title) + "\n";
  out += "set xlabel " + quote(x_text) + "\n";
  out += "set ylabel " + quote(y_label(s, f.what, x_text)) + "\n";
  out += "set grid\nset samples 400\n";
  // Okabe-Ito's colours: told apart with any colour vision, and none too pale on white.
  const char* colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                           "#E69F00", "#56B4E9", "#000000", "#8C564B"};
  for (int i = 0; i < 8; ++i)
    out += fmt::format("set linetype {} lc rgb '{}'\n", i + 1, colours[i]);
  out += "set linetype cycle 8\n";
  // Outside the plot the key never hides a curve, however the curves run.
  out += "set key outside right top Left reverse box\n";
  if (f.log_x)
    out += log_x_axis(g);
  if (f.log_y)
    out += "set logscale y 10\n";
  else if (f.what != kind::makespan)
    out += fmt::format("set yrange [0:{}]\n", number(y_top(g, fits, f)));
  std::vector<std::string> curves;
  const int col = column_of(f.what);
  bool any_fit = false;
  for (std::size_t i = 0; i < g.all.size(); ++i) {
    const auto& ser = g.all[i];
    // A point type of its own too, so that curves lying on one another stay visible.
    const int point_types[] = {7, 5, 9, 11, 13, 15};
    curves.push_back(fmt::format("{} index {} using 1:{} with linespoints lc {} pt {} ps 0.9 "
                                 "lw 2 title {}",
                                 quote(data_name), i, col, i + 1, point_types[i % 6],
                                 quote(ser.name)));
    if (!f.with_amdahl || i >= fits.size() || !fits[i].ok)
      continue;
    if (!any_fit)
      out += "# Amdahl's law fitted to each series' speedups: S(n) = 1 / (f + (1 - f) / n), "
             "n = x / the series' smallest x\n";
    any_fit = true;
    out += fmt::format("f{0} = {1}; x{0} = {2}; y{0} = {3}\n", i, number(fits[i].f),
                       number(ser.samples.front().x), number(ser.samples.front().y));
    // Undefined below the series' first x (1/0 is gnuplot's "no value"): n < 1 means nothing.
    out += fmt::format("amdahl{0}(x) = x < x{0} ? 1/0 : 1 / (f{0} + (1 - f{0}) / (x / x{0}))\n", i);
    std::string fn = f.what == kind::speedup      ? fmt::format("amdahl{}(x)", i)
                     : f.what == kind::efficiency ? fmt::format("amdahl{0}(x) / (x / x{0})", i)
                                                  : fmt::format("y{0} / amdahl{0}(x)", i);
    curves.push_back(fmt::format("{} with lines lc {} dt 2 lw 1.5 title {}", fn, i + 1,
                                 quote(fmt::format("Amdahl f = {:.3f}", fits[i].f))));
  }
  if (f.what != kind::makespan && !g.all.empty() && !g.all.front().samples.empty()) {
    double x0 = g.all.front().samples.front().x;
    for (const auto& ser : g.all)
      x0 = std::min(x0, ser.samples.front().x);
    curves.push_back(fmt::format(
        "{} with lines lc rgb 'gray40' dt 3 title 'ideal'",
        f.what == kind::speedup ? fmt::format("(x < {0} ? 1/0 : x / {0})", number(x0)) : "1"));
  }
  out += "plot ";
  for (std::size_t i = 0; i < curves.size(); ++i)
    out += (i ? ", \\\n     " : "") + curves[i];
  return out + "\n";
}

namespace {

// Refuses what the scales cannot show, and fits each series' speedups.
std::vector<amdahl_fit> checked_fits(const grouped& g, const figure& f)
{
  std::vector<amdahl_fit> fits;
  for (const auto& ser : g.all) {
    const std::vector<double> ys = values(ser, f.what);
    for (std::size_t j = 0; j < ser.samples.size(); ++j) {
      const auto& p = ser.samples[j];
      if (f.log_x && p.x <= 0)
        fail_input({"--logx"}, "",
                   fmt::format("series '{}' has x = {} (log scale)", ser.name, p.x));
      if (f.log_y && ys[j] <= 0)
        fail_input({"--logy"}, "",
                   fmt::format("series '{}' has y <= 0 at x = {} (log scale)", ser.name, p.x));
      if (f.what != kind::makespan && (p.y <= 0 || ser.samples.front().x <= 0))
        fail_input(
            {"--kind"}, "",
            fmt::format("series '{}': {} needs x > 0 and y > 0", ser.name, kind_name(f.what)));
    }
    fits.push_back(fit_amdahl(ser));
  }
  return fits;
}

void print_series(std::ostream& out, const grouped& g, const std::vector<amdahl_fit>& fits,
                  const selection& s, const figure& f)
{
  // Each series' ends and, unless told otherwise, its fitted serial fraction: the study's figure.
  std::size_t width = 6;
  for (const auto& ser : g.all)
    width = std::max(width, ser.name.size());
  out << fmt::format(
      "{}{} by {}: {} series{}{}\n",
      f.what == kind::makespan ? "" : kind_name(f.what) + std::string(" of "), s.y, s.x,
      g.all.size(),
      g.skipped ? fmt::format(" ({} rows not ok or without {} left out)", g.skipped, s.y) : "",
      f.with_amdahl ? "; Amdahl's law fitted to the speedups (n = x / smallest x)" : "");
  std::string head = fmt::format("  {:<{}}  {:>6}  {:>9}  {:>10}  {:>9}  {:>10}  {:>8}", "series",
                                 width, "points", "min x", "y", "max x", "y", "speedup");
  out << head << (f.with_amdahl ? fmt::format("  {:>8}  {:>8}", "f", "rms") : "") << "\n";
  for (std::size_t i = 0; i < g.all.size(); ++i) {
    const auto& ser = g.all[i];
    const auto& lo = ser.samples.front();
    const auto& hi = ser.samples.back();
    out << fmt::format("  {:<{}}  {:>6}  {:>9.4g}  {:>10.4g}  {:>9.4g}  {:>10.4g}  {:>8.3f}",
                       ser.name, width, ser.samples.size(), lo.x, lo.y, hi.x, hi.y,
                       speedups(ser).back());
    if (f.with_amdahl)
      out << fmt::format("  {:>8}  {:>8}", fits[i].ok ? fmt::format("{:.4f}", fits[i].f) : "-",
                         fits[i].ok ? fmt::format("{:.4f}", fits[i].rms) : "-");
    out << "\n";
  }
}

} // namespace

int run_command(const std::string& csv_path, const selection& s, figure f, std::ostream& out,
                std::ostream& err)
{
  if (f.out.empty())
    f.out =
        (fs::path(csv_path).parent_path() / fmt::format("plot-{}.svg", kind_name(f.what))).string();
  const fs::path image(f.out);
  const std::string ext = image.extension().string();
  if (ext != ".svg" && ext != ".png")
    fail_input({"--out"}, "", fmt::format("'{}': the image must end in .svg or .png", f.out));
  if (f.title.empty())
    f.title = fmt::format("{}{} by {}",
                          f.what == kind::makespan ? "" : kind_name(f.what) + std::string(": "),
                          s.y, s.x);

  grouped g = group(read_csv(csv_path), s);
  if (g.all.empty())
    fail_input({csv_path}, "", fmt::format("nothing to plot: no ok row has a value in '{}'", s.y));
  const std::vector<amdahl_fit> fits = checked_fits(g, f);
  print_series(out, g, fits, s, f);

  const fs::path dir = image.parent_path().empty() ? fs::path(".") : image.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stem = image.stem().string();
  const fs::path data = dir / (stem + ".dat"), script = dir / (stem + ".gp");
  write_text(data, gnuplot_data(g.all));
  write_text(script,
             gnuplot_script(g, fits, s, f, data.filename().string(), image.filename().string()));

  std::string wanted;
  const std::string program = find_gnuplot(wanted);
  if (program.empty()) {
    err << fmt::format("gilsim: gnuplot not found ({}); wrote {} and {}: draw {} later with: "
                       "cd {} && gnuplot {}\n",
                       wanted, script.string(), data.string(), image.string(), dir.string(),
                       script.filename().string());
    return 0;
  }
  fs::remove(image, ec); // so that a failed run leaves no stale image behind
  int rc = run_in(program, dir, script.filename().string());
  if (rc != 0 || !fs::exists(image)) {
    err << fmt::format("gilsim: {} failed on {} (exit code {}); the script and data are kept\n",
                       program, script.string(), rc);
    return 1;
  }
  out << fmt::format("wrote {} (script {}, data {})\n", image.string(), script.string(),
                     data.string());
  return 0;
}

} // namespace gilsim::plot
