// gilsim schema: print the JSON Schema of the scenario format (docs/gilsim.schema.json), made
// from the models' declared parameters, for editors (yaml-language-server) and validators.
#include "sim/cli/command.hpp"

#include "sim/schema/scenario_schema.hpp"

#include <iostream>

namespace gilsim::cli {

command add_schema(CLI::App& app)
{
  auto* sub = app.add_subcommand("schema", "print the JSON Schema of the scenario format");
  return {sub, [] {
            std::cout << scenario_schema().dump(2) << "\n";
            return 0;
          }};
}

}  // namespace gilsim::cli
