// Shared by the model tests: a model made through its registry entry with every parameter
// given, and the lists that tests record and compare whole.
#pragma once

#include "models/core/registry.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gilsim::test {

using ids = std::vector<int>;
using lines = std::vector<std::string>;

// The registry entry of `name`; the test stops if there is none.
template <class Registry>
const typename Registry::entry& entry(const std::string& name)
{
  const auto* e = Registry::instance().find(name);
  REQUIRE(e != nullptr);
  return *e;
}

// The declaration of `name`'s parameter `param`.
template <class Registry>
const param_decl& declared(const std::string& name, const std::string& param)
{
  for (const auto& d : entry<Registry>(name).params)
    if (d.name == param)
      return d;
  FAIL(name << " declares no " << param);
  throw;
}

// `name` from `Registry` with the parameters given here, all of them: a test never leans on a
// default (the defaults have their own tests), and a name the model does not declare fails.
template <class Registry, class Context>
auto make_model(const std::string& name, const std::map<std::string, double>& params,
                const Context& ctx)
{
  const auto& e = entry<Registry>(name);
  param_values p = default_values(e.params);
  REQUIRE(p.numbers().size() + p.choices().size() == params.size());
  for (const auto& [key, value] : params) {
    INFO(name << " declares " << key);
    REQUIRE(p.has(key));
    p.set_number(key, value);
  }
  return e.make(p, ctx);
}

}  // namespace gilsim::test
