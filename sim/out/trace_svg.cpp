// Writes a run_trace as an SVG Gantt chart: a row per core, then per process a GIL lane and a
// row per thread, over a time axis. Each row is rasterised to one column per pixel, so a huge
// run stays small, and stays true at every zoom: on a thread's row the state that filled most of
// the pixel wins, and "nothing" (not started, idle, done) competes like a state; on a core row
// or a GIL lane the bar is as tall as the pixel's busy (held) share, in the colour of the thread
// that had most of it. Threads have a palette of their own, apart from the states' colours.
#include "sim/out/trace.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace gilsim {

namespace {

constexpr int label_w = 170, plot_w = 1000, row_h = 16, gap = 4, max_thread_rows = 60;
constexpr size_t label_chars = 26;  // what fits in label_w at the font size

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

// Threads on core rows and GIL lanes: purples, browns, pinks and greys, none of them a state's
// colour (greens, yellow, blues, red, orange).
constexpr int thread_colours = 8;
const char* thread_colour(int t)
{
  static const char* palette[thread_colours] = {"#6a3d9a", "#8c564b", "#e377c2", "#525252",
                                                "#b39ddb", "#5d2e0c", "#c2185b", "#9e9e9e"};
  return palette[size_t(t) % thread_colours];
}
constexpr const char* switch_mark = "#000000";
constexpr const char* forced_mark = "#d62728";

// (a label is escaped after it is cut, so that no entity is cut in half)
std::string escape(const std::string& s) { return xml_escaped(s); }

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

// A label cut to `chars` characters, the last of them an ellipsis when it is cut.
std::string cut(const std::string& s, size_t chars)
{
  if (s.size() <= chars)
    return s;
  if (chars == 0)
    return "";
  size_t n = chars - 1;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;  // not inside a UTF-8 character
  return s.substr(0, n) + "…";
}

// A duration for a tooltip: 3 significant digits in s, ms or us.
std::string human(double s)
{
  if (s == 0)
    return "0";
  if (std::abs(s) >= 1)
    return fmt::format("{:.4g} s", s);
  if (std::abs(s) >= 1e-3)
    return fmt::format("{:.4g} ms", s * 1e3);
  return fmt::format("{:.4g} us", s * 1e6);
}

// One row's content, per pixel column: how much of it each key (a state, or a thread) filled.
// A run of columns is drawn as one rectangle: its key, and its height in pixels.
struct run_of_columns {
  int px, width, key, height;
  double share;  // the busy (held) share of its first column, for the tooltip
};

class raster {
public:
  static constexpr int nothing = -1;  // the key of a column's empty share
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
  // Runs of columns of one key and height. By vote: the key that filled most of the column,
  // "nothing" among them; full height. By share: the key that filled most of the busy share,
  // as tall as that share (a column busy 38% is a bar 38% of the row), none when it is empty.
  std::vector<run_of_columns> runs(bool by_share) const
  {
    std::vector<run_of_columns> out;
    for (const auto& [px, keys] : cols_) {
      int best = nothing;
      double best_cover = 0, busy = 0;
      for (const auto& [key, cover] : keys) {
        busy += cover;
        if (cover > best_cover)
          best = key, best_cover = cover;
      }
      busy = std::min(busy, 1.0);
      if (!by_share && 1 - busy > best_cover)
        best = nothing;
      int height = by_share ? int(std::lround(busy * row_h)) : row_h;
      if (best == nothing || height == 0)
        continue;
      if (!out.empty() && out.back().key == best && out.back().height == height &&
          out.back().px + out.back().width == px)
        ++out.back().width;
      else
        out.push_back({px, 1, best, height, busy});
    }
    return out;
  }
  // Marks: the pixel columns where something happened (a switch, a forced drop).
  void mark(double at) { marks_.insert(std::min(plot_w - 1, int(at / end_ * plot_w))); }
  const std::set<int>& marks() const { return marks_; }

private:
  double end_;
  std::map<int, std::map<int, double>> cols_;
  std::set<int> marks_;
};

// The rows of the chart: cores, then per process its header, its GIL lane and its threads (the
// first max_thread_rows of them in all), filled from the trace's spans.
enum class row_kind { core, gil, thread, header };

struct row {
  std::string name;  // unescaped, uncut
  raster content;
  row_kind kind;
  bool by_thread() const { return kind == row_kind::core || kind == row_kind::gil; }
};

struct chart {
  std::vector<row> rows;
  int hidden = 0;  // threads left without a row
};

std::string full_name(const run_trace& tr, int t)
{
  return tr.processes[size_t(tr.threads[size_t(t)].process)] + "/" + tr.threads[size_t(t)].name;
}

chart lay_out(const run_trace& tr, double end)
{
  chart ch;
  auto& rows = ch.rows;
  std::map<int, size_t> core_row, thread_row, gil_row;
  if (!tr.fluid)
    for (int c = 0; c < tr.cores; ++c) {
      core_row[c] = rows.size();
      rows.push_back({fmt::format("core {}", c), raster(end), row_kind::core});
    }
  int shown = 0;
  for (size_t p = 0; p < tr.processes.size(); ++p) {
    rows.push_back({tr.processes[p], raster(end), row_kind::header});
    if (tr.has_gil[p]) {
      gil_row[int(p)] = rows.size();
      rows.push_back({"GIL", raster(end), row_kind::gil});
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
      rows.push_back({tr.threads[t].name, raster(end), row_kind::thread});
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
  for_each_gil_hold(tr, end, [&](int p, int holder, double from, double to, bool forced) {
    if (auto it = gil_row.find(p); it != gil_row.end()) {
      rows[it->second].content.add(from, to, holder);
      if (forced)
        rows[it->second].content.mark(to);
    }
  });
  for (const auto& sw : tr.switches)
    if (auto it = core_row.find(sw.core); it != core_row.end())
      rows[it->second].content.mark(sw.t);
  return ch;
}

// One row at height y: its label, its lane, its runs (each with a tooltip, a thread's named
// where wide enough) and its marks.
std::string draw_row(const run_trace& tr, const row& r, int y, double end)
{
  bool header = r.kind == row_kind::header;
  std::string label = r.kind == row_kind::gil || r.kind == row_kind::thread ? "  " + r.name : r.name;
  std::string svg = fmt::format("<text x=\"6\" y=\"{}\"{}>{}</text>\n", y + row_h - 4,
                                header ? " font-weight=\"bold\"" : "",
                                escape(cut(label, label_chars)));
  if (header)
    return svg;
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\"/>\n",
                     label_w, y, plot_w, row_h);
  for (const auto& run : r.content.runs(r.by_thread())) {
    double from = end * run.px / plot_w, to = end * (run.px + run.width) / plot_w;
    std::string what, colour;
    if (r.by_thread()) {
      what = full_name(tr, run.key);
      colour = thread_colour(run.key);
      if (run.height < row_h)
        what += fmt::format(" ({:.0f}% busy)", run.share * 100);
    } else {
      what = trace_state_name(trace_state(run.key));
      colour = state_colour(trace_state(run.key));
    }
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
                       "<title>{}: {}, {} to {}</title></rect>\n",
                       label_w + run.px, y + row_h - run.height, run.width, run.height, colour,
                       escape(r.name), escape(what), human(from), human(to));
    size_t fits = size_t(std::max(0, (run.width - 4) / 6));  // characters of 6 px
    if (!r.by_thread() || run.height < row_h || fits < 3)
      continue;
    std::string name = r.kind == row_kind::core ? full_name(tr, run.key)
                                                : tr.threads[size_t(run.key)].name;
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"white\" font-size=\"9\">{}</text>\n",
                         label_w + run.px + 2, y + row_h - 4, escape(cut(name, fits)));
  }
  const char* mark = r.kind == row_kind::core ? switch_mark : forced_mark;
  for (int px : r.content.marks())
    svg += fmt::format("<line x1=\"{}.5\" y1=\"{}\" x2=\"{}.5\" y2=\"{}\" stroke=\"{}\"/>\n",
                       label_w + px, y - 2, label_w + px, y + 3, mark);
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

// The legend at height y: the states' colours; the threads' colours on cores and GIL lanes (the
// palette repeats: the tooltips name every segment); the marks; how many threads have no row.
constexpr int legend_line = 20;
std::string draw_legend(const run_trace& tr, int y, int hidden)
{
  std::string svg;
  auto swatch = [&](int x, int at, const std::string& colour, const std::string& text) {
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
                       "<text x=\"{}\" y=\"{}\">{}</text>\n",
                       x, at, colour, x + 16, at + 10, text);
  };
  int lx = label_w;
  svg += fmt::format("<text x=\"6\" y=\"{}\">thread rows:</text>\n", y + 10);
  for (trace_state s : {trace_state::running, trace_state::ready, trace_state::io,
                        trace_state::sleep, trace_state::lock_wait, trace_state::gil_wait}) {
    swatch(lx, y, state_colour(s), trace_state_name(s));
    lx += 110;
  }
  int y2 = y + legend_line;
  svg += fmt::format("<text x=\"6\" y=\"{}\">cores, GIL lanes:</text>\n", y2 + 10);
  int shown = std::min<int>(thread_colours, int(tr.threads.size()));
  for (int t = 0; t < shown; ++t)
    swatch(label_w + 125 * t, y2, thread_colour(t),
           escape(cut(full_name(tr, t), 16)) + (int(tr.threads.size()) > thread_colours ? ", …" : ""));
  int y3 = y2 + legend_line;
  svg += fmt::format(
      "<text x=\"6\" y=\"{0}\">marks:</text><line x1=\"{1}.5\" y1=\"{2}\" x2=\"{1}.5\" "
      "y2=\"{3}\" stroke=\"{4}\"/><text x=\"{5}\" y=\"{0}\">context switch</text><line "
      "x1=\"{6}.5\" y1=\"{2}\" x2=\"{6}.5\" y2=\"{3}\" stroke=\"{7}\"/><text x=\"{8}\" "
      "y=\"{0}\">forced GIL drop</text><text x=\"{9}\" y=\"{0}\">a bar on a core or GIL lane "
      "is as tall as its busy share of the pixel</text>\n",
      y3 + 10, label_w + 5, y3, y3 + 12, switch_mark, label_w + 16, label_w + 125, forced_mark,
      label_w + 136, label_w + 250);
  if (hidden)
    svg += fmt::format(
        "<text x=\"6\" y=\"{}\">{} more threads not shown (the first {} are)</text>\n",
        y3 + legend_line + 12, hidden, max_thread_rows);
  return svg;
}

}  // namespace

std::string svg_timeline(const run_trace& tr)
{
  double end = tr.end > 0 ? tr.end : 1e-9;
  const chart ch = lay_out(tr, end);
  int top = 40, axis_h = 30, legend_h = 30 + 2 * legend_line;
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
    svg += draw_row(tr, r, y, end);
    y += row_h + gap;
  }
  svg += draw_axis(end, y);
  svg += draw_legend(tr, y + axis_h, ch.hidden);
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
