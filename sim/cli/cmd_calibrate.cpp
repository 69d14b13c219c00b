// gilsim calibrate and gilsim validate: make the host profile by timing the real prime kernel
// and the OS here, and check its predictions against real runs (sim/calib).
#include "sim/cli/command.hpp"

#include "sim/calib/validate.hpp"
#include "sim/calib/validate_python.hpp"

#include <algorithm>

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
    std::vector<std::string> python;
    python_validate_options py;
    size_flags size;
  };
  auto o = std::make_shared<validate_flags>();
  auto* sub = app.add_subcommand("validate", "run native configurations (or, with --python, the "
                                             "suite of real Python programs) for real and "
                                             "simulated from the profile; print the error");
  sub->add_option("--profile", o->profile, "the host profile [as for run]");
  sub->add_option("--python", o->python,
                  "run the Python suite (scenarios/validation) under this interpreter instead");
  sub->add_option("--suite", o->py.suite, "--python: the suite's folder [the installed one]");
  sub->add_option("--only", o->py.only, "--python: only these programs of the suite")
      ->delimiter(',');
  add_size_flags(*sub, o->size);
  return {sub, [o] {
            export_profile(o->profile);
            if (o->python.empty())
              return validate_command({o->profile, o->size.size(), run_in_process}, std::cout,
                                      std::cerr);
            int code = 0;
            for (const auto& py : o->python) {
              auto opt = o->py;
              opt.profile = o->profile;
              opt.python = py;
              opt.size = o->size.size();
              opt.run_point = run_in_process;
              code = std::max(code, validate_python_command(opt, std::cout, std::cerr));
            }
            return code;
          }};
}

}  // namespace gilsim::cli
