// gilsim's command line: load a scenario, run it, report; or run many (sweep, batch, merge), each
// in its own gilsim process, and plot them; or calibrate the host. Each command is its own file
// (sim/cli/cmd_*.cpp). Exit codes: 0 ok, 1 a run could not finish, 2 bad input or usage, 3 an
// output could not be written, 128 + the signal when interrupted.
#include "sim/cli/command.hpp"

#include "gilsim_version.hpp"

int main(int argc, char** argv)
{
  CLI::App app{"gilsim: a discrete-event simulator of CPUs, the CPython GIL and OS schedulers"};
  app.set_version_flag("--version", "gilsim " GILSIM_VERSION_STRING);
  app.require_subcommand(1);
  namespace cli = gilsim::cli;
  const std::vector<cli::command> commands = {
      cli::add_run(app),   cli::add_check(app),     cli::add_sweep(app),   cli::add_merge(app),
      cli::add_plot(app),  cli::add_calibrate(app), cli::add_validate(app),
      cli::add_jobs(app),  cli::add_show(app),     cli::add_schema(app),  cli::add_choose(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return cli::run_parsed(commands);
}
