// Lookup of filled-in model parameters and their human-readable description.
#include "models/core/params.hpp"

#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace gilsim {

double param_values::number(const std::string& name) const
{
  auto it = numbers_.find(name);
  if (it == numbers_.end())
    throw std::logic_error("parameter not declared: " + name);
  return it->second;
}

const std::string& param_values::choice(const std::string& name) const
{
  auto it = choices_.find(name);
  if (it == choices_.end())
    throw std::logic_error("choice parameter not declared: " + name);
  return it->second;
}

param_values default_values(const std::vector<param_decl>& decls)
{
  param_values v;
  for (const auto& d : decls) {
    if (d.optional)
      continue;
    if (d.kind == param_kind::choice)
      v.set_choice(d.name, d.choices.at(static_cast<size_t>(d.default_value)));
    else
      v.set_number(d.name, d.default_value);
  }
  return v;
}

std::string describe_params(const std::vector<param_decl>& decls)
{
  std::string out;
  for (const auto& d : decls) {
    std::string def;
    if (d.optional)
      def = "none";
    else if (d.kind == param_kind::choice)
      def = d.choices.at(static_cast<size_t>(d.default_value));
    else if (d.kind == param_kind::boolean)
      def = d.default_value != 0 ? "true" : "false";
    else
      def = fmt::format("{:g}", d.default_value);
    std::string range;
    if (std::isfinite(d.min))
      range += fmt::format(", {} {:g}", d.min_exclusive ? ">" : ">=", d.min);
    if (std::isfinite(d.max))
      range += fmt::format(", <= {:g}", d.max);
    out += fmt::format("  {} ({}{}default {}{}): {}\n", d.name, d.unit.empty() ? "" : d.unit,
                       d.unit.empty() ? "" : ", ", def, range, d.description);
  }
  return out;
}

}  // namespace gilsim
