// gilsim merge: join the result directories of a sweep's shards into one.
#include "sim/cli/command.hpp"

namespace gilsim::cli {

command add_merge(CLI::App& app)
{
  struct merge_options {
    std::vector<std::string> dirs;
    std::string out_dir;
  };
  auto o = std::make_shared<merge_options>();
  auto* sub = app.add_subcommand("merge", "join the result directories of a sweep's shards");
  sub->add_option("dirs", o->dirs, "the shards' result directories")->required();
  sub->add_option("--out", o->out_dir, "the merged result directory")->required();
  return {sub, [o] { return sweep::merge(o->dirs, o->out_dir); }};
}

}  // namespace gilsim::cli
