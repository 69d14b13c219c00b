// The SVG timeline writer: a row per core, per process a header, a GIL lane and a row per
// thread, each rasterised to 1000 pixel columns over the run, then a time axis and a legend.
#include "tests/out/hand_runs.hpp"

#include "sim/out/writer.hpp"

#include <catch2/catch.hpp>

using gilsim::test::chosen_by;
using gilsim::test::how_chosen;

#include <regex>
#include <tuple>

namespace {

using rect = std::tuple<int, int, int, int, std::string>;  // x, y, width, height, fill
using text = std::tuple<std::string, std::string, std::string>;  // x, y, content

std::vector<rect> rects(const std::string& svg)
{
  std::vector<rect> out;
  static const std::regex re(
      R"re(<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="([^"]+)"/?>)re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), done; it != done; ++it)
    out.push_back({std::stoi((*it)[1]), std::stoi((*it)[2]), std::stoi((*it)[3]),
                   std::stoi((*it)[4]), (*it)[5]});
  return out;
}

std::vector<text> texts(const std::string& svg)
{
  std::vector<text> out;
  static const std::regex re(R"re(<text x="([\d.]+)" y="(\d+)"[^>]*>([^<]*)</text>)re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), done; it != done; ++it)
    out.push_back({(*it)[1], (*it)[2], (*it)[3]});
  return out;
}

}  // namespace

TEST_CASE("svg timeline: the one-core hand-made run's rows, segments and axis")
{
  // 10 ms over 1000 px: 100 px a millisecond, from x = 170 (the labels' width). Rows are 16 px
  // high every 20 px from y = 40: core 0, the process py (a header, no lane), its GIL, a, b.
  // Core and GIL rows are coloured by thread (a #6a3d9a, b #8c564b: no state's colour), busy
  // all along (full height), and name it, process/thread on a core, where 3 characters fit;
  // thread rows by state. b is done from 6 ms on: "nothing" wins, no colour.
  const std::string running = "#2e9d48", ready = "#f2c12e", io = "#3b7dd8", lane = "#f4f4f4";
  const std::string a = "#6a3d9a", b = "#8c564b";
  const std::vector<rect> expected_rects = {
      {170, 40, 1000, 16, lane},  {170, 40, 400, 16, a},        {570, 40, 200, 16, b},
      {770, 40, 400, 16, a},      {170, 80, 1000, 16, lane},    {170, 80, 400, 16, a},
      {570, 80, 200, 16, b},      {770, 80, 400, 16, a},        {170, 100, 1000, 16, lane},
      {170, 100, 400, 16, running}, {570, 100, 200, 16, io},    {770, 100, 400, 16, running},
      {170, 120, 1000, 16, lane}, {170, 120, 400, 16, ready},   {570, 120, 200, 16, running},
      // The legend, 30 px below the axis at y = 140, every 110 px.
      {170, 170, 12, 12, running}, {280, 170, 12, 12, ready},   {390, 170, 12, 12, io},
      {500, 170, 12, 12, "#9cc3f0"}, {610, 170, 12, 12, "#d64541"}, {720, 170, 12, 12, "#f08a24"},
      // The threads' colours, 20 px below, every 125 px.
      {170, 190, 12, 12, a}, {295, 190, 12, 12, b}};
  std::vector<text> expected_texts = {
      {"10", "22", "t — makespan 10 ms"},
      {"6", "52", "core 0"}, {"172", "52", "py/a"}, {"572", "52", "py/b"}, {"772", "52", "py/a"},
      {"6", "72", "py"},
      {"6", "92", "  GIL"}, {"172", "92", "a"}, {"572", "92", "b"}, {"772", "92", "a"},
      {"6", "112", "  a"},
      {"6", "132", "  b"}};
  // Ticks every millisecond (about ten of 1, 2 or 5 x 10^k), 17 px below the axis.
  expected_texts.push_back({"170.0", "157", "0"});
  for (int ms = 1; ms <= 10; ++ms)
    expected_texts.push_back({std::to_string(170 + 100 * ms) + ".0", "157",
                              std::to_string(ms) + " ms"});
  expected_texts.push_back({"6", "180", "thread rows:"});
  int x = 186;
  for (const char* s : {"running", "ready", "io", "sleep", "lock wait", "GIL wait"}) {
    expected_texts.push_back({std::to_string(x), "180", s});
    x += 110;
  }
  for (text t : std::vector<text>{{"6", "200", "cores, GIL lanes:"}, {"186", "200", "py/a"},
                                  {"311", "200", "py/b"}, {"6", "220", "marks:"},
                                  {"186", "220", "context switch"}, {"306", "220", "forced GIL drop"},
                                  {"420", "220", "a bar on a core or GIL lane is as tall as its "
                                                 "busy share of the pixel"}})
    expected_texts.push_back(t);

  const auto tr = gilsim::test::hand_trace_one_core();
  const std::string svg = gilsim::svg_timeline(tr);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1190\" height=\"240\" ", 0) ==
        0);
  CHECK(rects(svg) == expected_rects);
  CHECK(texts(svg) == expected_texts);
  CHECK(svg.find("<line x1=\"170\" y1=\"140\" x2=\"1170\" y2=\"140\" stroke=\"black\"/>") !=
        std::string::npos);

  const auto& w = gilsim::test::registered("svg-timeline");
  CHECK(how_chosen(w) == chosen_by{"--timeline", "", gilsim::sink::file, true});
  CHECK(w.write({gilsim::run_report{}, tr}) == svg);
}

TEST_CASE("svg timeline: a pixel goes to the state that fills most of it")
{
  // 1 s over 1000 px: a runs 0-0.4 ms, is ready 0.4-1 ms (pixel 0: ready fills 0.6 of it),
  // then runs to 1 s; under ps there is no core row.
  gilsim::run_trace tr;
  tr.started({"r", 1, true, {"c"}, {false}, {{"a", 0}}});
  tr.state_changed(0, 0, gilsim::trace_state::running, -1);
  tr.state_changed(0.0004, 0, gilsim::trace_state::ready, -1);
  tr.state_changed(0.001, 0, gilsim::trace_state::running, -1);
  tr.state_changed(1, 0, gilsim::trace_state::done, -1);
  tr.finished(1);
  const auto all = rects(gilsim::svg_timeline(tr));
  REQUIRE(all.size() >= 3);
  // The header row "c" (y = 40) has no lane; a's row is at y = 60.
  CHECK(all[0] == rect{170, 60, 1000, 16, "#f4f4f4"});
  CHECK(all[1] == rect{170, 60, 1, 16, "#f2c12e"});
  CHECK(all[2] == rect{171, 60, 999, 16, "#2e9d48"});
}

TEST_CASE("svg timeline: a core busy 38% of a pixel is a bar 38% tall; idle wins a thread's vote")
{
  // 1 s over 1000 px, one core. a runs 0-0.38 ms, sleeps to 1 ms, runs to 1 s; b is ready
  // 0-0.38 ms, then done. Pixel 0 of core 0 is 38% busy (a): a bar round(0.38 x 16) = 6 px
  // tall, at the bottom of the row (y = 40 + 16 - 6); the rest is busy, full height. On a's row
  // sleep (0.62) beats running (0.38); on b's, nothing (0.62) beats ready (0.38): no rect.
  gilsim::run_trace tr;
  tr.started({"v", 1, false, {"py"}, {false}, {{"a", 0}, {"b", 0}}});
  tr.state_changed(0, 0, gilsim::trace_state::running, 0);
  tr.state_changed(0, 1, gilsim::trace_state::ready, -1);
  tr.state_changed(0.00038, 0, gilsim::trace_state::sleep, -1);
  tr.state_changed(0.00038, 1, gilsim::trace_state::done, -1);
  tr.state_changed(0.001, 0, gilsim::trace_state::running, 0);
  tr.state_changed(1, 0, gilsim::trace_state::done, -1);
  tr.finished(1);
  const std::string svg = gilsim::svg_timeline(tr);
  const auto all = rects(svg);
  // Rows: core 0 (y 40), the header py (60), a (80), b (100).
  const std::vector<rect> rows(all.begin(), all.begin() + 6);
  const std::string a = "#6a3d9a", lane = "#f4f4f4";
  CHECK(rows == std::vector<rect>{{170, 40, 1000, 16, lane}, {170, 50, 1, 6, a},
                                  {171, 40, 999, 16, a}, {170, 80, 1000, 16, lane},
                                  {170, 80, 1, 16, "#9cc3f0"}, {171, 80, 999, 16, "#2e9d48"}});
  CHECK(all[6] == rect{170, 100, 1000, 16, lane});
  CHECK(std::get<1>(all[7]) != 100);  // nothing drawn on b's row
  // Every segment says what it is in a tooltip.
  CHECK(svg.find("<title>core 0: py/a (38% busy), 0 to 1 ms</title>") != std::string::npos);
  CHECK(svg.find("<title>b: ") == std::string::npos);
}

TEST_CASE("svg timeline: marks for context switches and forced GIL drops; long labels cut")
{
  gilsim::run_trace tr = gilsim::test::hand_trace_handoffs();
  tr.threads[0].name = "a-thread-with-a-very-long-name";
  const std::string svg = gilsim::svg_timeline(tr);
  // 4 ms over 1000 px: switches at 1, 2, 3 ms (x = 170 + 250, 500, 750) on core 0 (y = 40),
  // the forced drop at 1 ms on the GIL lane (y = 80).
  for (int px : {420, 670, 920})
    CHECK(svg.find("<line x1=\"" + std::to_string(px) + ".5\" y1=\"38\" x2=\"" +
                   std::to_string(px) + ".5\" y2=\"43\" stroke=\"#000000\"/>") !=
          std::string::npos);
  CHECK(svg.find("<line x1=\"420.5\" y1=\"78\" x2=\"420.5\" y2=\"83\" stroke=\"#d62728\"/>") !=
        std::string::npos);
  // The row label: 26 characters, the last an ellipsis.
  CHECK(svg.find(">  a-thread-with-a-very-lo…<") != std::string::npos);
}
