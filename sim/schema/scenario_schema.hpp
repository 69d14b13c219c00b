// The JSON Schema (draft 2020-12) of the v1 scenario format, for editors and validators: the
// fixed structure (machine, processes, threads, program steps, queues, cost, workload) written
// here, and every model's choice and parameters taken from the registries the loader checks with.
#pragma once

#include "models/core/params.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim {

// The attributes the models of Registry declare (a policy's per-thread nice, an execution
// model's workload distribution), each once, in the order of the sorted model names: a key any
// of them declares is accepted whichever model is chosen.
template <class Registry>
std::vector<param_decl> declared_attributes()
{
  std::vector<param_decl> out;
  const auto& reg = Registry::instance();
  for (const auto& name : reg.names())
    for (const auto& d : reg.find(name)->attributes)
      if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.name == d.name; }))
        out.push_back(d);
  return out;
}

// The schema `gilsim schema` prints (and docs/gilsim.schema.json holds).
nlohmann::ordered_json scenario_schema();

}  // namespace gilsim
