// The outputs of a run, registered by name as the models are: each writer turns the run's
// report (and, when it asks for it, the trace recorder's record) into one text and says which
// command-line option selects it and where the text goes. `gilsim run` records what the selected
// writers need, runs, then lets each write; a new output is one file here and its test.
#pragma once

#include "sim/os/run_report.hpp"
#include "sim/out/trace.hpp"

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gilsim {

// What a writer reads: the report, and the trace (empty unless the writer needs_trace).
struct run_output {
  const run_report& report;
  const run_trace& trace;
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

// Writes each chosen writer's text where it goes: the files in order, then the console's.
// A file that cannot be written is a std::runtime_error naming it.
void write_outputs(const std::vector<chosen_writer>& chosen, const run_output& o,
                   std::ostream& console);

}  // namespace gilsim
