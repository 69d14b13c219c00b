// The loader tests' way to catch the input_error a bad scenario raises and check where it points.
#pragma once

#include "sim/load/loader.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#define REQUIRE_ERROR_AT(e, file_, line_, col_, path_)                                   \
  do {                                                                                   \
    INFO("error: " << (e).what());                                                       \
    REQUIRE((e).pos().file == (file_));                                                  \
    REQUIRE((e).pos().line == (line_));                                                  \
    REQUIRE((e).pos().col == (col_));                                                    \
    REQUIRE((e).key_path() == (path_));                                                  \
  } while (0)

namespace gilsim::test {

// The error that loading `text` as "t.yaml" raises; fails the test when it loads.
inline input_error load_error(const std::string& text,
                              const std::vector<std::string>& overrides = {})
{
  try {
    load_scenario_text(text, "t.yaml", overrides);
  } catch (const input_error& e) {
    return e;
  }
  FAIL("the scenario loaded, but an input_error was expected");
  throw std::logic_error("unreachable");
}

}  // namespace gilsim::test
