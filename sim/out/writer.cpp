// The writer registry, the choice of writers from the options given, and the writing itself.
#include "sim/out/writer.hpp"

#include "models/core/error.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>

#include <zlib.h>

namespace gilsim {

std::map<std::string, writer>& writer_registry::entries()
{
  static std::map<std::string, writer> e;
  return e;
}

bool writer_registry::add(writer w)
{
  GILSIM_ASSERT(w.write, "a writer has a write function");
  GILSIM_ASSERT(!w.option.empty() || w.to == sink::console,
                "only a console writer may go without an option (the default)");
  std::string name = w.name;
  GILSIM_ASSERT(entries().emplace(std::move(name), std::move(w)).second,
                "writer names are unique");
  return true;
}

std::vector<const writer*> writer_registry::all()
{
  std::vector<const writer*> out;
  for (const auto& [name, w] : entries())
    out.push_back(&w);
  std::stable_sort(out.begin(), out.end(),
                   [](const writer* a, const writer* b) { return a->order < b->order; });
  return out;
}

const writer* writer_registry::find(const std::string& name)
{
  auto it = entries().find(name);
  return it == entries().end() ? nullptr : &it->second;
}

std::vector<chosen_writer> choose_writers(const given_option& given)
{
  std::vector<chosen_writer> out;
  const writer* console = nullptr;
  const writer* fallback = nullptr;
  for (const writer* w : writer_registry::all()) {
    if (w->option.empty()) {
      if (!fallback)
        fallback = w;
      continue;
    }
    auto value = given(w->option);
    if (!value || (!w->choice.empty() && *value != w->choice))
      continue;
    if (w->to != sink::console)
      out.push_back({w, *value});
    else if (!console)
      console = w;
  }
  if (!console)
    console = fallback;
  if (console)
    out.push_back({console, ""});
  return out;
}

bool any_needs_trace(const std::vector<chosen_writer>& chosen)
{
  return std::any_of(chosen.begin(), chosen.end(),
                     [](const chosen_writer& c) { return c.w->needs_trace; });
}

namespace {
// A path ending in .gz is written gzip-compressed.
void write_file(const std::filesystem::path& p, const std::string& text)
{
  if (p.extension() == ".gz") {
    gzFile gz = gzopen(p.c_str(), "wb");
    bool ok = gz && gzwrite(gz, text.data(), unsigned(text.size())) == int(text.size());
    if (!gz || gzclose(gz) != Z_OK || !ok)
      throw std::runtime_error("cannot write " + p.string());
    return;
  }
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + p.string());
}
}  // namespace

void write_outputs(const std::vector<chosen_writer>& chosen, const run_output& o,
                   std::ostream& console)
{
  for (const auto& c : chosen) {
    if (c.w->to == sink::file) {
      write_file(c.where, c.w->write(o));
    } else if (c.w->to == sink::directory) {
      std::filesystem::create_directories(c.where);
      write_file(std::filesystem::path(c.where) / c.w->name, c.w->write(o));
    }
  }
  for (const auto& c : chosen)
    if (c.w->to == sink::console)
      console << c.w->write(o);
}

}  // namespace gilsim
