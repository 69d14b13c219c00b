// gilsim's command line: load a scenario, run it, report. Each run is one process with one
// SimGrid engine; errors in the input exit with 2, a simulation that cannot finish with 1.
#include "sim/kernel.hpp"
#include "sim/loader.hpp"
#include "sim/report.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

void write_file(const std::filesystem::path& p, const std::string& text)
{
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + p.string());
}

}  // namespace

int main(int argc, char** argv)
{
  CLI::App app{"gilsim: a discrete-event simulator of CPUs, the CPython GIL and OS schedulers"};
  app.require_subcommand(1);

  std::string file;
  std::vector<std::string> overrides;
  std::string out_dir;
  bool json = false;
  gilsim::run_limits limits;
  std::uint64_t seed = 0;

  auto* run = app.add_subcommand("run", "simulate a scenario and report");
  run->add_option("scenario", file, "the scenario (YAML)")->required();
  run->add_option("--set", overrides, "override a scenario key: key.path=VALUE (repeatable)");
  run->add_option("--seed", seed, "the random seed (overrides the scenario's)");
  run->add_option("--out", out_dir, "write report.json and threads.csv into this directory");
  run->add_flag("--json", json, "print the JSON report on stdout, and nothing else");
  run->add_option("--max-events", limits.max_events, "stop with an error after this many events");
  run->add_option("--max-time", limits.max_time, "stop with an error at this simulated time (s)");

  auto* check = app.add_subcommand("check", "validate a scenario without running it");
  check->add_option("scenario", file, "the scenario (YAML)")->required();
  check->add_option("--set", overrides, "override a scenario key: key.path=VALUE (repeatable)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  try {
    if (seed)
      overrides.push_back("seed=" + std::to_string(seed));
    gilsim::scenario sc = gilsim::load_scenario(file, overrides);
    if (check->parsed()) {
      std::cout << file << ": ok (" << sc.processes.size() << " processes)\n";
      return 0;
    }
    gilsim::run_report r = gilsim::simulate(sc, limits);
    if (!out_dir.empty()) {
      std::filesystem::create_directories(out_dir);
      write_file(std::filesystem::path(out_dir) / "report.json", gilsim::report_json(r) + "\n");
      write_file(std::filesystem::path(out_dir) / "threads.csv", gilsim::report_threads_csv(r));
    }
    if (json)
      std::cout << gilsim::report_json(r) << "\n";
    else
      std::cout << gilsim::report_summary(r);
    if (r.status != "ok") {
      std::cerr << "gilsim: " << r.message << "\n";
      return 1;
    }
    return 0;
  } catch (const gilsim::input_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 2;
  }
}
