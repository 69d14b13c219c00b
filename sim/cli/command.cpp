// The exit-code contract and the options some commands share.
#include "sim/cli/command.hpp"

#include "models/core/error.hpp"
#include "sim/load/loader.hpp"
#include "sim/out/writer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <set>

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
  } catch (const output_error& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 3;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 3;
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

std::uint64_t count_arg(const std::string& option, const std::string& text, std::uint64_t min,
                        std::uint64_t max)
{
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    fail_input({fmt::format("{} {}", option, text)}, "",
               max == std::numeric_limits<std::uint64_t>::max() && min > 0
                   ? fmt::format("expected a whole number of at least {}", min)
                   : fmt::format("expected a whole number from {} to {}", min, max));
  return v;
}

CLI::Option* add_text_option(CLI::App& sub, const std::string& name, std::string& into,
                             const std::string& help)
{
  return sub.add_option(name, into, help)->check(CLI::Validator(
      [](std::string& v) { return v.empty() ? std::string("a value is needed") : std::string(); },
      "", "non-empty"));
}

std::uint64_t seed_arg(const std::string& text)
{
  return count_arg("--seed", text, 0, std::numeric_limits<std::uint64_t>::max());
}

double duration_arg(const std::string& option, const std::string& text)
{
  return parse_duration(text, {fmt::format("{} {}", option, text)}, "", false);
}

void limit_flags::add(CLI::App& sub, const std::string& events_help,
                      const std::string& time_help)
{
  add_text_option(sub, "--max-events", max_events, events_help);
  add_text_option(sub, "--max-time", max_time, time_help);
  add_text_option(sub, "--max-wall", max_wall,
                  fmt::format("stop with an error after this much wall time of a run: 10s, "
                              "90min (seconds without a unit) [{:g}s]",
                              run_limits::default_max_wall));
}

run_limits limit_flags::limits() const
{
  run_limits l;
  if (!max_events.empty())
    l.max_events = count_arg("--max-events", max_events, 1,
                             std::numeric_limits<std::uint64_t>::max());
  if (!max_time.empty())
    l.max_time = duration_arg("--max-time", max_time);
  if (!max_wall.empty())
    l.max_wall = duration_arg("--max-wall", max_wall);
  l.lookahead = !no_lookahead;
  return l;
}

std::vector<std::string> limit_flags::args() const
{
  std::vector<std::string> args;
  if (!max_events.empty())
    args.insert(args.end(), {"--max-events", max_events});
  if (!max_time.empty())
    args.insert(args.end(), {"--max-time", max_time});
  if (!max_wall.empty())
    args.insert(args.end(), {"--max-wall", max_wall});
  if (no_lookahead)
    args.push_back("--no-lookahead");
  return args;
}

sweep::options batch_options(const batch_flags& f)
{
  sweep::options opt;
  if (!f.out_dir.empty())
    opt.out_dir = f.out_dir;
  // Leaving -j out means the host's cores; 0 would be a run that never starts.
  if (!f.jobs.empty())
    opt.jobs = static_cast<int>(count_arg("--jobs", f.jobs, 1, 4096));
  opt.part = sweep::parse_shard(f.shard);
  opt.retry_failed = f.retry_failed;
  opt.json_events = f.json;
  if (!f.exec)
    opt.in_process = run_in_process;
  return opt;
}

void add_exec_flag(CLI::App& sub, bool& exec)
{
  sub.add_flag("--exec", exec, "start the gilsim binary afresh for each point instead of forking "
                               "this process (slower, the same results; for comparison)");
}

int run_in_process(const std::vector<std::string>& args)
{
  CLI::App app{"gilsim"};
  app.require_subcommand(1);
  const std::vector<command> commands = {add_run(app)};
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // as CLI11 takes them
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return run_parsed(commands);
}

calibration_size size_flags::size() const
{
  return tiny    ? calibration_size::tiny
         : quick ? calibration_size::quick
                 : calibration_size::full;
}

void add_size_flags(CLI::App& sub, size_flags& f)
{
  sub.add_flag("--quick", f.quick, "a shorter, rougher measurement (under 30 s for calibrate)");
  sub.add_flag("--tiny", f.tiny, "for the tests: a few seconds, structure only")->group("");
}

// Declares the options of the registered writers that the command does not have yet, in the
// writers' order; an option shared by writers with choices accepts exactly those choices.
void add_writer_options(CLI::App& sub, std::map<std::string, std::string>& values)
{
  std::vector<const writer*> firsts;
  std::map<std::string, std::set<std::string>> choices;
  for (const writer* w : writer_registry::all()) {
    if (w->option.empty() || sub.get_option_no_throw(w->option))
      continue;
    if (!choices.count(w->option))
      firsts.push_back(w);
    if (!w->choice.empty())
      choices[w->option].insert(w->choice);
  }
  for (const writer* w : firsts) {
    const auto& allowed = choices[w->option];
    if (w->to == sink::console && allowed.empty()) {
      sub.add_flag(w->option, w->help);
      continue;
    }
    auto* opt = sub.add_option(w->option, values[w->option], w->help);
    if (!allowed.empty())
      opt->check(CLI::IsMember(std::vector<std::string>(allowed.begin(), allowed.end())));
  }
}

// What the parsed command line gave for an option, as choose_writers asks.
given_option given_on(const CLI::App& sub)
{
  return [&sub](const std::string& name) -> std::optional<std::string> {
    const CLI::Option* opt = sub.get_option_no_throw(name);
    if (!opt || opt->count() == 0)
      return std::nullopt;
    return opt->get_type_size_max() == 0 ? std::string() : opt->as<std::string>();
  };
}

}  // namespace gilsim::cli
