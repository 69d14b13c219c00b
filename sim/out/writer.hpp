// The outputs of a run, registered by name as the models are: each writer turns the run's
// report (and, when it asks for it, the trace recorder's record) into one text and says which
// command-line option selects it and where the text goes. `gilsim run` records what the selected
// writers need, runs, then lets each write; a new output is one file here and its test.
#pragma once

#include "sim/os/run_report.hpp"
#include "sim/out/trace.hpp"

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gilsim {

// What the command line says of how the run is shown: the part of it the pictures draw
// (--window), and the scenario as given (its path, "-" for stdin, and its text) for the page.
struct view_options {
  std::optional<time_window> window = {};
  std::string scenario_path = {};
  std::string scenario_text = {};
};

// What a writer reads: the report, the trace (empty unless the writer needs_trace) and how to
// show them.
struct run_output {
  const run_report& report;
  const run_trace& trace;
  view_options view = {};
};

// Where a writer's text goes.
enum class sink {
  file,       // the option's value is the file's path
  directory,  // into the directory the option names, as a file called after the writer
  console,    // stdout: of the console writers selected, only the first in order prints
};

struct writer {
  std::string name = {};  // for a sink::directory, the file it writes ("report.json")
  // The option that selects it ("--trace"). A command that has no such option yet gets it
  // declared with `help`: taking a value unless it is a console writer with no `choice`.
  // Empty: the console's default, printing when no other console writer is selected.
  std::string option = {};
  std::string choice = {};  // the value of the option that selects it ("mermaid"); empty: any
  std::string help = {};
  sink to = sink::console;
  bool needs_trace = false;  // run with the trace recorder listening
  // Writers are taken in this order: their options appear in it in `run --help`, files are
  // written in it, and it decides which console writer prints.
  int order = 0;
  std::function<std::string(const run_output&)> write = {};
  // For a file: the same text written piece by piece as it is made, so that an output as large
  // as the run (a trace) never has to be held whole. `write` is then used only for the console.
  std::function<void(const run_output&, const text_out&)> stream = {};
};

class writer_registry {
public:
  // Returns true so that a writer's file can write `const bool registered = ...::add(...)`.
  static bool add(writer w);
  // Every writer by order, then name: never link order.
  static std::vector<const writer*> all();
  static const writer* find(const std::string& name);

private:
  static std::map<std::string, writer>& entries();
};

// What the command line gave: the value of an option, "" for a flag, nothing when not given.
using given_option = std::function<std::optional<std::string>(const std::string& option)>;

// A writer the command line chose, and where its text goes (a path; empty on the console).
struct chosen_writer {
  const writer* w;
  std::string where;
};

// The writers the options select, in order: every file and directory writer whose option was
// given (with its choice, if it has one), and one console writer, the first selected in order
// or else the default.
std::vector<chosen_writer> choose_writers(const given_option& given);

bool any_needs_trace(const std::vector<chosen_writer>& chosen);

// Fails with an output_error, before anything is simulated, when a chosen writer's file or
// directory cannot be written (a directory that is a file, a place that refuses a new file), so
// that no run is spent on outputs that would be lost. Creates nothing.
void check_outputs(const std::vector<chosen_writer>& chosen);

// Writes each chosen writer's text where it goes: the files in order, then the console's. The
// files are all written whole or none is (output_files), and the console is flushed and
// checked; a file or console that cannot be written is an output_error naming it.
void write_outputs(const std::vector<chosen_writer>& chosen, const run_output& o,
                   std::ostream& console);

// --- Text for markup ---

// `text` with &, <, > and " as entities: safe in SVG and HTML text and in quoted attributes.
std::string xml_escaped(const std::string& text);

// --- Writing files whole ---

// An output that could not be written (a full disk, a read-only place, a path under a file):
// the command line exits with 3, and no file of the run is left behind.
class output_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Files written all or none: each text goes to a temporary beside its path, flushed, fsynced and
// closed with every status checked; commit() then renames them over their paths. A failure, or
// the set's end without commit(), removes every temporary. A path that exists and is not a
// regular file (/dev/null, /dev/stdout, a pipe) is written in place at commit(), not replaced.
class output_files {
public:
  output_files() = default;
  ~output_files();
  output_files(const output_files&) = delete;
  output_files& operator=(const output_files&) = delete;

  void add(const std::filesystem::path& path, const std::string& text);
  // The same, the text given piece by piece to the function's text_out as `make` makes it: it
  // goes to the temporary (gzip-compressed for a .gz path) through a buffer of a MiB.
  void add_streamed(const std::filesystem::path& path,
                    const std::function<void(const text_out&)>& make);
  void commit();
  void discard() noexcept;  // removes the temporaries: nothing of the set is left

private:
  struct staged {
    std::filesystem::path path;
    std::filesystem::path temp;  // empty: written in place at commit()
    std::string text;            // kept only for a file written in place
  };
  std::vector<staged> files_;
};

// One file written whole: an output_files of one.
void write_file_whole(const std::filesystem::path& path, const std::string& text);

// Makes the process's output writing stop for good and removes every temporary not yet renamed:
// for an interrupted run, from the thread that took the signal, before the process exits.
// Waits for a commit() under way, so that its files are either all renamed or all removed.
void abandon_outputs() noexcept;

}  // namespace gilsim
