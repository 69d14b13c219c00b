// Parameter declarations shared by every model: name, kind, unit, default, range, description.
// The scenario loader validates YAML against them; `gilsim schema` (sim/schema) is built from them.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace gilsim {

enum class param_kind {
  duration,  // seconds; YAML: "5ms", "2us", "1.5s", "1min" or a plain number of seconds
  number,    // a real number
  integer,   // a whole number
  boolean,   // true / false
  choice,    // one of `choices`
};

struct param_decl {
  std::string name;
  param_kind kind = param_kind::number;
  std::string unit;  // "s", "ticks", "" ...
  double default_value = 0;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;  // e.g. a quantum must be > 0
  std::string description;
  std::vector<std::string> choices;  // for param_kind::choice; default_choice is choices[default]
  // No default: the value is absent (param_values::has is false) unless the scenario gives it,
  // and the model decides what its absence means (a pool's chunksize is the pool's own).
  bool optional = false;
};

// The filled-in values of a model's parameters: every declared parameter has a value (the
// default unless the scenario set it), but an optional one that the scenario leaves out.
class param_values {
public:
  double number(const std::string& name) const;
  const std::string& choice(const std::string& name) const;
  bool flag(const std::string& name) const { return number(name) != 0; }
  void set_number(const std::string& name, double v) { numbers_[name] = v; }
  void set_choice(const std::string& name, std::string v) { choices_[name] = std::move(v); }
  bool has(const std::string& name) const { return numbers_.count(name) || choices_.count(name); }
  const std::map<std::string, double>& numbers() const { return numbers_; }
  const std::map<std::string, std::string>& choices() const { return choices_; }

private:
  std::map<std::string, double> numbers_;
  std::map<std::string, std::string> choices_;
};

// Values holding every declaration's default (optional ones left out).
param_values default_values(const std::vector<param_decl>& decls);

// One line per parameter ("quantum (s, default 0.004, > 0): the time slice"), for --help and docs.
std::string describe_params(const std::vector<param_decl>& decls);

}  // namespace gilsim
