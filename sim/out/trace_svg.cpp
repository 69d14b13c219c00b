// Writes a run_trace as an SVG Gantt chart: a row per core, a lane per held lock, then per
// process a GIL lane and a row per thread, over a time axis. Each row is rasterised to one
// column per pixel, so a huge run stays small, and stays true at every zoom: on a thread's row
// the state that filled most of the pixel wins, and "nothing" (not started, idle, done) competes
// like a state; on a core row, a lock lane or a GIL lane the bar is as tall as the pixel's busy
// (held) share, in the colour of the thread that had most of it. Threads have a palette of their
// own, apart from the states' colours. Context switches, GIL drop requests and forced hand-offs
// are marks; every segment and mark has a <title> tooltip. The legend is in trace_svg_legend.cpp.
#include "sim/out/trace_svg.hpp"

#include "sim/load/loader.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace gilsim {

namespace svg {

const char* state_colour(trace_state s)
{
  switch (s) {
    case trace_state::running: return "#2e9d48";
    case trace_state::ready: return "#f2c12e";
    case trace_state::io: return "#3b7dd8";
    case trace_state::sleep: return "#9cc3f0";
    case trace_state::lock_wait: return "#d64541";
    case trace_state::gil_wait: return "#f08a24";
    case trace_state::loop_wait: return "#17becf";
    case trace_state::join_wait: return "#bcbd22";
    case trace_state::work_wait: return "#e8dcc0";
    default: return nullptr;
  }
}

// Threads on core rows and lanes: purples, browns, pinks and greys, none of them a state's
// colour (greens, yellow, blues, red, orange, teal, olive, sand).
const char* thread_colour(int t)
{
  static const char* palette[thread_colours] = {"#6a3d9a", "#8c564b", "#e377c2", "#525252",
                                                "#b39ddb", "#5d2e0c", "#c2185b", "#9e9e9e"};
  return palette[size_t(t) % thread_colours];
}

std::string escape(const std::string& s) { return xml_escaped(s); }

std::string tick_label(double s, double step)
{
  if (s == 0)
    return "0";
  if (step >= 1)
    return fmt::format("{:g} s", s);
  if (step >= 1e-4)  // steps of 0.1 ms and more read in ms: 2.5 ms, not 2500 us
    return fmt::format("{:g} ms", std::round(s * 1e6) / 1e3);
  return fmt::format("{:g} us", std::round(s * 1e9) / 1e3);
}

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

std::string full_name(const run_trace& tr, int t)
{
  return tr.processes[size_t(tr.threads[size_t(t)].process)] + "/" + tr.threads[size_t(t)].name;
}

void raster::add(double from, double to, int key)
{
  double a = f_.x(std::max(from, f_.from)), b = f_.x(std::min(to, f_.to));
  for (int px = std::max(0, int(a)); px < std::min(f_.columns, int(std::ceil(b))); ++px) {
    double cover = std::min(b, px + 1.0) - std::max(a, double(px));
    if (cover > 0)
      cols_[px][key] += cover;
  }
}

std::vector<run_of_columns> raster::runs(bool by_share) const
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

void raster::mark(mark_kind kind, double at, const std::string& what)
{
  if (at < f_.from || at > f_.to)
    return;
  auto& m = marks_[{kind, std::min(f_.columns - 1, int(f_.x(at)))}];
  if (m.count++ == 0) {
    m.first = at;
    m.what = what;
  }
  m.last = at;
}

}  // namespace svg

using namespace svg;

namespace {

// The threads that ran as tasks of an event loop (held a lock that stands for one).
std::set<int> loop_tasks(const run_trace& tr)
{
  std::set<int> tasks;
  for (const auto& c : tr.lock_changes)
    if (tr.locks[size_t(c.lock)].role == int(lock_role::event_loop))
      tasks.insert(c.holders.begin(), c.holders.end());
  return tasks;
}

// The locks that get a lane: those held at some time, but joins (a child holds its lock all its
// life: its lane would repeat its row).
std::vector<int> lock_lanes(const run_trace& tr)
{
  std::set<int> held;
  for (const auto& c : tr.lock_changes)
    if (!c.holders.empty() && tr.locks[size_t(c.lock)].role != int(lock_role::join))
      held.insert(c.lock);
  return {held.begin(), held.end()};
}

std::string lock_label(const run_trace& tr, int l)
{
  const auto& lock = tr.locks[size_t(l)];
  return lock.role == int(lock_role::event_loop) ? "event loop (" + lock.name + ")"
                                                 : "lock " + lock.name;
}

void add_rows(const run_trace& tr, const frame& f, chart& ch)
{
  auto& rows = ch.rows;
  if (!tr.fluid)
    for (int c = 0; c < tr.cores; ++c) {
      ch.core_row[c] = rows.size();
      rows.push_back({fmt::format("core {}", c), raster(f), row_kind::core});
    }
  const auto lanes = lock_lanes(tr);
  if (!lanes.empty())
    rows.push_back({"locks", raster(f), row_kind::header});
  for (int l : lanes) {
    ch.lock_row[l] = rows.size();
    rows.push_back({lock_label(tr, l), raster(f), row_kind::lock});
  }
  const auto tasks = loop_tasks(tr);
  int shown = 0;
  for (size_t p = 0; p < tr.processes.size(); ++p) {
    bool has_tasks = std::any_of(tasks.begin(), tasks.end(),
                                 [&](int t) { return tr.threads[size_t(t)].process == int(p); });
    rows.push_back({tr.processes[p] + (has_tasks ? ": asyncio tasks on one thread" : ""),
                    raster(f), row_kind::header});
    if (tr.has_gil[p]) {
      ch.gil_row[int(p)] = rows.size();
      rows.push_back({"GIL", raster(f), row_kind::gil});
    }
    for (size_t t = 0; t < tr.threads.size(); ++t) {
      if (tr.threads[t].process != int(p))
        continue;
      if (shown >= max_thread_rows) {
        ++ch.hidden;
        continue;
      }
      ++shown;
      ch.thread_row[int(t)] = rows.size();
      rows.push_back({tr.threads[t].name, raster(f), row_kind::thread});
    }
  }
}

void add_marks(const run_trace& tr, chart& ch)
{
  auto& rows = ch.rows;
  for (const auto& sw : tr.switches)
    if (auto it = ch.core_row.find(sw.core); it != ch.core_row.end())
      rows[it->second].content.mark(
          mark_kind::context_switch, sw.t,
          fmt::format("{} to {}", full_name(tr, sw.from), full_name(tr, sw.to)));
  for (const auto& d : tr.drop_requests)
    if (auto it = ch.gil_row.find(d.process); it != ch.gil_row.end())
      rows[it->second].content.mark(mark_kind::drop_request, d.t,
                                    "asked of " + full_name(tr, d.holder));
}

chart lay_out(const run_trace& tr, const frame& f)
{
  chart ch;
  add_rows(tr, f, ch);
  auto& rows = ch.rows;
  for_each_state_span(tr, tr.end, [&](int t, trace_state state, int core, double from, double to) {
    if (to <= from)
      return;
    if (auto it = ch.thread_row.find(t); it != ch.thread_row.end() && state_colour(state))
      rows[it->second].content.add(from, to, int(state));
    if (state == trace_state::running && core >= 0)
      rows[ch.core_row[core]].content.add(from, to, t);
  });
  for_each_gil_hold(tr, tr.end, [&](int p, int holder, double from, double to, bool forced) {
    if (auto it = ch.gil_row.find(p); it != ch.gil_row.end()) {
      rows[it->second].content.add(from, to, holder);
      if (forced)
        rows[it->second].content.mark(mark_kind::forced, to, "from " + full_name(tr, holder));
    }
  });
  for_each_lock_hold(tr, tr.end, [&](int l, const std::vector<int>& holders, double from,
                                     double to) {
    if (auto it = ch.lock_row.find(l); it != ch.lock_row.end())
      for (int h : holders)
        rows[it->second].content.add(from, to, h);
  });
  add_marks(tr, ch);
  return ch;
}

const char* mark_name(mark_kind k, int count)
{
  switch (k) {
    case mark_kind::context_switch: return count > 1 ? "context switches" : "context switch";
    case mark_kind::drop_request: return count > 1 ? "GIL drop requests" : "GIL drop request";
    case mark_kind::forced: return count > 1 ? "forced GIL hand-offs" : "forced GIL hand-off";
  }
  return "";
}

// A mark at pixel column px of a row at height y: a black tick above a core row for a switch,
// a red triangle above a GIL lane for a drop request, a red line across it for a forced drop.
std::string draw_mark(const row& r, mark_kind kind, int px, const mark_info& m, int y)
{
  std::string title =
      m.count == 1 ? fmt::format("{}: {} at {}, {}", r.name, mark_name(kind, 1), human(m.first),
                                 m.what)
                   : fmt::format("{}: {} {}, {} to {}", r.name, m.count, mark_name(kind, m.count),
                                 human(m.first), human(m.last));
  title = escape(title);
  const int x = label_w + px;
  switch (kind) {
    case mark_kind::context_switch:
      return fmt::format("<line x1=\"{0}.5\" y1=\"{1}\" x2=\"{0}.5\" y2=\"{2}\" stroke=\"{3}\">"
                         "<title>{4}</title></line>\n",
                         x, y - 2, y + 3, switch_mark, title);
    case mark_kind::drop_request:
      return fmt::format("<path d=\"M{}.5 {}h6l-3 4z\" fill=\"{}\"><title>{}</title></path>\n",
                         x - 3, y - 4, forced_mark, title);
    case mark_kind::forced:
      return fmt::format("<line x1=\"{0}.5\" y1=\"{1}\" x2=\"{0}.5\" y2=\"{2}\" stroke=\"{3}\" "
                         "stroke-width=\"2\"><title>{4}</title></line>\n",
                         x, y - 2, y + row_h, forced_mark, title);
  }
  return "";
}

// One segment of a lane or row: its rectangle with a tooltip, and on a full-height lane segment
// wide enough the thread's name.
std::string draw_run(const run_trace& tr, const row& r, const run_of_columns& run, int y)
{
  const frame& f = r.content.span();
  double from = f.t(run.px), to = f.t(run.px + run.width);
  std::string what, colour;
  if (r.by_thread()) {
    what = full_name(tr, run.key);
    colour = thread_colour(run.key);
    if (run.height < row_h)
      what += fmt::format(" ({:.0f}% {})", run.share * 100,
                          r.kind == row_kind::core ? "busy" : "held");
  } else {
    what = trace_state_name(trace_state(run.key));
    colour = state_colour(trace_state(run.key));
  }
  std::string svg = fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
                                "<title>{}: {}, {} to {}</title></rect>\n",
                                label_w + run.px, y + row_h - run.height, run.width, run.height,
                                colour, escape(r.name), escape(what), human(from), human(to));
  size_t fits = size_t(std::max(0, (run.width - 4) / 6));  // characters of 6 px
  if (!r.by_thread() || run.height < row_h || fits < 3)
    return svg;
  std::string name =
      r.kind == row_kind::gil ? tr.threads[size_t(run.key)].name : full_name(tr, run.key);
  return svg + fmt::format("<text x=\"{}\" y=\"{}\" fill=\"white\" font-size=\"9\">{}</text>\n",
                           label_w + run.px + 2, y + row_h - 4, escape(cut(name, fits)));
}

std::string draw_row(const run_trace& tr, const row& r, int y)
{
  bool header = r.kind == row_kind::header;
  bool nested = r.kind == row_kind::gil || r.kind == row_kind::thread || r.kind == row_kind::lock;
  std::string label = nested ? "  " + r.name : r.name;
  std::string svg =
      fmt::format("<g class=\"row\" data-row=\"{}\">\n<text x=\"6\" y=\"{}\"{}>{}</text>\n",
                  escape(r.name), y + row_h - 4, header ? " font-weight=\"bold\"" : "",
                  escape(cut(label, header ? 3 * label_chars : label_chars)));
  if (header)
    return svg + "</g>\n";
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\"/>\n",
                     label_w, y, r.content.span().columns, row_h);
  for (const auto& run : r.content.runs(r.by_thread()))
    svg += draw_run(tr, r, run, y);
  for (const auto& [at, m] : r.content.marks())
    svg += draw_mark(r, at.first, at.second, m, y);
  return svg + "</g>\n";
}

// The time axis at height y: about ten ticks of 1, 2 or 5 x 10^k.
std::string draw_axis(const frame& f, int y)
{
  const double length = f.to - f.from;
  double raw = length / 10, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = raw / mag < 1.5   ? mag
                : raw / mag < 3.5 ? 2 * mag
                : raw / mag < 7.5 ? 5 * mag
                                  : 10 * mag;
  std::string svg = fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", label_w, y,
      label_w + f.columns, y);
  for (double k = std::ceil(f.from / step - 1e-9); k * step <= f.to + length * 1e-9; ++k) {
    double t = k * step, x = label_w + f.x(t);
    svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"black\"/>"
                       "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       x, y, x, y + 5, x, y + 17, tick_label(t, step));
  }
  return svg;
}

frame frame_of(const run_trace& tr, const timeline_options& o)
{
  const double end = tr.end > 0 ? tr.end : 1e-9;
  frame f{0, end, std::max(1, o.columns)};
  if (o.window) {
    f.from = std::min(o.window->from, end);
    f.to = o.window->to < 0 ? end : o.window->to;
    if (f.to <= f.from)  // a window that starts at the run's end
      f.to = f.from + 1e-9;
  }
  return f;
}

}  // namespace

time_window parse_window(const std::string& text)
{
  const source_pos at{fmt::format("--window {}", text)};
  const auto dots = text.find("..");
  if (dots == std::string::npos)
    fail_input(at, "", "expected FROM..TO, e.g. 10ms..25ms (either end may be left out)");
  time_window w;
  const std::string a = text.substr(0, dots), b = text.substr(dots + 2);
  if (!a.empty())
    w.from = parse_duration(a, at, "", true);
  if (!b.empty())
    w.to = parse_duration(b, at, "", true);
  if (w.to >= 0 && w.to <= w.from)
    fail_input(at, "", "the window's end must come after its start");
  return w;
}

std::string svg_timeline(const run_trace& tr, const timeline_options& options)
{
  const frame f = frame_of(tr, options);
  const chart ch = lay_out(tr, f);
  int top = 40, axis_h = 30;
  const std::string legend = draw_legend(tr, ch, top + int(ch.rows.size()) * (row_h + gap) +
                                                     axis_h);
  int height = top + int(ch.rows.size()) * (row_h + gap) + axis_h + legend_height(tr, ch);
  int width = label_w + f.columns + 20;
  std::string window;
  if (options.window)
    window = fmt::format(", shown from {} to {}", tick_label(f.from, f.from),
                         tick_label(f.to, f.to));
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" "
      "fill=\"white\"/>\n<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{} — "
      "makespan {}{}</text>\n",
      width, height, escape(tr.scenario), tick_label(tr.end, tr.end), window);
  int y = top;
  for (const auto& r : ch.rows) {
    svg += draw_row(tr, r, y);
    y += row_h + gap;
  }
  svg += draw_axis(f, y);
  svg += legend;
  svg += "</svg>\n";
  return svg;
}

namespace {
const bool registered = writer_registry::add(
    {.name = "svg-timeline",
     .option = "--timeline",
     .help = "draw the run as an SVG timeline in FILE.svg",
     .to = sink::file,
     .needs_trace = true,
     .order = 30,
     .write = [](const run_output& o) {
       return svg_timeline(o.trace, {.window = o.view.window});
     }});
}  // namespace

}  // namespace gilsim
