// gilsim plot: the Amdahl fit on speedups of a known serial fraction, speedup and efficiency
// from a hand-written results.csv, grouping, the gnuplot script, and runs without gnuplot.
#include "models/core/error.hpp"
#include "sim/batch/plot.hpp"
#include "tests/support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
namespace pl = gilsim::plot;

namespace {

// A results.csv as `gilsim sweep` writes it: two models over 1, 2 and 4 cores, two seeds each
// for threads (averaged), one failed point (left out) whose error holds a comma and a line break.
const char* sweep_csv =
    "point,machine.cores,workload.model,seed,status,makespan_s,events,wall_s,utilization,"
    "gil_switches,gil_forced_switches,convoy_p99_s,error\n"
    "0,1,threads,1,ok,8,10,0.1,1,0,0,,\n"
    "1,1,threads,2,ok,12,10,0.1,1,0,0,,\n"
    "2,1,processes,1,ok,10,10,0.1,1,,,,\n"
    "3,2,threads,1,ok,10,10,0.1,1,0,0,,\n"
    "4,2,threads,2,ok,10,10,0.1,1,0,0,,\n"
    "5,2,processes,1,ok,5,10,0.1,1,,,,\n"
    "6,4,threads,1,ok,10,10,0.1,1,0,0,,\n"
    "7,4,threads,2,failed,,,,,,,,\"gilsim: deadlock, at 1 s\n  a holds b\"\n"
    "8,4,processes,1,ok,4,10,0.1,1,,,,\n";

fs::path temp_dir(const std::string& name)
{
  auto d = fs::temp_directory_path() / ("gilsim-plot-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

fs::path write(const fs::path& p, const std::string& text)
{
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string slurp(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const pl::series& named(const pl::grouped& g, const std::string& name)
{
  for (const auto& s : g.all)
    if (s.name == name)
      return s;
  FAIL("no series " << name);
  throw;
}

pl::grouped models_by_cores()
{
  pl::selection sel;
  sel.x = "machine.cores";
  sel.series = {"workload.model"};
  return pl::group(pl::parse_csv(sweep_csv, "results.csv"), sel);
}

} // namespace

TEST_CASE("plot: the Amdahl fit recovers f from exact speedups")
{
  const std::vector<double> n = {1, 2, 4, 8, 16, 32, 64};
  for (double f : {0.0, 0.02, 0.1, 0.5, 1.0}) {
    std::vector<double> s;
    for (double k : n)
      s.push_back(pl::amdahl(f, k));
    auto fit = pl::fit_amdahl(n, s);
    REQUIRE(fit.ok);
    CHECK(fit.f == Approx(f).margin(1e-9));
    CHECK(fit.rms < 1e-9);
  }
  CHECK(pl::amdahl(0.1, 1) == Approx(1));
  CHECK(pl::amdahl(0.1, 64) == Approx(1 / (0.1 + 0.9 / 64)));
}

TEST_CASE("plot: the Amdahl fit recovers f within a small noise")
{
  std::mt19937 gen(7);
  std::uniform_real_distribution<double> noise(-0.02, 0.02);
  const std::vector<double> n = {1, 2, 4, 8, 16, 32, 64};
  for (double f : {0.05, 0.2}) {
    std::vector<double> s;
    for (double k : n)
      s.push_back(pl::amdahl(f, k) * (1 + noise(gen)));
    auto fit = pl::fit_amdahl(n, s);
    CHECK(fit.f == Approx(f).margin(0.01));
    CHECK(fit.rms > 0);
  }
  // Slower with more: the fit saturates at f = 1; superlinear: at f = 0.
  CHECK(pl::fit_amdahl({1, 2, 4}, {1, 0.9, 0.8}).f == 1.0);
  CHECK(pl::fit_amdahl({1, 2, 4}, {1, 2.5, 5}).f == 0.0);
  CHECK_FALSE(pl::fit_amdahl({1}, {1}).ok);
}

TEST_CASE("plot: rows group by series, seeds average, failed rows are left out")
{
  auto g = models_by_cores();
  REQUIRE(g.all.size() == 2);
  CHECK(g.all[0].name == "model=threads"); // in the order of their first row
  CHECK(g.all[1].name == "model=processes");
  CHECK(g.skipped == 1);
  const auto& th = named(g, "model=threads");
  REQUIRE(th.samples.size() == 3);
  CHECK(th.samples[0].x == 1);
  CHECK(th.samples[0].y == 10); // (8 + 12) / 2
  CHECK(th.samples[0].runs == 2);
  CHECK(th.samples[2].runs == 1); // its other seed failed
  CHECK(g.x_unit.empty());
}

TEST_CASE("plot: speedup and efficiency from a results.csv")
{
  auto g = models_by_cores();
  const auto& pr = named(g, "model=processes");
  CHECK(pl::speedups(pr) == std::vector<double>{1, 2, 2.5});
  CHECK(pl::efficiencies(pr) == std::vector<double>{1, 1, 0.625});
  CHECK(pl::values(pr, pl::kind::makespan) == std::vector<double>{10, 5, 4});
  const auto& th = named(g, "model=threads");
  CHECK(pl::speedups(th) == std::vector<double>{1, 1, 1});
  // processes: 1 / (f + (1 - f) / 4) = 2.5 at 4 cores means f = 0.2, and 2 at 2 cores f = 0.
  auto fit = pl::fit_amdahl(pr);
  CHECK(fit.f > 0.0);
  CHECK(fit.f < 0.2);
  CHECK(pl::fit_amdahl(th).f == Approx(1));
}

TEST_CASE("plot: a swept column that is neither x nor a series must not vary in one sample")
{
  pl::selection sel;
  sel.x = "machine.cores";
  auto t = pl::parse_csv(sweep_csv, "results.csv");
  CHECK_THROWS_WITH(pl::group(t, sel),
                    Contains("results.csv:4: workload.model: rows of series 'makespan_s' at "
                             "machine.cores = 1 differ") &&
                        Contains("add --series workload.model"));
  sel.where = {"workload.model=processes"};
  auto g = pl::group(t, sel);
  REQUIRE(g.all.size() == 1);
  CHECK(g.all[0].samples.size() == 3);
  sel.x = "machine.core";
  CHECK_THROWS_WITH(pl::group(t, sel), Contains("--x: no column 'machine.core' in results.csv"));
}

TEST_CASE("plot: durations on x keep their common unit, else become seconds")
{
  const std::string head = "point,python.switch_interval,seed,status,convoy_p99_s\n";
  pl::selection sel;
  sel.x = "python.switch_interval";
  sel.y = "convoy_p99_s";
  auto g = pl::group(
      pl::parse_csv(head + "0,0.5ms,1,ok,0.0005\n1,20ms,1,ok,0.02\n2,5ms,1,ok,\n", "a.csv"), sel);
  CHECK(g.x_unit == "ms");
  CHECK(g.skipped == 1); // no convoy figure
  REQUIRE(g.all.at(0).samples.size() == 2);
  CHECK(g.all[0].samples[1].x == 20);
  g = pl::group(pl::parse_csv(head + "0,500us,1,ok,1\n1,1ms,1,ok,1\n", "b.csv"), sel);
  CHECK(g.x_unit == "s");
  CHECK(g.all.at(0).samples[0].x == Approx(0.0005));
  CHECK_THROWS_WITH(pl::group(pl::parse_csv(head + "0,fast,1,ok,1\n", "c.csv"), sel),
                    Contains("c.csv:2: python.switch_interval: 'fast' is neither a number"));
  CHECK_THROWS_WITH(pl::parse_csv("a,b\n1\n", "d.csv"),
                    Contains("d.csv:2: 1 fields where the header has 2"));
}

TEST_CASE("plot: the gnuplot data and script")
{
  auto g = models_by_cores();
  std::vector<pl::amdahl_fit> fits = {pl::fit_amdahl(g.all[0]), pl::fit_amdahl(g.all[1])};
  const std::string data = pl::gnuplot_data(g.all);
  CHECK_THAT(data, Contains("# series 0: model=threads\n1 10 1 1 2\n2 10 1 0.5 2\n4 10 1 0.25 1\n"
                            "\n\n# series 1: model=processes\n1 10 1 1 1\n2 5 2 1 1\n"
                            "4 4 2.5 0.625 1\n"));
  pl::selection sel;
  sel.x = "machine.cores";
  sel.series = {"workload.model"};
  pl::figure fig;
  fig.what = pl::kind::speedup;
  fig.title = "it's a test";
  fig.log_x = true;
  const std::string gp = pl::gnuplot_script(g, fits, sel, fig, "cores.dat", "cores.svg");
  CHECK_THAT(gp, Contains("set terminal svg"));
  CHECK_THAT(gp, Contains("set output 'cores.svg'"));
  CHECK_THAT(gp, Contains("set title 'it''s a test'"));
  CHECK_THAT(gp, Contains("set logscale x 2"));
  CHECK_THAT(gp, Contains("'cores.dat' index 0 using 1:3 with linespoints lc 1"));
  CHECK_THAT(gp, Contains("title 'model=threads'"));
  CHECK_THAT(gp, Contains("'cores.dat' index 1 using 1:3 with linespoints lc 2"));
  CHECK_THAT(gp, Contains("amdahl1(x) with lines lc 2 dt 2"));
  CHECK_THAT(gp, Contains("title 'Amdahl f = 1.000'"));
  CHECK_THAT(gp, Contains("(x < 1 ? 1/0 : x / 1) with lines")); // the ideal speedup
  fig.what = pl::kind::makespan;
  fig.with_amdahl = false;
  const std::string mk = pl::gnuplot_script(g, fits, sel, fig, "m.dat", "m.png");
  CHECK_THAT(mk, Contains("set terminal pngcairo"));
  CHECK_THAT(mk, Contains("'m.dat' index 1 using 1:2"));
  CHECK_THAT(mk, !Contains("amdahl") && !Contains("ideal"));
}

TEST_CASE("plot: without gnuplot the script and data are written and the command succeeds")
{
  auto dir = temp_dir("missing");
  auto csv = write(dir / "results.csv", sweep_csv);
  setenv("GILSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
  auto r = gilsim::test::run_cli({"plot", csv.string(), "--x", "machine.cores", "--series",
                                  "workload.model", "--kind", "efficiency", "--out",
                                  (dir / "eff.png").string()});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("gnuplot not found (/nonexistent/gnuplot)"));
  CHECK_THAT(r.err, Contains("gnuplot eff.gp"));
  CHECK_THAT(r.out, Contains("model=processes"));
  CHECK_THAT(slurp(dir / "eff.gp"), Contains("set output 'eff.png'"));
  CHECK_THAT(slurp(dir / "eff.dat"), Contains("# series 1: model=processes"));
  CHECK_FALSE(fs::exists(dir / "eff.png"));

  r = gilsim::test::run_cli({"plot", csv.string(), "--x", "machine.cores", "--kind", "fast"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--kind: 'fast': expected makespan, speedup or efficiency"));
  r = gilsim::test::run_cli({"plot", csv.string(), "--x", "machine.cores", "--out", "a.pdf"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("plot: gnuplot runs in the output's directory, and its failure is exit code 1")
{
  auto dir = temp_dir("fake");
  auto csv = write(dir / "results.csv", sweep_csv);
  // A stand-in for gnuplot: writes the file named by the script's `set output`.
  auto fake = write(dir / "fake-gnuplot",
                    "#!/bin/sh\nout=$(sed -n \"s/^set output '\\(.*\\)'$/\\1/p\" \"$1\")\n"
                    "echo drawn > \"$out\"\n");
  fs::permissions(fake, fs::perms::owner_all);
  setenv("GILSIM_GNUPLOT", fake.c_str(), 1);
  const std::vector<std::string> args = {
      "plot",           csv.string(), "--x",     "machine.cores", "--series",
      "workload.model", "--kind",     "speedup", "--out",         (dir / "sp.svg").string()};
  auto r = gilsim::test::run_cli(args);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("wrote " + (dir / "sp.svg").string()));
  CHECK(slurp(dir / "sp.svg") == "drawn\n");

  write(fake, "#!/bin/sh\nexit 3\n");
  r = gilsim::test::run_cli(args);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("failed on") && Contains("exit code 3"));
  CHECK_FALSE(fs::exists(dir / "sp.svg")); // no stale image
}
