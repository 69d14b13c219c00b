// The SVG timeline's legend: what each colour and mark means.
#include "sim/out/trace_svg.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gilsim::svg {

namespace {

constexpr int legend_line = 20;

// The states a thread row may show: the six of every run, then the waits the run has of the
// kinds only some runs have (an event loop's, a join's, a wait for work).
std::vector<trace_state> legend_states(const run_trace& tr)
{
  std::vector<trace_state> states = {trace_state::running,   trace_state::ready,
                                     trace_state::io,        trace_state::sleep,
                                     trace_state::lock_wait, trace_state::gil_wait};
  for (trace_state extra :
       {trace_state::loop_wait, trace_state::join_wait, trace_state::work_wait})
    if (std::any_of(tr.changes.begin(), tr.changes.end(),
                    [&](const trace_change& c) { return c.state == extra; }))
      states.push_back(extra);
  return states;
}

}  // namespace

int legend_height(const run_trace&, const chart& ch)
{
  return 30 + 3 * legend_line + (ch.hidden ? legend_line : 0);
}

std::string draw_legend(const run_trace& tr, const chart& ch, int y)
{
  std::string svg;
  auto swatch = [&](int x, int at, const std::string& colour, const std::string& text) {
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
                       "<text x=\"{}\" y=\"{}\">{}</text>\n",
                       x, at, colour, x + 16, at + 10, text);
  };
  int lx = label_w;
  svg += fmt::format("<text x=\"6\" y=\"{}\">thread rows:</text>\n", y + 10);
  for (trace_state s : legend_states(tr)) {
    const std::string name = trace_state_name(s);
    swatch(lx, y, state_colour(s), name);
    lx += std::max(110, 16 + 6 * int(name.size()) + 14);
  }
  // The threads' colours on cores and lanes (the palette repeats: the tooltips name every
  // segment).
  int y2 = y + legend_line;
  svg += fmt::format("<text x=\"6\" y=\"{}\">cores, lanes:</text>\n", y2 + 10);
  int shown = std::min<int>(thread_colours, int(tr.threads.size()));
  for (int t = 0; t < shown; ++t)
    swatch(label_w + 125 * t, y2, thread_colour(t),
           escape(cut(full_name(tr, t), 15)) +
               (int(tr.threads.size()) > thread_colours ? ", …" : ""));
  // The marks: context switches; the GIL's only when some process has one.
  int y3 = y2 + legend_line, x = label_w;
  svg += fmt::format("<text x=\"6\" y=\"{0}\">marks:</text><line x1=\"{1}.5\" y1=\"{2}\" "
                     "x2=\"{1}.5\" y2=\"{3}\" stroke=\"{4}\"/><text x=\"{5}\" y=\"{0}\">context "
                     "switch</text>\n",
                     y3 + 10, x + 5, y3, y3 + 5, switch_mark, x + 16);
  if (std::find(tr.has_gil.begin(), tr.has_gil.end(), true) != tr.has_gil.end())
    svg += fmt::format("<path d=\"M{0}.5 {1}h6l-3 4z\" fill=\"{2}\"/><text x=\"{3}\" "
                       "y=\"{4}\">GIL drop request</text><line x1=\"{5}.5\" y1=\"{1}\" "
                       "x2=\"{5}.5\" y2=\"{6}\" stroke=\"{2}\" stroke-width=\"2\"/><text "
                       "x=\"{7}\" y=\"{4}\">forced GIL hand-off</text>\n",
                       x + 122, y3, forced_mark, x + 136, y3 + 10, x + 255, y3 + 12, x + 266);
  int y4 = y3 + legend_line;
  svg += fmt::format("<text x=\"{}\" y=\"{}\">a bar on a core or a lane is as tall as its busy "
                     "(held) share of the pixel; a thread's row shows the state that filled "
                     "most of it</text>\n",
                     label_w, y4 + 10);
  if (ch.hidden)
    svg += fmt::format(
        "<text x=\"6\" y=\"{}\">{} more threads not shown (the first {} are)</text>\n",
        y4 + legend_line + 10, ch.hidden, max_thread_rows);
  return svg;
}

}  // namespace gilsim::svg
