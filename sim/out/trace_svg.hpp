// The SVG timeline's pieces (trace_svg.cpp draws the rows and the axis, trace_svg_legend.cpp
// the legend): the time frame a picture shows, a row rasterised to pixel columns, the rows.
#pragma once

#include "sim/out/trace.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gilsim::svg {

constexpr int label_w = 170, row_h = 16, gap = 4, max_thread_rows = 60;
constexpr size_t label_chars = 26;  // what fits in label_w at the font size
constexpr int thread_colours = 8;
constexpr const char* switch_mark = "#000000";
constexpr const char* forced_mark = "#d62728";

const char* state_colour(trace_state s);  // nullptr: not drawn (idle, done)
const char* thread_colour(int t);
// Text for markup (a label is escaped after it is cut, so that no entity is cut in half).
std::string escape(const std::string& s);
// Seconds as a tick label: 0, 250 ms, 1.5 s, 40 us.
std::string tick_label(double s, double step);
// A label cut to `chars` characters, the last of them an ellipsis when it is cut.
std::string cut(const std::string& s, size_t chars);
// A duration for a tooltip: 4 significant digits in s, ms or us.
std::string human(double s);
std::string full_name(const run_trace& tr, int t);  // process/thread

// The part of the run drawn, [from, to] seconds, over `columns` pixel columns.
struct frame {
  double from, to;
  int columns;
  double x(double t) const { return (t - from) / (to - from) * columns; }
  double t(double x) const { return from + (to - from) * x / columns; }
};

// A run of columns drawn as one rectangle: its key (a state, or a thread), its height in pixels.
struct run_of_columns {
  int px, width, key, height;
  double share;  // the busy (held) share of its first column, for the tooltip
};

enum class mark_kind { context_switch, drop_request, forced };
// The marks of one kind in one pixel column: how many, the first's and last's times, and what
// the first was.
struct mark_info {
  int count = 0;
  double first = 0, last = 0;
  std::string what;
};

// One row's content, per pixel column: how much of it each key filled; and its marks.
class raster {
public:
  static constexpr int nothing = -1;  // the key of a column's empty share
  explicit raster(const frame& f) : f_(f) {}
  void add(double from, double to, int key);  // clipped to the frame
  // Runs of columns of one key and height. By vote: the key that filled most of the column,
  // "nothing" among them; full height. By share: the key that filled most of the busy share,
  // as tall as that share (a column busy 38% is a bar 38% of the row), none when it is empty.
  std::vector<run_of_columns> runs(bool by_share) const;
  void mark(mark_kind kind, double at, const std::string& what);  // outside the frame: none
  const std::map<std::pair<mark_kind, int>, mark_info>& marks() const { return marks_; }
  const frame& span() const { return f_; }

private:
  frame f_;
  std::map<int, std::map<int, double>> cols_;
  std::map<std::pair<mark_kind, int>, mark_info> marks_;
};

// The rows of the chart: cores, the lock lanes under a header, then per process its header,
// its GIL lane and its threads (the first max_thread_rows of them in all).
enum class row_kind { core, lock, gil, thread, header };

struct row {
  std::string name;  // unescaped, uncut
  raster content;
  row_kind kind;
  bool by_thread() const { return kind != row_kind::thread && kind != row_kind::header; }
};

struct chart {
  std::vector<row> rows;
  int hidden = 0;  // threads left without a row
  std::map<int, size_t> core_row, thread_row, gil_row, lock_row;
};

// The legend at height y: the states' colours (those the run has beyond the six that every
// legend shows), the threads' colours, the marks, how many threads have no row.
std::string draw_legend(const run_trace& tr, const chart& ch, int y);
int legend_height(const run_trace& tr, const chart& ch);

}  // namespace gilsim::svg
