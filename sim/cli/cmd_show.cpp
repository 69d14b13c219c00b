// gilsim show: the effective scenario, as the run would see it (overrides applied, every default
// written out, a workload expanded into its processes, queues and locks), as YAML that loads
// back to the same run.
#include "sim/cli/command.hpp"

#include "sim/load/loader.hpp"
#include "sim/show/scenario_yaml.hpp"

#include "gilsim_version.hpp"

#include <fmt/format.h>

#include <iostream>

namespace gilsim::cli {

namespace {

struct show_options {
  std::string file;
  std::vector<std::string> overrides;
  std::string profile;
};

int show(const show_options& o)
{
  export_profile(o.profile);
  const scenario sc = load_scenario(o.file, o.overrides, o.profile);
  std::cout << fmt::format("# The effective scenario of {} (gilsim show, gilsim {})\n", o.file,
                           GILSIM_VERSION_STRING)
            << scenario_yaml(sc);
  return 0;
}

}  // namespace

command add_show(CLI::App& app)
{
  auto o = std::make_shared<show_options>();
  auto* sub = app.add_subcommand(
      "show", "print the effective scenario: overrides applied, defaults filled in, a workload "
              "expanded");
  sub->add_option("scenario", o->file, "the scenario (YAML)")->required();
  sub->add_option("--set", o->overrides, "override a scenario key: key.path=VALUE (repeatable)");
  add_profile_option(*sub, o->profile);
  return {sub, [o] { return show(*o); }};
}

}  // namespace gilsim::cli
