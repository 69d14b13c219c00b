// A registry of named models (schedulers, lock kinds, GIL variants): each model file registers
// itself with its parameters, so `policy: cfs` in YAML resolves here and no central switch exists.
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
