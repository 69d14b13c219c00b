// `--html FILE`: one self-contained page of a run (nothing fetched, no external script): the
// run's summary, its timeline (the SVG writer's, with zoom buttons and hover tooltips in a few
// lines of plain JavaScript), the per-thread, per-core, per-GIL and per-lock tables, a
// histogram of the requests' latencies, and the scenario's text. The per-lock figures and the
// histogram come from the trace (report_html_figures.cpp).
#include "sim/out/report_html.hpp"

#include "gilsim_version.hpp"
#include "sim/out/trace_svg.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

namespace gilsim {

namespace {

using svg::escape;
using svg::human;

constexpr const char* style = R"(
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
th:first-child, td:first-child, td.name { text-align: left; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
#timeline { overflow-x: auto; border: 1px solid #ddd; }
#timeline svg { display: block; }
#controls button { margin-right: 0.3em; }
#tip { position: fixed; pointer-events: none; background: #ffffe0; border: 1px solid #999;
       padding: 2px 6px; font-size: 0.85em; white-space: nowrap; }
.note { color: #666; font-size: 0.9em; }
)";

// Zoom (the timeline's width times 1, 2, 4 or 8: a bigger picture of the same raster; --window
// draws a part of the run in full detail) and a tooltip that follows the pointer over anything
// with a <title>. "#selftest" in the address hovers the first segment, for the browser test.
constexpr const char* script = R"(
(function () {
  var box = document.getElementById('timeline'), svg = box.querySelector('svg');
  var tip = document.getElementById('tip');
  var w = svg.width.baseVal.value, h = svg.height.baseVal.value;
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
  function zoom(z) { svg.style.width = (w * z) + 'px'; svg.style.height = (h * z) + 'px'; }
  document.querySelectorAll('#controls button').forEach(function (b) {
    b.addEventListener('click', function () { zoom(Number(b.dataset.zoom)); });
  });
  function show(e) {
    var t = e.target.querySelector ? e.target.querySelector('title') : null;
    if (!t) { tip.hidden = true; return; }
    tip.textContent = t.textContent;
    tip.style.left = (e.clientX + 12) + 'px'; tip.style.top = (e.clientY + 12) + 'px';
    tip.hidden = false;
  }
  svg.addEventListener('mouseover', show);
  svg.addEventListener('mousemove', show);
  svg.addEventListener('mouseleave', function () { tip.hidden = true; });
  zoom(1);
  document.body.dataset.rows = svg.querySelectorAll('g.row').length;
  if (location.hash === '#selftest') {
    var seg = svg.querySelector('g.row rect + rect');
    if (seg) seg.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 10, clientY: 10}));
  }
  document.body.dataset.ready = 'yes';
})();
)";

std::string cell(const std::string& text, bool name = false)
{
  return fmt::format("<td{}>{}</td>", name ? " class=\"name\"" : "", escape(text));
}

std::string header_row(std::initializer_list<const char*> names)
{
  std::string out = "<tr>";
  for (const char* n : names)
    out += fmt::format("<th>{}</th>", n);
  return out + "</tr>\n";
}

std::string summary_table(const run_report& r, const view_options& v)
{
  std::string out = "<table id=\"summary\">\n";
  auto row = [&](const char* what, const std::string& value) {
    out += fmt::format("<tr><th>{}</th>{}</tr>\n", what, cell(value, true));
  };
  row("scenario", r.scenario);
  if (!v.scenario_path.empty())
    row("file", v.scenario_path == "-" ? "standard input" : v.scenario_path);
  row("gilsim", GILSIM_VERSION_STRING);
  row("machine", fmt::format("{} cores, policy {}", r.core_count, r.policy));
  row("seed", std::to_string(r.seed));
  row("status", r.status + (r.message.empty() ? "" : ": " + r.message));
  row("makespan", human(r.makespan_s));
  row("events", std::to_string(r.events));
  if (r.latency && r.latency->count > 0) {
    const latency_report& l = *r.latency;
    row("requests", fmt::format("{}: latency mean {}, p50 {}, p90 {}, p99 {}; {:.1f} per s",
                                l.count, human(l.mean_s), human(l.p50_s), human(l.p90_s),
                                human(l.p99_s), l.throughput_per_s));
  }
  const jobs_summary j = summarize_jobs(r);
  if (j.count > 0)
    row("jobs", fmt::format("{}: mean response {}, turnaround {}, wait {}", j.count,
                            human(j.mean_response_s), human(j.mean_turnaround_s),
                            human(j.mean_wait_s)));
  return out + "</table>\n";
}

constexpr size_t max_thread_lines = 2000;

std::string threads_table(const run_report& r)
{
  std::string out = "<table id=\"threads\">\n" +
                    header_row({"thread", "start", "first run", "end", "cpu", "ready", "io",
                                "sleep", "lock wait", "GIL wait", "switches", "GIL takes",
                                "response", "turnaround"});
  size_t shown = 0;
  for (const auto& t : r.threads) {
    if (++shown > max_thread_lines) {
      out += fmt::format("<tr><td colspan=\"14\">... and {} more (see --out)</td></tr>\n",
                         r.threads.size() - max_thread_lines);
      break;
    }
    const job_figures f = job_of(t);
    out += "<tr>" + cell(t.process + "/" + t.name + (t.daemon ? " (daemon)" : ""), true) +
           cell(human(t.start_s)) + cell(t.first_run_s < 0 ? "never" : human(t.first_run_s)) +
           cell(human(t.end_s)) + cell(human(t.cpu_s)) + cell(human(t.ready_wait_s)) +
           cell(human(t.io_s)) + cell(human(t.sleep_s)) + cell(human(t.lock_wait_s)) +
           cell(human(t.gil_wait_s)) + cell(std::to_string(t.context_switches)) +
           cell(std::to_string(t.gil_acquisitions)) + cell(human(f.response_s)) +
           cell(human(f.turnaround_s)) + "</tr>\n";
  }
  return out + "</table>\n";
}

std::string cores_table(const run_report& r)
{
  if (r.cores.empty())
    return "<p class=\"note\">Processor sharing: the threads run on the pooled cores, none on "
           "a core of its own.</p>\n";
  std::string out = "<table id=\"cores\">\n" +
                    header_row({"core", "group", "speed", "busy", "utilization", "switches"});
  for (const auto& c : r.cores)
    out += "<tr>" + cell(std::to_string(c.id), true) + cell(c.group) +
           cell(fmt::format("{:g}", c.speed)) + cell(human(c.busy_s)) +
           cell(fmt::format("{:.1f}%", c.utilization * 100)) +
           cell(std::to_string(c.context_switches)) + "</tr>\n";
  return out + "</table>\n";
}

std::string gil_table(const run_report& r)
{
  std::string out = "<table id=\"gil\">\n" +
                    header_row({"process", "runtime", "GIL", "hand-offs", "forced",
                                "I/O to GIL: count", "mean", "p50", "p99", "max"});
  for (const auto& p : r.processes) {
    const auto& c = p.gil.convoy;
    out += "<tr>" + cell(p.name, true) + cell(p.runtime) + cell(p.gil.model) +
           cell(std::to_string(p.gil.switches)) + cell(std::to_string(p.gil.forced_switches)) +
           cell(std::to_string(c.count)) + cell(c.count ? human(c.mean) : "-") +
           cell(c.count ? human(c.p50) : "-") + cell(c.count ? human(c.p99) : "-") +
           cell(c.count ? human(c.max) : "-") + "</tr>\n";
  }
  return out + "</table>\n";
}

std::string locks_table(const run_trace& tr)
{
  const auto figures = lock_figures(tr);
  if (figures.empty())
    return "<p id=\"locks\" class=\"note\">No locks in this run.</p>\n";
  std::string out = "<table id=\"locks\">\n" +
                    header_row({"lock", "stands for", "holds", "held", "longest hold", "waits",
                                "waited", "longest wait"});
  static const char* roles[] = {"the scenario's lock", "an event loop", "a join"};
  for (size_t l = 0; l < figures.size(); ++l) {
    const lock_figure& f = figures[l];
    out += "<tr>" + cell(tr.locks[l].name, true) + cell(roles[tr.locks[l].role % 3]) +
           cell(tr.locks[l].holdable ? std::to_string(f.holds) : "-") +
           cell(tr.locks[l].holdable ? human(f.held_s) : "-") +
           cell(tr.locks[l].holdable ? human(f.longest_hold_s) : "-") +
           cell(std::to_string(f.waits)) + cell(human(f.waited_s)) +
           cell(human(f.longest_wait_s)) + "</tr>\n";
  }
  return out + "</table>\n";
}

std::string page(const run_output& o)
{
  const run_report& r = o.report;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>gilsim: {0}</title>\n<style>{1}</style>\n</head>\n<body>\n"
      "<h1>{0}</h1>\n<h2>Summary</h2>\n{2}",
      escape(r.scenario), style, summary_table(r, o.view));
  out += "<h2>Timeline</h2>\n<div id=\"controls\">zoom: <button data-zoom=\"1\">1x</button>"
         "<button data-zoom=\"2\">2x</button><button data-zoom=\"4\">4x</button>"
         "<button data-zoom=\"8\">8x</button> <span class=\"note\">hover a segment or a mark "
         "for what it is; --window FROM..TO draws a part of the run in full detail</span></div>\n"
         "<div id=\"timeline\">\n" +
         svg_timeline(o.trace, {.window = o.view.window}) + "</div>\n<div id=\"tip\" "
         "role=\"tooltip\" hidden></div>\n";
  out += "<h2>Threads</h2>\n" + threads_table(r);
  out += "<h2>Cores</h2>\n" + cores_table(r);
  out += "<h2>GIL</h2>\n" + gil_table(r);
  out += "<h2>Locks</h2>\n" + locks_table(o.trace);
  out += "<h2>Latency</h2>\n" + latency_histogram(o.trace);
  out += "<h2>Scenario</h2>\n";
  out += o.view.scenario_text.empty()
             ? std::string("<p class=\"note\">The scenario was not given as text.</p>\n")
             : "<pre id=\"scenario\">" + escape(o.view.scenario_text) + "</pre>\n";
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", script);
  return out;
}

const bool registered = writer_registry::add(
    {.name = "html",
     .option = "--html",
     .help = "write one self-contained HTML page of the run (summary, timeline, tables, "
             "latency, the scenario) to FILE.html",
     .to = sink::file,
     .needs_trace = true,
     .order = 35,
     .write = page});

}  // namespace

std::string html_report(const run_output& o) { return page(o); }

}  // namespace gilsim
