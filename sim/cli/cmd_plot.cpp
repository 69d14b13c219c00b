// gilsim plot: draw a sweep's results.csv with gnuplot (sim/batch/plot.hpp).
#include "sim/cli/command.hpp"

#include "sim/batch/plot.hpp"

#include <iostream>

namespace gilsim::cli {

namespace {

struct plot_options {
  std::string csv;
  std::string kind = "makespan";
  plot::selection sel;
  plot::figure fig;
  bool no_fit = false;
};

int draw(plot_options& o)
{
  o.fig.what = plot::parse_kind(o.kind);
  o.fig.with_amdahl = !o.no_fit;
  return plot::run_command(o.csv, o.sel, o.fig, std::cout, std::cerr);
}

}  // namespace

command add_plot(CLI::App& app)
{
  auto o = std::make_shared<plot_options>();
  auto* sub = app.add_subcommand("plot", "draw a sweep's results.csv with gnuplot: makespan, "
                                         "speedup or efficiency, with Amdahl's law fitted");
  sub->add_option("results", o->csv, "the sweep's results.csv")->required();
  sub->add_option("--x", o->sel.x, "the x column (a swept key: machine.cores)")->required();
  sub->add_option("--y", o->sel.y, "the y column [makespan_s]");
  sub->add_option("--series", o->sel.series, "a column whose values make the curves "
                                             "(repeatable)");
  sub->add_option("--where", o->sel.where, "only rows with column=value (repeatable)");
  sub->add_option("--kind", o->kind, "makespan (y itself), speedup or efficiency [makespan]");
  sub->add_option("--out", o->fig.out, "FILE.svg or FILE.png [plot-KIND.svg beside the CSV]");
  sub->add_option("--title", o->fig.title, "the plot's title");
  sub->add_flag("--logx", o->fig.log_x, "x on a log2 scale");
  sub->add_flag("--logy", o->fig.log_y, "y on a log10 scale");
  sub->add_flag("--no-amdahl", o->no_fit, "no Amdahl fit, drawn or printed (for an x that "
                                          "is not a count of cores)");
  return {sub, [o] { return draw(*o); }};
}

}  // namespace gilsim::cli
