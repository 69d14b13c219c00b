// gilsim validate --python PATH: the built-in suite of real Python programs
// (scenarios/validation/suite.yaml), each run for real under PATH and simulated from the host
// profile's section for that interpreter; the table gives measured, spread, predicted and error.
#pragma once

#include "sim/batch/sweep.hpp"
#include "sim/calib/calibrate.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace gilsim {

struct python_validate_options {
  std::string profile;            // --profile; empty: the default places
  std::string python = "python3";  // the interpreter to run the programs under
  std::string suite;              // the suite's folder; empty: the installed one, else the source's
  std::vector<std::string> only;  // run only these programs (by name); empty: the size's set
  calibration_size size = calibration_size::full;
  sweep::point_runner run_point;  // each simulation in a forked child; empty: exec gilsim
};

int validate_python_command(const python_validate_options& opt, std::ostream& out,
                            std::ostream& progress);

namespace detail {

struct suite_program {
  std::string name;
  std::vector<std::string> run;  // the program and its arguments, relative to the suite's folder
  std::string twin;              // the twin scenario, relative to the suite's folder
  bool tiny = false;             // in the tiny set the tests run
};

// Reads DIR/suite.yaml; an input_error at its file:line:col when malformed, or when a program or
// twin it names is not in DIR.
std::vector<suite_program> read_suite(const std::filesystem::path& dir);

// Where the suite is: `flag` when given, else share/gilsim/scenarios/validation beside the
// installed binary, else the source tree's scenarios/validation; empty when none exists.
std::filesystem::path find_suite(const std::string& flag);

// The figure a program printed: the "seconds" of the last line that is a JSON object with it;
// throws std::runtime_error when there is none.
double program_seconds(const std::string& output);

}  // namespace detail
}  // namespace gilsim
