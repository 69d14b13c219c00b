// gilsim check: load and validate a scenario without running it, and say what it is made of.
#include "sim/cli/command.hpp"

#include "sim/load/loader.hpp"

#include "gilsim_version.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace gilsim::cli {

namespace {

struct check_options {
  std::string file;
  std::vector<std::string> overrides;
  std::string profile;
  bool json = false;
};

// The same as JSON: {file, status, processes, threads, queues: [{name, first, last, chunk}]}.
void print_json(const check_options& o, const scenario& sc, size_t threads)
{
  nlohmann::ordered_json j;
  j["file"] = o.file;
  j["status"] = "ok";
  j["version"] = GILSIM_VERSION_STRING;
  j["processes"] = sc.processes.size();
  j["threads"] = threads;
  j["queues"] = nlohmann::ordered_json::array();
  for (const auto& q : sc.queues)
    j["queues"].push_back({{"name", q.name}, {"first", q.first}, {"last", q.last},
                           {"chunk", q.chunk}});
  std::cout << j.dump(2) << "\n";
}

int check(const check_options& o)
{
  export_profile(o.profile);
  const scenario sc = load_scenario(o.file, o.overrides, o.profile);
  size_t threads = 0;
  for (const auto& ps : sc.processes)
    threads += ps.threads.size();
  if (o.json) {
    print_json(o, sc, threads);
    return 0;
  }
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
  sub->add_flag("--json", o->json, "print what check finds as JSON");
  add_profile_option(*sub, o->profile);
  return {sub, [o] { return check(*o); }};
}

}  // namespace gilsim::cli
