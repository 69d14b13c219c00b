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

// One bad input: where its error must point and what its message must contain.
struct bad_input {
  std::string text;
  int line, col;
  std::string path, says;
};

// Each input fails to load as "t.yaml" at its position, with its message.
inline void require_errors(const std::vector<bad_input>& cases)
{
  for (const auto& c : cases) {
    INFO("input:\n" << c.text);
    const auto e = load_error(c.text);
    REQUIRE_ERROR_AT(e, "t.yaml", c.line, c.col, c.path);
    REQUIRE_THAT(e.message(), Catch::Matchers::Contains(c.says));
  }
}

}  // namespace gilsim::test
