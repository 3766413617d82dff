#include "tools/cli/vocabulary.hpp"

#include "sim/model_registry.hpp"

namespace alignsim::cli {

using ojson = nlohmann::ordered_json;

const ModelSchema& schema_of_model(const Scenario& s) { return *model_registry().find(s.model)->schema; }

ojson agent_json(const ModelSchema& schema, const Scenario& s, std::size_t i) {
  ojson a = {{"name", s.state_names[i]}, {"display_name", s.display_name(i)}};
  if (!schema.kinds.key.empty() && i < s.kinds.size() && s.kinds[i] < schema.kinds.kinds.size())
    a[schema.kinds.key] = schema.kinds.kinds[s.kinds[i]];
  return a;
}

ojson outcome_json(const Scenario& s, const StateOutcome& o, bool with_features) {
  ojson out = {{"state", s.state_names[o.state]}, {"label", o.label}};
  for (const auto& [name, value] : o.qualifiers) out[name] = value;
  out["reason"] = o.reason;
  if (with_features) {
    out["features"] = ojson::object();
    for (const auto& [k, v] : o.features) out["features"][k] = v;
  }
  return out;
}

ojson schema_json(const std::string& model, const ModelSchema& schema,
                  const std::map<std::string, std::string>& agents) {
  ojson j;
  j["model"] = model;
  j["labels"] = ojson::array();
  for (std::size_t k = 0; k < schema.labels.size(); ++k)
    j["labels"].push_back({{"name", schema.labels[k]},
                           {"colour", k < schema.label_colours.size() ? schema.label_colours[k] : ""}});
  j["qualifiers"] = ojson::array();
  for (const QualifierSpec& q : schema.qualifiers)
    j["qualifiers"].push_back({{"name", q.name}, {"values", q.values}, {"doc", q.doc}});
  if (schema.kinds.key.empty()) {
    j["kinds"] = nullptr;
  } else {
    ojson chosen = ojson::object();
    for (std::size_t k = 0; k < schema.kinds.kinds.size(); ++k)
      chosen[schema.kinds.kinds[k]] =
          k < schema.kinds.chosen.size() ? schema.kinds.chosen[k] : std::vector<std::string>{};
    j["kinds"] = {{"key", schema.kinds.key}, {"values", schema.kinds.kinds}, {"chosen", chosen}};
  }
  j["labelled_kind"] = schema.labelled_kind;
  j["agent_refs"] = ojson::array();
  j["agents"] = ojson::object();
  for (const AgentRefSpec& r : schema.agent_refs) {
    j["agent_refs"].push_back({{"key", r.key}, {"kind", r.kind}, {"doc", r.doc}});
    const auto it = agents.find(r.key);
    j["agents"][r.key] = it == agents.end() ? "" : it->second;
  }
  j["outputs_towards"] = schema.outputs_towards;
  j["outcome_title"] = schema.outcome_title.empty() ? "labels" : schema.outcome_title;
  // A quantity's unit is that of the scenario key of the same name, where there is one.
  j["quantities"] = ojson::array();
  for (const std::string& q : schema.quantities) {
    const KeySpec* k = find_key(schema.policy_keys, q);
    if (!k) k = find_key(schema.state_keys, q);
    j["quantities"].push_back({{"name", q}, {"unit", k ? k->unit : ""}});
  }
  j["scalars"] = schema.scalars;
  j["features"] = schema.features;
  j["explain_units"] = schema.explain_units;
  return j;
}

ojson schema_json(const Scenario& s) {
  const ModelSchema& schema = schema_of_model(s);
  std::map<std::string, std::string> agents;
  for (const auto& [key, i] : s.agents) agents[key] = s.state_names[i];
  return schema_json(s.model, schema, agents);
}

}  // namespace alignsim::cli
