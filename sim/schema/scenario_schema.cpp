// The scenario format as a JSON Schema. The models' parts (a scheduler policy, a GIL variant, a
// lock kind, an execution model) are built from their registry entries: one branch per model
// with its selector's name and its declared parameters (unit, default, range, description), so
// a parameter the loader would refuse is refused here too. The rest mirrors sim/load/loader.cpp.
#include "sim/schema/scenario_schema.hpp"

#include "models/cost/work_kernel.hpp"
#include "models/exec/exec_model.hpp"
#include "models/gil/gil_model.hpp"
#include "models/lock/lock_model.hpp"
#include "models/sched/sched_policy.hpp"

#include <cmath>
#include <fmt/format.h>
#include <string>
#include <vector>

namespace gilsim {
namespace {

using json = nlohmann::ordered_json;

json ref(const std::string& def) { return {{"$ref", "#/$defs/" + def}}; }

// A map that takes only these properties.
json closed(json properties, std::vector<std::string> required = {})
{
  json o = {{"type", "object"}, {"properties", std::move(properties)},
            {"additionalProperties", false}};
  if (!required.empty())
    o["required"] = required;
  return o;
}

json integer(long long lo, long long hi)
{
  return {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}};
}

// A declared parameter: its kind, its range (on the number of seconds for a duration), its
// default and a description that names its unit.
json param_schema(const param_decl& d)
{
  json s;
  switch (d.kind) {
  case param_kind::duration:
    s = ref("duration");
    break;
  case param_kind::number:
    s = {{"type", "number"}};
    break;
  case param_kind::integer:
    s = {{"type", "integer"}};
    break;
  case param_kind::boolean:
    s = {{"type", "boolean"}};
    break;
  case param_kind::choice:
    s = {{"enum", d.choices}};
    break;
  }
  std::string unit = d.unit.empty() ? "" : fmt::format(" ({})", d.unit);
  s["description"] = d.description + unit;
  if (d.optional)
    ;  // no default: the model decides what its absence means
  else if (d.kind == param_kind::choice)
    s["default"] = d.choices.at(size_t(d.default_value));
  else if (d.kind == param_kind::boolean)
    s["default"] = d.default_value != 0;
  else
    s["default"] = d.default_value;
  // A duration's bounds hold for its numeric form; its text form is checked by the loader.
  json bounds;
  if (std::isfinite(d.min))
    bounds[d.min_exclusive ? "exclusiveMinimum" : "minimum"] = d.min;
  if (std::isfinite(d.max))
    bounds["maximum"] = d.max;
  if (!bounds.empty() && d.kind == param_kind::duration) {
    json number = {{"type", "number"}};
    number.update(bounds);
    s["anyOf"] = json::array({json{{"type", "string"}}, number});
  } else if (!bounds.empty() && d.kind != param_kind::choice && d.kind != param_kind::boolean)
    s.update(bounds);
  return s;
}

// One branch per registered model: {selector: name, its parameters, the keys `also` beside},
// and with `attributes` the fields the models declare, this model's declaration first (as the
// loader reads them). The default model's branch also matches a map without the selector.
template <class Registry>
json models_schema(const std::string& selector, const std::string& default_name,
                   const std::string& what, const json& also = json::object(),
                   bool attributes = false)
{
  json branches = json::array();
  const auto& reg = Registry::instance();
  for (const auto& name : reg.names()) {
    const auto& e = *reg.find(name);
    json props = {{selector, {{"const", name}, {"description", e.description}}}};
    for (const auto& d : e.params)
      props[d.name] = param_schema(d);
    for (const auto& [k, v] : also.items())
      props[k] = v;
    if (attributes) {
      for (const auto& d : e.attributes)
        props[d.name] = param_schema(d);
      for (const auto& d : declared_attributes<Registry>())
        if (!props.contains(d.name))
          props[d.name] = param_schema(d);
    }
    json branch = closed(props);
    branch["title"] = fmt::format("{} {}", what, name);
    if (name != default_name)
      branch["required"] = {selector};
    branches.push_back(branch);
  }
  return {{"type", "object"},
          {"description", fmt::format("the {} (`{}`, default {}) and its parameters", what,
                                      selector, default_name)},
          {"anyOf", branches}};
}

json step_schema()
{
  json timed = ref("timed");
  json modes = json::array();
  for (const char* m : {"python", "native", "holds_gil"})
    modes.push_back(closed({{m, timed}}, {m}));
  json kernel = closed({{"kernel", {{"enum", kernel_registry::instance().names()}}},
                        {"range", ref("range")},
                        {"mode", {{"enum", {"python", "native", "holds_gil"}}}}},
                       {"kernel"});
  json cpu = {{"description", "CPU work: Python bytecode unless {native: ..} or {holds_gil: ..}"},
              {"anyOf", json::array({timed, json{{"oneOf", modes}}, kernel})}};
  json name = {{"type", "string"}};
  json taken = {{"anyOf", json::array({name, closed({{"name", name}, {"by_timer", {{"type", "boolean"}}}},
                                                     {"name"})})}};
  return {{"oneOf",
           json::array({closed({{"cpu", cpu}}, {"cpu"}),
                        closed({{"io", timed}}, {"io"}),
                        closed({{"sleep", timed}}, {"sleep"}),
                        closed({{"lock", taken}}, {"lock"}),
                        closed({{"unlock", name}}, {"unlock"}),
                        closed({{"put", name}}, {"put"}),
                        closed({{"get", name}}, {"get"}),
                        closed({{"wait", name}}, {"wait"}),
                        closed({{"notify", name}}, {"notify"}),
                        closed({{"notify_all", name}}, {"notify_all"}),
                        closed({{"set", name}}, {"set"}),
                        closed({{"clear", name}}, {"clear"}),
                        closed({{"repeat", integer(1, 1000000000)}, {"do", ref("program")}},
                               {"repeat", "do"}),
                        closed({{"for_each", name}, {"do", ref("program")}},
                               {"for_each", "do"})})}};
}

json defs()
{
  // parse_duration: a number of seconds, or one with a unit (ns, us, ms, s, min).
  const std::string text = R"(^\s*\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*(ns|us|ms|s|min)?\s*$)";
  json d;
  d["duration"] = {{"description", "a duration: 5ms, 2us, 1.5s, 1min, or a number of seconds"},
                   {"anyOf", json::array({json{{"type", "number"}, {"minimum", 0}},
                                          json{{"type", "string"}, {"pattern", text}}})}};
  d["duration_nonzero"] = {{"description", "a duration above zero: 5ms, 2us, 1.5s, 1min"},
                           {"anyOf", json::array({json{{"type", "number"}, {"exclusiveMinimum", 0}},
                                                  json{{"type", "string"}, {"pattern", text}}})}};
  // A step's duration: a constant, or drawn at each use (sim/load/distribution.cpp).
  const json mean_sd = closed({{"mean", ref("duration_nonzero")}, {"sd", ref("duration")}},
                              {"mean", "sd"});
  d["timed"] = {
      {"description", "a duration above zero, or a random one drawn at each use: {exp: mean}, "
                      "{uniform: [low, high]}, {lognormal: {mean, sd}}, {normal: {mean, sd}} "
                      "truncated at 0"},
      {"anyOf",
       json::array({ref("duration_nonzero"), closed({{"exp", ref("duration_nonzero")}}, {"exp"}),
                    closed({{"uniform", {{"type", "array"},
                                         {"prefixItems", json::array({ref("duration"),
                                                                      ref("duration_nonzero")})},
                                         {"minItems", 2},
                                         {"maxItems", 2}}}},
                           {"uniform"}),
                    closed({{"lognormal", mean_sd}}, {"lognormal"}),
                    closed({{"normal", mean_sd}}, {"normal"})})}};
  const json count = integer(1, 100000000);
  const json rate = {
      {"anyOf", json::array({json{{"type", "number"}, {"exclusiveMinimum", 0}},
                             json{{"type", "string"},
                                  {"pattern", R"(^[0-9.eE+-]+(/(s|ms|us|min))?$)"}}})}};
  d["arrivals"] = {
      {"description", "open arrivals of requests in place of (a workload's or a queue's) items: "
                      "Poisson, one every interval, or a time per row of a file (beside it)"},
      {"oneOf", json::array({closed({{"poisson", rate}, {"count", count}}, {"poisson", "count"}),
                             closed({{"every", ref("duration_nonzero")}, {"count", count}},
                                    {"every", "count"}),
                             closed({{"file", {{"type", "string"}}}}, {"file"})})}};
  d["range"] = {{"description", "[first, last]: an inclusive range of numbers"},
                {"type", "array"},
                {"prefixItems", json::array({integer(0, 1LL << 52), integer(0, 1LL << 52)})},
                {"minItems", 2},
                {"maxItems", 2}};
  d["items"] = closed({{"range", ref("range")}}, {"range"});
  d["step"] = step_schema();
  d["program"] = {{"type", "array"}, {"minItems", 1}, {"items", ref("step")}};
  const json interpreter = {
      {"type", "string"},
      {"description",
       "the interpreter whose measured costs the process has: a section of the host profile "
       "by its major.minor (\"3.12\"); needs machine.speed: host (default: the profile's "
       "first section, else the built-in costs)"}};
  d["python"] = models_schema<gil_registry>("gil", "new", "GIL model", {{"interpreter", interpreter}});
  json thread = {{"name", {{"type", "string"}}},
                 {"count", integer(1, 100000)},
                 {"daemon", {{"type", "boolean"}}},
                 {"start", ref("duration")},
                 {"program", ref("program")},
                 {"affinity",
                  {{"type", "array"},
                   {"minItems", 1},
                   {"uniqueItems", true},
                   {"items", integer(0, 4095)},
                   {"description", "the core ids it may run on (fifo and rr)"}}},
                 {"working_set",
                  {{"type", "number"},
                   {"minimum", 0},
                   {"description", "its working set, in the units of machine.cache.size"}}}};
  for (const auto& a : declared_attributes<sched_registry>())  // nice, priority
    thread[a.name] = param_schema(a);
  d["thread"] = closed(thread, {"name", "program"});
  d["process"] = closed({{"name", {{"type", "string"}}},
                         {"runtime", {{"enum", {"python", "native"}}, {"default", "python"}}},
                         {"start", ref("duration")},
                         {"python", ref("python")},
                         {"threads", {{"type", "array"}, {"minItems", 1}, {"items", ref("thread")}}}},
                        {"name", "threads"});
  json kernel_cost = closed({{"per_division", ref("duration")}, {"per_item", ref("duration")}});
  d["cost"] = closed({{"python", kernel_cost}, {"native", kernel_cost}});
  return d;
}

json top_properties()
{
  json p;
  p["name"] = {{"type", "string"}, {"description", "the scenario's name (default: the file's stem)"}};
  p["seed"] = {{"type", "integer"}, {"minimum", 0}};
  p["machine"] = closed(
      {{"cores",
        {{"description", "a number of cores, or groups of like cores: [{name: P, count: 2, "
                         "speed: 1.0}, ...]"},
         {"anyOf",
          json::array({integer(1, 4096),
                       json{{"type", "array"},
                            {"minItems", 1},
                            {"items", closed({{"name", {{"type", "string"}}},
                                              {"count", integer(1, 4096)},
                                              {"speed", {{"type", "number"},
                                                         {"exclusiveMinimum", 0}}}},
                                             {"name"})}}})}}},
       {"speed", {{"anyOf", json::array({json{{"type", "number"}, {"exclusiveMinimum", 0}},
                                         json{{"const", "host"}}})},
                  {"description", "relative to the reference core, or host (the host profile)"}}},
       {"context_switch", ref("duration")},
       {"wakeup_latency", ref("duration")},
       {"jitter",
        {{"type", "number"},
         {"minimum", 0},
         {"maximum", 1},
         {"default", 0},
         {"description", "relative spread of every io and sleep duration: each lasts d x (1 + "
                         "jitter x u), u uniform in [-1, 1) from its process's seeded stream"}}},
       {"cache",
        closed({{"size", {{"type", "number"}, {"minimum", 0}}},
                {"warmup", ref("duration")},
                {"warm_speedup", {{"type", "number"}, {"exclusiveMinimum", 0}}}},
               {})},
       {"tick", ref("duration")}});
  p["scheduler"] = models_schema<sched_registry>("policy", "cfs", "policy");
  p["python"] = ref("python");
  p["locks"] = {{"type", "object"},
                {"additionalProperties", models_schema<lock_registry>("kind", "mutex", "lock kind")}};
  // A work queue holds its items from the start, or takes requests that arrive over time.
  json queue = closed({{"items", ref("items")},
                       {"arrivals", ref("arrivals")},
                       {"chunk", integer(1, 1LL << 52)}},
                      {});
  queue["oneOf"] = json::array({json{{"required", {"items"}}}, json{{"required", {"arrivals"}}}});
  p["queues"] = {{"type", "object"}, {"additionalProperties", queue}};
  p["cost"] = ref("cost");
  p["processes"] = {{"type", "array"}, {"minItems", 1}, {"items", ref("process")}};
  json workload_fields = {
      {"items", ref("items")},
      {"arrivals", ref("arrivals")},
      {"per_item", ref("program")},
      {"workers", integer(1, 100000)}};
  // With the models' fields: distribution, chunksize, start_method.
  json workload =
      models_schema<exec_registry>("model", "sync", "execution model", workload_fields, true);
  workload["required"] = {"per_item"};
  workload["oneOf"] = json::array({json{{"required", {"items"}}}, json{{"required", {"arrivals"}}}});
  p["workload"] = workload;
  return p;
}

}  // namespace

json scenario_schema()
{
  json s;
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["$id"] = "https://github.com/gilsim/gilsim/docs/gilsim.schema.json";
  s["title"] = "gilsim scenario (v1)";
  s["description"] = "A machine, its scheduler, processes of threads running programs of CPU, "
                     "I/O, sleep and lock steps, and each Python process's GIL (README, "
                     "\"Scenarios\"). Generated by `gilsim schema` from the models' declarations.";
  s["type"] = "object";
  s["properties"] = top_properties();
  // Blocks of shared settings, for YAML anchors and merge keys: the loader skips them.
  s["patternProperties"] = {{"^x-", {{"description", "shared settings for anchors and merge "
                                                     "keys (<<: *name); not read"}}}};
  s["additionalProperties"] = false;
  // Without a workload the scenario lists its processes.
  s["anyOf"] = json::array({json{{"required", {"processes"}}}, json{{"required", {"workload"}}}});
  s["$defs"] = defs();
  return s;
}

}  // namespace gilsim
