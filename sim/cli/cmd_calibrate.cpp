// gilsim calibrate and gilsim validate: make the host profile by timing the real prime kernel
// and the OS here, and check its predictions against real runs (sim/calib).
#include "sim/cli/command.hpp"

#include "sim/calib/validate.hpp"

#include <iostream>

namespace gilsim::cli {

command add_calibrate(CLI::App& app)
{
  struct calibrate_flags {
    calibrate_options opt;
    size_flags size;
  };
  auto o = std::make_shared<calibrate_flags>();
  auto* sub = app.add_subcommand("calibrate", "time the prime kernel, the OS and Python "
                                              "interpreters on this host and write its profile");
  sub->add_option("--out", o->opt.out, "the profile to write "
                                       "[~/.config/gilsim/host-profile.yaml]");
  sub->add_option("--python", o->opt.pythons,
                  "an interpreter to calibrate (a path or a command on the PATH); repeatable, "
                  "one profile section each [the first python3 on the PATH]");
  add_size_flags(*sub, o->size);
  return {sub, [o] {
            o->opt.size = o->size.size();
            return calibrate_command(o->opt, std::cout, std::cerr);
          }};
}

command add_validate(CLI::App& app)
{
  struct validate_flags {
    std::string profile;
    size_flags size;
  };
  auto o = std::make_shared<validate_flags>();
  auto* sub = app.add_subcommand("validate", "run native configurations for real and simulated "
                                             "from the profile; print the error");
  sub->add_option("--profile", o->profile, "the host profile [as for run]");
  add_size_flags(*sub, o->size);
  return {sub, [o] {
            export_profile(o->profile);
            return validate_command({o->profile, o->size.size()}, std::cout, std::cerr);
          }};
}

}  // namespace gilsim::cli
