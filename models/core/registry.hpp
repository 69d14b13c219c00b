// A registry of named models (schedulers, lock kinds, GIL variants, execution models, work
// kernels): each model file registers itself with its parameters, so `policy: cfs` in YAML
// resolves here and no central switch exists.
#pragma once

#include "models/core/params.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gilsim {

template <class Product, class Context>
class registry {
public:
  using factory = std::function<std::unique_ptr<Product>(const param_values&, const Context&)>;
  struct entry {
    std::string name;
    std::string description;
    std::vector<param_decl> params;
    factory make;
    // Shared attributes: values the model reads that are written elsewhere than its own map, or
    // that other models of the registry read too: a policy's per-thread `nice` or `priority`,
    // an execution model's workload `distribution`. A key some model declares here is accepted
    // whichever model is chosen (sim/load/yaml_check.hpp, attribute_decls).
    std::vector<param_decl> attributes = {};
  };

  static registry& instance()
  {
    static registry r;
    return r;
  }
  // Returns true so that a model file can write `const bool registered = registry::add(...)`.
  static bool add(entry e)
  {
    auto& self = instance();
    std::string name = e.name;
    self.entries_.emplace(std::move(name), std::move(e));
    return true;
  }
  const entry* find(const std::string& name) const
  {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  // Sorted names: the order of error messages and docs never depends on link order.
  std::vector<std::string> names() const
  {
    std::vector<std::string> out;
    for (const auto& [name, e] : entries_)
      out.push_back(name);
    return out;
  }

private:
  std::map<std::string, entry> entries_;
};

}  // namespace gilsim
