// The JSON Schema (draft 2020-12) of the v1 scenario format, for editors and validators: the
// fixed structure (machine, processes, threads, program steps, queues, cost, workload) written
// here, and every model's choice and parameters taken from the registries the loader checks with.
#pragma once

#include <nlohmann/json.hpp>

namespace gilsim {

// The schema `gilsim schema` prints (and docs/gilsim.schema.json holds).
nlohmann::ordered_json scenario_schema();

}  // namespace gilsim
