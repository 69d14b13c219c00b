// The exit-code contract and the options some commands share.
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace gilsim::cli {

int run_parsed(const std::vector<command>& commands)
{
  try {
    for (const auto& c : commands)
      if (c.sub->parsed())
        return c.run();
    return 2;  // unreachable: the app requires one command
  } catch (const input_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const simulation_error& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 2;
  }
}

void add_profile_option(CLI::App& sub, std::string& profile)
{
  sub.add_option("--profile", profile, "the host profile for machine.speed: host "
                                       "[$GILSIM_PROFILE, ./host-profile.yaml, "
                                       "~/.config/gilsim/host-profile.yaml]");
}

void export_profile(const std::string& profile)
{
  if (!profile.empty())
    setenv("GILSIM_PROFILE", std::filesystem::absolute(profile).c_str(), 1);
}

std::vector<std::string> limit_args(const CLI::App& sub, const run_limits& limits)
{
  std::vector<std::string> args;
  if (sub.count("--max-events"))
    args.insert(args.end(), {"--max-events", std::to_string(limits.max_events)});
  if (sub.count("--max-time"))
    args.insert(args.end(), {"--max-time", fmt::format("{}", limits.max_time)});
  if (!limits.lookahead)
    args.push_back("--no-lookahead");
  return args;
}

sweep::options batch_options(const batch_flags& f)
{
  sweep::options opt;
  if (!f.out_dir.empty())
    opt.out_dir = f.out_dir;
  if (f.jobs < 0)
    fail_input({"--jobs"}, "", "must be 1 or more (0: the host's cores)");
  opt.jobs = f.jobs;
  opt.part = sweep::parse_shard(f.shard);
  opt.retry_failed = f.retry_failed;
  opt.json_events = f.json;
  return opt;
}

calibration_size size_flags::size() const
{
  return tiny    ? calibration_size::tiny
         : quick ? calibration_size::quick
                 : calibration_size::full;
}

void add_size_flags(CLI::App& sub, size_flags& f)
{
  sub.add_flag("--quick", f.quick, "a shorter, rougher measurement (under 20 s for calibrate)");
  sub.add_flag("--tiny", f.tiny, "for the tests: a second or two, structure only")->group("");
}

}  // namespace gilsim::cli
