// The HTML page writer: one self-contained page with the summary, the timeline, the tables and
// the scenario's text; its per-lock figures and latency histogram worked out on hand-made runs.
// (tests/html/html_browser_test.py loads it in chromium.)
#include "tests/out/hand_runs.hpp"

#include "sim/out/report_html.hpp"

#include <catch2/catch.hpp>

#include <regex>

using Catch::Matchers::Contains;

TEST_CASE("html: a lock's holds and waits, from the hand-off run")
{
  // m: b holds it 0-3 ms, a 3-4 ms (2 holds, 4 ms in all, the longest 3 ms); a waits for it
  // from 2 ms to its next change, running at 3 ms (1 wait of 1 ms).
  const auto figures = gilsim::lock_figures(gilsim::test::hand_trace_handoffs());
  REQUIRE(figures.size() == 1);
  CHECK(figures[0].holds == 2);
  CHECK(figures[0].held_s == Approx(0.004));
  CHECK(figures[0].longest_hold_s == Approx(0.003));
  CHECK(figures[0].waits == 1);
  CHECK(figures[0].waited_s == Approx(0.001));
  CHECK(figures[0].longest_wait_s == Approx(0.001));
}

TEST_CASE("html: the latency histogram counts each request once, in bins up to the longest")
{
  // Latencies 1, 2 and 3 ms, and 4 ms for three requests (one of them alone, two done
  // together): 4 bins of 1 ms; the last bin holds the longest (4 ms / 1 ms is its upper edge).
  gilsim::run_trace tr;
  tr.started({"q", 1, false, {"p"}, {false}, {{"w", 0}}});
  for (double l : {0.001, 0.002, 0.003, 0.004})
    tr.requests_done(l, l, 1);
  tr.requests_done(0.005, 0.004, 2);
  tr.finished(0.005);
  double width = 0;
  CHECK(gilsim::latency_bins(tr, 4, width) == std::vector<std::uint64_t>{0, 1, 1, 4});
  CHECK(width == Approx(0.001));
  // The page's 40 bins of 0.1 ms: 3 ms in the bin from 3 ms, the three of 4 ms in the last.
  const std::string svg = gilsim::latency_histogram(tr);
  CHECK_THAT(svg, Contains("<title>1 request from 3 ms to 3.1 ms</title>") &&
                      Contains("<title>3 requests from 3.9 ms to 4 ms</title>"));
  // The mean (1 + 2 + 3 + 3 x 4) / 6 = 3 ms, p50 the 3rd of 6 (3 ms), p99 the 6th (4 ms).
  CHECK_THAT(svg, Contains("<title>mean 3 ms</title>") && Contains("<title>p50 3 ms</title>") &&
                      Contains("<title>p99 4 ms</title>"));
  CHECK_THAT(gilsim::latency_histogram(gilsim::test::hand_trace_one_core()),
             Contains("No requests"));
}

TEST_CASE("html: one page with every part, nothing fetched, the scenario's text escaped")
{
  const auto r = gilsim::test::hand_report();
  const auto tr = gilsim::test::hand_trace_handoffs();
  const gilsim::view_options view{{}, "s.yaml", "name: t # <a & b>\n"};
  const std::string page = gilsim::html_report({r, tr, view});
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  for (const char* id : {"summary", "timeline", "tip", "threads", "cores", "gil", "locks",
                         "scenario"})
    CHECK_THAT(page, Contains(std::string("id=\"") + id + "\""));
  CHECK_THAT(page, Contains("<pre id=\"scenario\">name: t # &lt;a &amp; b&gt;\n</pre>"));
  CHECK_THAT(page, Contains(gilsim::svg_timeline(tr)));
  // Two threads and two cores in the hand report: a row each after the header.
  const std::regex tr_row("<tr><td");
  const auto rows = [&](const std::string& id) {
    auto from = page.find("<table id=\"" + id + "\">");
    auto to = page.find("</table>", from);
    std::string t = page.substr(from, to - from);
    return std::distance(std::sregex_iterator(t.begin(), t.end(), tr_row), std::sregex_iterator());
  };
  CHECK(rows("threads") == 2);
  CHECK(rows("cores") == 2);
  CHECK(rows("gil") == 2);
  CHECK(rows("locks") == 1);
  // Nothing from elsewhere: no address but the SVG namespace, no external script.
  CHECK(page.find("<script src") == std::string::npos);
  std::string rest = page;
  for (auto at = rest.find("http://www.w3.org/2000/svg"); at != std::string::npos;
       at = rest.find("http://www.w3.org/2000/svg"))
    rest.erase(at, 26);
  CHECK(rest.find("http") == std::string::npos);
  // The writer, chosen by --html FILE.
  const auto& w = gilsim::test::registered("html");
  CHECK(gilsim::test::how_chosen(w) ==
        gilsim::test::chosen_by{"--html", "", gilsim::sink::file, true});
  CHECK(w.write({r, tr, view}) == page);
}
