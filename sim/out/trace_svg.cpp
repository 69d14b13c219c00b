// Writes a run_trace as an SVG Gantt chart: a row per core, then per process a GIL lane and a
// row per thread, coloured by state, over a time axis. Each row is rasterised to one column per
// pixel (the state that filled most of it wins), so a huge run stays small and readable.
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace gilsim {

namespace {

constexpr int label_w = 170, plot_w = 1000, row_h = 16, gap = 4, max_thread_rows = 60;

const char* state_colour(trace_state s)
{
  switch (s) {
    case trace_state::running: return "#2e9d48";
    case trace_state::ready: return "#f2c12e";
    case trace_state::io: return "#3b7dd8";
    case trace_state::sleep: return "#9cc3f0";
    case trace_state::lock_wait: return "#d64541";
    case trace_state::gil_wait: return "#f08a24";
    default: return nullptr;
  }
}

// A fixed palette for threads on core rows and GIL lanes.
const char* thread_colour(int t)
{
  static const char* palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                                  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return palette[size_t(t) % 10];
}

std::string escape(const std::string& s)
{
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

// Seconds as a tick label: 0, 250 ms, 1.5 s, 40 us.
std::string tick_label(double s, double step)
{
  if (s == 0)
    return "0";
  if (step >= 1)
    return fmt::format("{:g} s", s);
  if (step >= 1e-3)
    return fmt::format("{:g} ms", std::round(s * 1e6) / 1e3);
  return fmt::format("{:g} us", std::round(s * 1e9) / 1e3);
}

// One row's content: per pixel column, the key (a state, or a thread) that filled it most.
class raster {
public:
  explicit raster(double end) : end_(end > 0 ? end : 1) {}
  void add(double from, double to, int key)
  {
    double a = from / end_ * plot_w, b = to / end_ * plot_w;
    for (int px = std::max(0, int(a)); px < std::min(plot_w, int(std::ceil(b))); ++px) {
      double cover = std::min(b, px + 1.0) - std::max(a, double(px));
      if (cover > 0)
        cols_[px][key] += cover;
    }
  }
  // Runs of equal dominant keys: (first pixel, width, key).
  std::vector<std::tuple<int, int, int>> runs() const
  {
    std::vector<std::tuple<int, int, int>> out;
    for (const auto& [px, keys] : cols_) {
      int best = std::max_element(keys.begin(), keys.end(), [](auto& x, auto& y) {
                   return x.second < y.second;
                 })->first;
      if (!out.empty() && std::get<2>(out.back()) == best &&
          std::get<0>(out.back()) + std::get<1>(out.back()) == px)
        ++std::get<1>(out.back());
      else
        out.push_back({px, 1, best});
    }
    return out;
  }

private:
  double end_;
  std::map<int, std::map<int, double>> cols_;
};

// The rows of the chart: cores, then per process its header, its GIL lane and its threads (the
// first max_thread_rows of them in all), filled from the trace's spans.
struct row {
  std::string label;
  raster content;
  bool by_thread;  // keys are threads (core rows, GIL lanes) rather than states
  bool header;
};

struct chart {
  std::vector<row> rows;
  int hidden = 0;  // threads left without a row
};

chart lay_out(const run_trace& tr, double end)
{
  chart ch;
  auto& rows = ch.rows;
  std::map<int, size_t> core_row, thread_row, gil_row;
  if (!tr.fluid)
    for (int c = 0; c < tr.cores; ++c) {
      core_row[c] = rows.size();
      rows.push_back({fmt::format("core {}", c), raster(end), true, false});
    }
  int shown = 0;
  for (size_t p = 0; p < tr.processes.size(); ++p) {
    rows.push_back({escape(tr.processes[p]), raster(end), false, true});
    if (tr.has_gil[p]) {
      gil_row[int(p)] = rows.size();
      rows.push_back({"  GIL", raster(end), true, false});
    }
    for (size_t t = 0; t < tr.threads.size(); ++t) {
      if (tr.threads[t].process != int(p))
        continue;
      if (shown >= max_thread_rows) {
        ++ch.hidden;
        continue;
      }
      ++shown;
      thread_row[int(t)] = rows.size();
      rows.push_back({"  " + escape(tr.threads[t].name), raster(end), false, false});
    }
  }
  for_each_state_span(tr, end, [&](int t, trace_state state, int core, double from, double to) {
    if (to <= from)
      return;
    if (auto it = thread_row.find(t); it != thread_row.end() && state_colour(state))
      rows[it->second].content.add(from, to, int(state));
    if (state == trace_state::running && core >= 0)
      rows[core_row[core]].content.add(from, to, t);
  });
  for_each_gil_hold(tr, end, [&](int p, int holder, double from, double to) {
    if (auto it = gil_row.find(p); it != gil_row.end())
      rows[it->second].content.add(from, to, holder);
  });
  return ch;
}

// One row at height y: its label, its lane and its runs, a thread's runs named when wide.
std::string draw_row(const run_trace& tr, const row& r, int y)
{
  std::string svg = fmt::format("<text x=\"6\" y=\"{}\"{}>{}</text>\n", y + row_h - 4,
                                r.header ? " font-weight=\"bold\"" : "", r.label);
  if (!r.header)
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\"/>\n",
                       label_w, y, plot_w, row_h);
  for (const auto& [px, w, key] : r.content.runs()) {
    const char* colour = r.by_thread ? thread_colour(key) : state_colour(trace_state(key));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                       label_w + px, y, w, row_h, colour);
    if (r.by_thread && w > 40)
      svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"white\" font-size=\"9\">{}</text>\n",
                         label_w + px + 2, y + row_h - 4, escape(tr.threads[size_t(key)].name));
  }
  return svg;
}

// The time axis at height y: about ten ticks of 1, 2 or 5 x 10^k.
std::string draw_axis(double end, int y)
{
  double raw = end / 10, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = raw / mag < 1.5   ? mag
                : raw / mag < 3.5 ? 2 * mag
                : raw / mag < 7.5 ? 5 * mag
                                  : 10 * mag;
  std::string svg = fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", label_w, y,
      label_w + plot_w, y);
  for (double t = 0; t <= end * (1 + 1e-9); t += step) {
    double x = label_w + t / end * plot_w;
    svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"black\"/>"
                       "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       x, y, x, y + 5, x, y + 17, tick_label(t, step));
  }
  return svg;
}

// The states' colours at height y, and how many threads have no row.
std::string draw_legend(int y, int hidden)
{
  std::string svg;
  int lx = label_w;
  for (trace_state s : {trace_state::running, trace_state::ready, trace_state::io,
                        trace_state::sleep, trace_state::lock_wait, trace_state::gil_wait}) {
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
                       "<text x=\"{}\" y=\"{}\">{}</text>\n",
                       lx, y, state_colour(s), lx + 16, y + 10, trace_state_name(s));
    lx += 110;
  }
  if (hidden)
    svg +=
        fmt::format("<text x=\"6\" y=\"{}\">{} more threads not shown (the first {} are)</text>\n",
                    y + 32, hidden, max_thread_rows);
  return svg;
}

}  // namespace

std::string svg_timeline(const run_trace& tr)
{
  double end = tr.end > 0 ? tr.end : 1e-9;
  const chart ch = lay_out(tr, end);
  int top = 40, axis_h = 30, legend_h = 30;
  int height =
      top + int(ch.rows.size()) * (row_h + gap) + axis_h + legend_h + (ch.hidden ? 20 : 0);
  int width = label_w + plot_w + 20;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" "
      "fill=\"white\"/>\n<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{} — "
      "makespan {}</text>\n",
      width, height, escape(tr.scenario), tick_label(tr.end, tr.end));
  int y = top;
  for (const auto& r : ch.rows) {
    svg += draw_row(tr, r, y);
    y += row_h + gap;
  }
  svg += draw_axis(end, y);
  svg += draw_legend(y + axis_h, ch.hidden);
  svg += "</svg>\n";
  return svg;
}

namespace {
const bool registered =
    writer_registry::add({.name = "svg-timeline",
                          .option = "--timeline",
                          .help = "draw the run as an SVG timeline in FILE.svg",
                          .to = sink::file,
                          .needs_trace = true,
                          .order = 30,
                          .write = [](const run_output& o) { return svg_timeline(o.trace); }});
}  // namespace

}  // namespace gilsim
