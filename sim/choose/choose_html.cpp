// gilsim choose --html: one self-contained page (no script, no network) with each core count's
// ranking as a table and a plot of the goal's figure against the worker count, one line per
// approach (its best chunksize at each count), each point with a tooltip.
#include "sim/choose/choose_run.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace gilsim::choose {
namespace {

const char* axis_label(goal by)
{
  switch (by) {
  case goal::cpu: return "CPU used (s)";
  case goal::p99: return "p99 latency (s)";
  case goal::throughput: return "throughput (requests/s)";
  case goal::makespan: break;
  }
  return "makespan (s)";
}

// Eight colours told apart in print and by most colour-blind readers (Okabe and Ito), then
// dashes for the approaches beyond them.
const char* const palette[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                               "#56b4e9", "#d55e00", "#f0e442", "#000000"};

// The plot's frame: log scales on both axes (worker counts double, figures span decades).
struct frame {
  static constexpr double W = 720, H = 360, left = 70, right = 220, top = 20, bottom = 50;
  double lo, hi, x_max;
  double x(int workers) const
  {
    return left + (W - left - right) * std::log2(double(workers)) / x_max;
  }
  double y(double v) const
  {
    return top + (H - top - bottom) * (1 - std::log(v / lo) / std::log(hi / lo));
  }
};

// The frame, its ticks and axis labels, opening the <svg>.
std::string axes(const frame& f, goal by, int most)
{
  const double W = frame::W, H = frame::H, left = frame::left, right = frame::right,
               top = frame::top, bottom = frame::bottom;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{} against workers\">\n",
      W, H, W, H, axis_label(by));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
                     "stroke=\"#888\"/>\n",
                     left, top, W - left - right, H - top - bottom);
  for (int k = 1; k <= most; k *= 2)
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}"
                       "</text>\n",
                       f.x(k), H - bottom + 16, k);
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">workers "
                     "(threads, processes or tasks)</text>\n",
                     left + (W - left - right) / 2, H - 10);
  for (double v : {f.lo, std::sqrt(f.lo * f.hi), f.hi})
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{:.4g}"
                       "</text>\n",
                       left - 6, f.y(v) + 4, v);
  svg += fmt::format("<text x=\"14\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\" "
                     "transform=\"rotate(-90 14 {:.1f})\">{}</text>\n",
                     top + (H - top - bottom) / 2, top + (H - top - bottom) / 2, axis_label(by));
  return svg;
}

std::string tooltip_of(goal by, const row& w)
{
  return xml_escaped(fmt::format("{}{}{}: {} {:.6g}, makespan {:.6g} s, CPU {:.6g} s", w.c.approach,
                             w.c.workers > 0 ? fmt::format(", {} workers", w.c.workers_text()) : "",
                             w.c.chunksize > 0 ? fmt::format(", chunksize {}", w.c.chunksize)
                                               : "",
                             goal_name(by), goal_figure(by, w.f), w.f.makespan, w.f.cpu));
}

// The goal's range over the points that finished, and the most workers.
frame frame_of(goal by, const ranking& r, int& most)
{
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  most = 1;
  for (const auto& w : r.points) {
    const double v = goal_figure(by, w.f);
    if (v > 0) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    most = std::max(most, w.c.workers);
  }
  if (lo == hi) {
    lo /= 2;
    hi *= 2;
  }
  return {lo, hi, std::max(1.0, std::log2(double(most)))};
}

std::string plot(const options& o, const ranking& r)
{
  // For each approach with workers, its best point (by the goal) at each worker count.
  std::map<std::string, std::map<int, const row*>> lines;
  std::vector<const row*> flat;  // approaches without workers: one level each
  for (const auto& w : r.points) {
    if (w.c.workers <= 0) {
      flat.push_back(&w);
      continue;
    }
    auto& at = lines[w.c.approach][w.c.workers];
    if (!at || score(o.by, w.f) < score(o.by, at->f))
      at = &w;
  }
  int most = 1;
  const frame fr = frame_of(o.by, r, most);
  if (!(fr.hi > 0))
    return "<p>No point finished: nothing to plot.</p>\n";
  const auto x = [&](int workers) { return fr.x(workers); };
  const auto y = [&](double v) { return fr.y(v); };
  const double W = frame::W, right = frame::right, left = frame::left;
  std::string svg = axes(fr, o.by, most);
  std::size_t k = 0;
  double legend_y = frame::top + 10;
  const auto legend = [&](const std::string& name, const std::string& style) {
    svg += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" {}/>\n",
                       W - right + 10, legend_y, W - right + 34, legend_y, style);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\">{}</text>\n",
                       W - right + 40, legend_y + 4, xml_escaped(name));
    legend_y += 16;
  };
  const auto tooltip = [&](const row& w) { return tooltip_of(o.by, w); };

  for (const auto& [name, at] : lines) {
    const std::string colour = palette[k % 8];
    const std::string style =
        fmt::format("stroke=\"{}\" stroke-width=\"2\" fill=\"none\"{}", colour,
                    k >= 8 ? " stroke-dasharray=\"6 3\"" : "");
    ++k;
    std::string points;
    std::string dots;
    for (const auto& [workers, w] : at) {
      const double v = goal_figure(o.by, w->f);
      if (!(v > 0))
        continue;
      points += fmt::format("{:.1f},{:.1f} ", x(workers), y(v));
      dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{}"
                          "</title></circle>\n",
                          x(workers), y(v), colour, tooltip(*w));
    }
    svg += fmt::format("<polyline points=\"{}\" {}/>\n{}", points, style, dots);
    legend(name, style);
  }
  for (const row* w : flat) {
    const double v = goal_figure(o.by, w->f);
    if (!(v > 0))
      continue;
    const std::string style = "stroke=\"#666\" stroke-width=\"1\" stroke-dasharray=\"2 3\"";
    svg += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" {}><title>{}</title>"
                       "</line>\n",
                       left, y(v), W - right, y(v), style, tooltip(*w));
    legend(w->c.approach + " (no workers)", style);
  }
  return svg + "</svg>\n";
}

std::string table(const ranking& r)
{
  std::string t = "<table>\n<tr><th>rank</th><th>approach</th><th>workers</th><th>chunksize</th>"
                  "<th>makespan (s)</th><th>speedup</th>";
  if (r.requests)
    t += "<th>p99 (s)</th><th>requests/s</th>";
  t += "<th>CPU (s)</th><th>processes</th><th>threads</th><th>dominant</th></tr>\n";
  int rank = 0;
  for (const auto& w : r.ranked) {
    const auto [name, share] = dominant(w.f.split);
    t += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.6g}</td>"
                     "<td>{:.2f}x</td>",
                     ++rank, xml_escaped(w.c.approach), w.c.workers_text(),
                     w.c.chunksize > 0 ? std::to_string(w.c.chunksize) : "-", w.f.makespan,
                     w.speedup);
    if (r.requests)
      t += fmt::format("<td>{:.6g}</td><td>{:.1f}</td>", w.f.latency_p99, w.f.throughput);
    t += fmt::format("<td>{:.6g}</td><td>{}</td><td>{}</td><td>{} {:.0f}%</td></tr>\n", w.f.cpu,
                     w.f.peak_processes, w.f.peak_threads, xml_escaped(name), share * 100);
  }
  return t + "</table>\n";
}

}  // namespace

std::string table_html(const options& o, const std::vector<ranking>& rs)
{
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>gilsim choose: {}</title>\n<style>\nbody {{ font-family: sans-serif; margin: 2em; "
      "}}\ntable {{ border-collapse: collapse; margin: 1em 0; }}\ntd, th {{ border: 1px solid "
      "#ccc; padding: 2px 8px; text-align: right; }}\ntd:nth-child(2), th:nth-child(2) {{ "
      "text-align: left; }}\n</style>\n</head>\n<body>\n<h1>gilsim choose: {}</h1>\n"
      "<p>Goal: {} ({}). Each approach's best point is ranked; the plot shows every point "
      "that ran, one line per approach (its best chunksize at each worker count); hover a point "
      "for its figures.</p>\n",
      xml_escaped(o.file), xml_escaped(o.file), goal_name(o.by),
      o.by == goal::throughput ? "higher is better" : "lower is better");
  for (const auto& r : rs) {
    page += fmt::format("<h2>{} core{}: {} points</h2>\n", r.cores, r.cores == 1 ? "" : "s",
                        r.points.size());
    page += table(r);
    page += plot(o, r);
  }
  return page + "</body>\n</html>\n";
}

}  // namespace gilsim::choose
