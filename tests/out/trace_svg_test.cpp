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
  for (text t : std::vector<text>{
           {"6", "200", "cores, lanes:"}, {"186", "200", "py/a"}, {"311", "200", "py/b"},
           {"6", "220", "marks:"}, {"186", "220", "context switch"},
           {"306", "220", "GIL drop request"}, {"436", "220", "forced GIL hand-off"},
           {"170", "240", "a bar on a core or a lane is as tall as its busy (held) share of the "
                          "pixel; a thread's row shows the state that filled most of it"}})
    expected_texts.push_back(t);

  const auto tr = gilsim::test::hand_trace_one_core();
  const std::string svg = gilsim::svg_timeline(tr);
  // 40 + 5 rows of 20, the axis's 30, the legend's four lines (30 + 3 x 20).
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1190\" height=\"260\" ", 0) ==
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

TEST_CASE("svg timeline: switches, drop requests and forced hand-offs marked with tooltips; a "
          "lane per lock; long labels cut")
{
  gilsim::run_trace tr = gilsim::test::hand_trace_handoffs();
  tr.threads[0].name = "a-thread-with-a-very-long-name";
  const std::string svg = gilsim::svg_timeline(tr);
  // Rows every 20 px from y = 40: core 0, the header "locks", lock m's lane (80), the header
  // py, its GIL lane (120), a, b. 4 ms over 1000 px: 250 px a millisecond from x = 170.
  const std::string a = "a-thread-with-a-very-long-name";
  // The switches at 1, 2 and 3 ms: ticks above core 0, each naming its threads.
  CHECK(svg.find("<line x1=\"420.5\" y1=\"38\" x2=\"420.5\" y2=\"43\" stroke=\"#000000\">"
                 "<title>core 0: context switch at 1 ms, py/b to py/" + a + "</title></line>") !=
        std::string::npos);
  for (int px : {670, 920})
    CHECK(svg.find("<line x1=\"" + std::to_string(px) + ".5\" y1=\"38\" x2=\"" +
                   std::to_string(px) + ".5\" y2=\"43\" stroke=\"#000000\"><title>") !=
          std::string::npos);
  // The drop request at 0.5 ms (x = 170 + 125): a triangle above the GIL lane, pointing down.
  CHECK(svg.find("<path d=\"M292.5 116h6l-3 4z\" fill=\"#d62728\"><title>GIL: GIL drop "
                 "request at 500 us, asked of py/b</title></path>") != std::string::npos);
  // The forced hand-off at 1 ms: a red line across the GIL lane.
  CHECK(svg.find("<line x1=\"420.5\" y1=\"118\" x2=\"420.5\" y2=\"136\" stroke=\"#d62728\" "
                 "stroke-width=\"2\"><title>GIL: forced GIL hand-off at 1 ms, from py/b</title>"
                 "</line>") != std::string::npos);
  // m's lane: b holds it 0-3 ms (750 px, b's colour), a 3-4 ms; full height, each a tooltip.
  const auto all = rects(svg);
  CHECK(std::count(all.begin(), all.end(), rect{170, 80, 750, 16, "#8c564b"}) == 1);
  CHECK(std::count(all.begin(), all.end(), rect{920, 80, 250, 16, "#6a3d9a"}) == 1);
  CHECK(svg.find("<title>lock m: py/b, 0 to 3 ms</title>") != std::string::npos);
  CHECK(svg.find("<g class=\"row\" data-row=\"lock m\">") != std::string::npos);
  // a's lock wait 2-3 ms in the lock-wait red.
  CHECK(std::count(all.begin(), all.end(), rect{670, 140, 250, 16, "#d64541"}) == 1);
  // The row label: 26 characters, the last an ellipsis.
  CHECK(svg.find(">  a-thread-with-a-very-lo…<") != std::string::npos);
}

TEST_CASE("svg timeline: --window draws that part of the run over the whole width")
{
  // The one-core run's 2 ms to 7 ms over 1000 px: 200 px a millisecond. a runs until 4 ms
  // (x 170-570), is in I/O 4-6 (570-970), runs 6-7 (970-1170); b is ready to 4, runs 4-6.
  gilsim::timeline_options o;
  o.window = gilsim::time_window{0.002, 0.007};
  const std::string svg = gilsim::svg_timeline(gilsim::test::hand_trace_one_core(), o);
  const auto all = rects(svg);
  const std::string running = "#2e9d48", io = "#3b7dd8", ready = "#f2c12e";
  for (const rect& r : {rect{170, 100, 400, 16, running}, rect{570, 100, 400, 16, io},
                        rect{970, 100, 200, 16, running}, rect{170, 120, 400, 16, ready},
                        rect{570, 120, 400, 16, running}})
    CHECK(std::count(all.begin(), all.end(), r) == 1);
  CHECK(svg.find("makespan 10 ms, shown from 2 ms to 7 ms</text>") != std::string::npos);
  // Ticks every 0.5 ms from 2 ms: the first at the left edge, the last at the right.
  CHECK(svg.find("<text x=\"170.0\" y=\"157\" text-anchor=\"middle\">2 ms</text>") !=
        std::string::npos);
  CHECK(svg.find("<text x=\"1170.0\" y=\"157\" text-anchor=\"middle\">7 ms</text>") !=
        std::string::npos);
  CHECK(svg.find("<title>a: running, 2 ms to 4 ms</title>") != std::string::npos);
  // FROM..TO with units, either end left out; anything else is refused, naming --window.
  CHECK(gilsim::parse_window("10ms..25ms").from == Approx(0.01));
  CHECK(gilsim::parse_window("10ms..25ms").to == Approx(0.025));
  CHECK(gilsim::parse_window("..2s").from == 0);
  CHECK(gilsim::parse_window("1s..").to < 0);
  CHECK_THROWS_WITH(gilsim::parse_window("5ms"), Catch::Contains("--window 5ms"));
  CHECK_THROWS_WITH(gilsim::parse_window("5ms..2ms"),
                    Catch::Contains("the window's end must come after its start"));
  CHECK_THROWS_WITH(gilsim::parse_window("x..2ms"), Catch::Contains("--window x..2ms"));
}

TEST_CASE("svg timeline: threads' colours are none of the states'; waits for a loop, a join or "
          "work in their own colours, in the legend only when the run has them")
{
  const std::vector<std::string> states = {"#2e9d48", "#f2c12e", "#3b7dd8", "#9cc3f0",
                                           "#d64541", "#f08a24", "#17becf", "#bcbd22",
                                           "#e8dcc0"};
  gilsim::run_trace tr;
  std::vector<gilsim::setup_thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.push_back({"t" + std::to_string(t), 0});
  tr.started({"c", 8, false, {"p"}, {false}, threads, 1, {{"event-loop", 1, true}}});
  for (int t = 0; t < 8; ++t)
    tr.state_changed(0, t, gilsim::trace_state::running, t);
  tr.state_changed(0, 1, gilsim::trace_state::loop_wait, -1);
  tr.lock_holders(0, 0, {0});
  tr.state_changed(1, 2, gilsim::trace_state::join_wait, -1);
  tr.state_changed(1, 3, gilsim::trace_state::work_wait, -1);
  tr.finished(2);
  const std::string svg = gilsim::svg_timeline(tr);
  for (const auto& [x, y, w, h, fill] : rects(svg))
    if (y < 40 + 8 * 20)  // the core rows: threads' colours only
      CHECK((fill == "#f4f4f4" || std::find(states.begin(), states.end(), fill) == states.end()));
  CHECK(svg.find(">waiting for the loop</text>") != std::string::npos);
  CHECK(svg.find(">join</text>") != std::string::npos);
  CHECK(svg.find("<title>t1: waiting for the loop, 0 to 2 s</title>") != std::string::npos);
  CHECK(svg.find("<title>t2: join, 1 s to 2 s</title>") != std::string::npos);
  CHECK(svg.find(">waiting for work</text>") != std::string::npos);
  CHECK(svg.find("<title>t3: waiting for work, 1 s to 2 s</title>") != std::string::npos);
  // The loop's lane, and its process's header naming its tasks.
  CHECK(svg.find("data-row=\"event loop (event-loop)\"") != std::string::npos);
  CHECK(svg.find(">p: asyncio tasks on one thread</text>") != std::string::npos);
  // Without them, the legend has the six states only.
  const std::string plain = gilsim::svg_timeline(gilsim::test::hand_trace_one_core());
  CHECK(plain.find(">waiting for the loop</text>") == std::string::npos);
}
