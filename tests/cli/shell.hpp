// Runs a shell command line and reads back its exit code, stdout and stderr (tests/support.cpp).
#pragma once

#include "tests/support.hpp"

#include <string>

namespace gilsim::test {

// `command` through /bin/sh; its stderr is gathered into the result, unless the command line
// redirects it itself.
cli_result run_command(const std::string& command);

}  // namespace gilsim::test
