// The HTML page's figures drawn from the trace: per-lock holds and waits, and the histogram of
// the requests' latencies.
#include "sim/out/report_html.hpp"

#include "sim/out/trace_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace gilsim {

std::vector<lock_figure> lock_figures(const run_trace& tr)
{
  std::vector<lock_figure> out(tr.locks.size());
  // Holds: each holder from the change that made it one to the change that ended it.
  std::vector<std::map<int, double>> since(tr.locks.size());  // lock -> holder -> since
  auto close = [&](int l, int h, double at) {
    double d = at - since[size_t(l)][h];
    out[size_t(l)].held_s += d;
    out[size_t(l)].longest_hold_s = std::max(out[size_t(l)].longest_hold_s, d);
    since[size_t(l)].erase(h);
  };
  for (const auto& c : tr.lock_changes) {
    auto& now = since[size_t(c.lock)];
    std::vector<int> gone;
    for (const auto& [h, t] : now)
      if (std::find(c.holders.begin(), c.holders.end(), h) == c.holders.end())
        gone.push_back(h);
    for (int h : gone)
      close(c.lock, h, c.t);
    for (int h : c.holders)
      if (!now.count(h)) {
        now[h] = c.t;
        ++out[size_t(c.lock)].holds;
      }
  }
  for (size_t l = 0; l < since.size(); ++l) {
    std::vector<int> left;
    for (const auto& [h, t] : since[l])
      left.push_back(h);
    for (int h : left)
      close(int(l), h, tr.end);
  }
  // Waits: each to the waiter's next change of state after it began.
  std::vector<std::vector<double>> changes(tr.threads.size());
  for (const auto& c : tr.changes)
    changes[size_t(c.thread)].push_back(c.t);
  for (const auto& w : tr.lock_waits) {
    const auto& mine = changes[size_t(w.thread)];
    auto next = std::upper_bound(mine.begin(), mine.end(), w.t);
    double d = (next == mine.end() ? tr.end : *next) - w.t;
    lock_figure& f = out[size_t(w.lock)];
    ++f.waits;
    f.waited_s += d;
    f.longest_wait_s = std::max(f.longest_wait_s, d);
  }
  return out;
}

std::vector<std::uint64_t> latency_bins(const run_trace& tr, int bins, double& width_s)
{
  double longest = 0;
  for (const auto& r : tr.requests)
    longest = std::max(longest, r.latency);
  width_s = longest > 0 ? longest / bins : 1;
  std::vector<std::uint64_t> out(size_t(bins), 0);
  for (const auto& r : tr.requests)
    out[size_t(std::min(bins - 1, int(r.latency / width_s)))] += r.count;
  return out;
}

namespace {

// The latency at rank q (nearest rank) of the requests, counted with their multiplicity.
double latency_at(std::vector<std::pair<double, std::uint64_t>> sorted, std::uint64_t total,
                  double q)
{
  const auto rank = std::uint64_t(std::max(1.0, std::ceil(q * double(total))));
  std::uint64_t seen = 0;
  for (const auto& [l, n] : sorted)
    if ((seen += n) >= rank)
      return l;
  return sorted.empty() ? 0 : sorted.back().first;
}

}  // namespace

std::string latency_histogram(const run_trace& tr)
{
  if (tr.requests.empty())
    return "<p id=\"latency\" class=\"note\">No requests: the run has no workload.</p>\n";
  constexpr int bins = 40, w = 800, h = 160, left = 50, bottom = 30;
  double width_s = 0;
  const auto counts = latency_bins(tr, bins, width_s);
  const std::uint64_t most = *std::max_element(counts.begin(), counts.end());
  std::vector<std::pair<double, std::uint64_t>> sorted;
  std::uint64_t total = 0;
  double sum = 0;
  for (const auto& r : tr.requests) {
    sorted.push_back({r.latency, r.count});
    total += r.count;
    sum += r.latency * double(r.count);
  }
  std::sort(sorted.begin(), sorted.end());
  std::string out = fmt::format(
      "<svg id=\"latency\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      left + w + 20, h + bottom + 10);
  const double bar = double(w) / bins;
  for (int b = 0; b < bins; ++b) {
    if (counts[size_t(b)] == 0)
      continue;
    const double bh = double(counts[size_t(b)]) / double(most) * h;
    out += fmt::format("<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
                       "height=\"{:.1f}\" fill=\"#3b7dd8\"><title>{} request{} from {} to {}"
                       "</title></rect>\n",
                       left + b * bar, 10 + h - bh, bar - 1, bh, counts[size_t(b)],
                       counts[size_t(b)] == 1 ? "" : "s",
                       svg::human(b * width_s), svg::human((b + 1) * width_s));
  }
  const std::pair<const char*, double> marks[] = {{"mean", sum / double(total)},
                                                  {"p50", latency_at(sorted, total, 0.5)},
                                                  {"p99", latency_at(sorted, total, 0.99)}};
  int k = 0;
  for (const auto& [name, at] : marks) {
    const double x = left + at / (width_s * bins) * w;
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"10\" x2=\"{0:.1f}\" y2=\"{1}\" stroke=\"#d62728\" "
                       "stroke-dasharray=\"3 2\"><title>{2} {3}</title></line><text x=\"{0:.1f}\" "
                       "y=\"{4}\" fill=\"#d62728\">{2}</text>\n",
                       x, 10 + h, name, svg::human(at), 20 + 12 * k++);
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"black\"/>"
                     "<text x=\"{0}\" y=\"{3}\">0</text><text x=\"{2}\" y=\"{3}\" "
                     "text-anchor=\"end\">{4}</text><text x=\"{5}\" y=\"{3}\" "
                     "text-anchor=\"middle\">latency ({6} requests; the tallest bar {7})</text>\n",
                     left, 10 + h, left + w, 10 + h + 16, svg::human(width_s * bins),
                     left + w / 2, total, most);
  return out + "</svg>\n";
}

}  // namespace gilsim
