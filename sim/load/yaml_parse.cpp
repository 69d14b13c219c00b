// Parsing YAML text under the input caps (sim/load/input_file.hpp): the parser's events are
// checked before yaml-cpp builds a tree, so that no text, however small, expands past them.
#include "sim/load/input_file.hpp"
#include "sim/load/yaml_check.hpp"

#include <cstdint>
#include <sstream>
#include <vector>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace gilsim::detail {
namespace {

// Walks the parser's events before any tree is built, so that the caps hold whatever the text:
// nodes are counted as the loader will walk them (an alias as many nodes as its anchored value,
// so a 2 KB file of doubling anchors is refused, not expanded into billions), nesting is bounded
// before yaml-cpp's own recursion guard, and a second document is refused rather than ignored.
class bounds_check : public YAML::EventHandler {
public:
  bounds_check(const std::string& label, int col_offset, const std::string& key_path)
      : label_(label), col_offset_(col_offset), key_path_(key_path), limits_(current_input_limits())
  {
  }
  int documents = 0;

  void OnDocumentStart(const YAML::Mark& m) override
  {
    if (++documents > 1)
      fail(m, "a second YAML document starts here; the file must hold one document (no '---' "
              "after the first)");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { leaf(m, a); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                const std::string&) override
  {
    leaf(m, a);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override
  {
    add(m, a < sizes_.size() ? sizes_[a] : 1);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                       YAML::EmitterStyle::value) override
  {
    open(m, a);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                  YAML::EmitterStyle::value) override
  {
    open(m, a);
  }
  void OnMapEnd() override { close(); }

private:
  struct open_node {
    YAML::anchor_t anchor;
    std::uint64_t count_before;
  };

  [[noreturn]] void fail(const YAML::Mark& m, const std::string& message) const
  {
    fail_input({label_, m.line + 1, m.column + 1 + (m.line == 0 ? col_offset_ : 0)}, key_path_,
               message);
  }
  void add(const YAML::Mark& m, std::uint64_t n)
  {
    count_ += n;  // no wrap: count_ and n are each at most the cap
    if (count_ > limits_.nodes)
      fail(m, fmt::format("the YAML expands to more than {} nodes (an alias counts as the whole "
                          "value it repeats); set GILSIM_MAX_YAML_NODES to raise the cap",
                          limits_.nodes));
  }
  void remember(YAML::anchor_t a, std::uint64_t size)
  {
    if (a == YAML::NullAnchor)
      return;
    if (sizes_.size() <= a)
      sizes_.resize(a + 1, 1);
    sizes_[a] = size;
  }
  void leaf(const YAML::Mark& m, YAML::anchor_t a)
  {
    add(m, 1);
    remember(a, 1);
  }
  void open(const YAML::Mark& m, YAML::anchor_t a)
  {
    if (open_.size() >= limits_.depth)
      fail(m, fmt::format("maps and lists nest deeper than {} levels here; set "
                          "GILSIM_MAX_YAML_DEPTH to raise the limit",
                          limits_.depth));
    open_.push_back({a, count_});
    add(m, 1);
  }
  void close()
  {
    remember(open_.back().anchor, count_ - open_.back().count_before);
    open_.pop_back();
  }

  const std::string& label_;
  int col_offset_;
  const std::string& key_path_;
  input_limits limits_;
  std::uint64_t count_ = 0;
  std::vector<open_node> open_;
  std::vector<std::uint64_t> sizes_;  // by anchor: the nodes its value expands to
};

}  // namespace

YAML::Node parse_yaml(const std::string& text, const std::string& file_label, int col_offset,
                      const std::string& key_path)
{
  const auto at = [&](const YAML::Mark& m) {
    return source_pos{file_label, m.line + 1, m.column + 1 + (m.line <= 0 ? col_offset : 0)};
  };
  check_utf8(text, file_label, col_offset, key_path);
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    bounds_check bounds(file_label, col_offset, key_path);
    while (parser.HandleNextDocument(bounds)) {
    }
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail_input(at(e.mark), key_path, e.msg);
  }
}

}  // namespace gilsim::detail
