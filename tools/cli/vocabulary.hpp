#pragma once
// The words every output of alignsim shares (the live view, the run and sweep reports): an
// agent, an outcome and the model's vocabulary, in one JSON shape each, read from the model's
// schema (sim/key_spec.hpp), so that no writer and no page names a model's labels, kinds or
// qualifiers.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/key_spec.hpp"
#include "sim/model.hpp"
#include "sim/scenario.hpp"

namespace alignsim::cli {

/// The schema of the scenario's model. @pre the model is registered (the loader checked it).
const ModelSchema& schema_of_model(const Scenario& s);

/// One agent: `{name, display_name}` and, when the model has kinds, its kind under the
/// schema's kinds key (e.g. `role: great_power`).
nlohmann::ordered_json agent_json(const ModelSchema& schema, const Scenario& s, std::size_t i);

/// One outcome of the classifier: `{state, label, <qualifier>: value..., reason, features}`
/// (the features object only when `with_features`).
nlohmann::ordered_json outcome_json(const Scenario& s, const StateOutcome& o, bool with_features = true);

/// The model's vocabulary: `{model, labels: [{name, colour}], qualifiers: [{name, values,
/// doc}], kinds: {key, values, chosen} | null, labelled_kind, agent_refs: [{key, kind, doc}],
/// agents: {ref key: state name}, outcome_title, quantities: [{name, unit}], scalars,
/// features, explain_units}`. `agents` names the agent of each agent reference ("" unknown).
nlohmann::ordered_json schema_json(const std::string& model, const ModelSchema& schema,
                                   const std::map<std::string, std::string>& agents);

/// schema_json of a loaded scenario, its agent references resolved.
nlohmann::ordered_json schema_json(const Scenario& s);

}  // namespace alignsim::cli
