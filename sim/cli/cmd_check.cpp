// gilsim check: load and validate a scenario without running it, and say what it is made of.
#include "sim/cli/command.hpp"

#include "sim/load/loader.hpp"

#include <fmt/format.h>

#include <iostream>

namespace gilsim::cli {

namespace {

struct check_options {
  std::string file;
  std::vector<std::string> overrides;
  std::string profile;
};

int check(const check_options& o)
{
  export_profile(o.profile);
  const scenario sc = load_scenario(o.file, o.overrides, o.profile);
  size_t threads = 0;
  for (const auto& ps : sc.processes)
    threads += ps.threads.size();
  std::cout << o.file << ": ok (" << sc.processes.size() << " processes, " << threads
            << " threads)\n";
  // What a workload became: its work queues and the size of what each take hands out.
  for (const auto& q : sc.queues)
    std::cout << fmt::format("  queue {}: items {}..{}, taken {} at a time\n", q.name, q.first,
                             q.last, q.chunk);
  return 0;
}

}  // namespace

command add_check(CLI::App& app)
{
  auto o = std::make_shared<check_options>();
  auto* sub = app.add_subcommand("check", "validate a scenario without running it");
  sub->add_option("scenario", o->file, "the scenario (YAML)")->required();
  sub->add_option("--set", o->overrides, "override a scenario key: key.path=VALUE (repeatable)");
  add_profile_option(*sub, o->profile);
  return {sub, [o] { return check(*o); }};
}

}  // namespace gilsim::cli
