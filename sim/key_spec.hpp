#pragma once
// The keys a model accepts in a scenario, with default, range and unit. The loader validates
// against them and docs/scenario-format.md is checked against them by a test.
#include <cstddef>
#include <string>
#include <vector>

namespace alignsim {

/// One numeric scenario key: name (equal to the C++ field name), default, inclusive range, doc.
struct KeySpec {
  std::string key;
  double default_value = 0.0;
  double min = 0.0;
  double max = 1.0;
  std::string unit;  // e.g. "share of GDP", "[0,1]", "USD bn"
  std::string doc;   // one sentence
};

/// A categorical top-level scenario key (e.g. a model's decision rule): one of `choices`, the
/// first being the default.
struct ChoiceSpec {
  std::string key;
  std::vector<std::string> choices;
  std::string doc;
};

/// The kinds of agent a model tells apart. Each `states:` entry names its kind under `key`
/// (required); with no kinds, every agent is of one kind and the key does not exist.
struct AgentKinds {
  std::string key;
  std::vector<std::string> kinds;
  std::string doc;
  // Per kind, the dyadic quantities an agent of that kind chooses towards agents of other kinds
  // (the trajectories reports and the live view draw).
  std::vector<std::vector<std::string>> chosen;
};

/// A required top-level key naming one agent (e.g. the one the labels are relative to), of
/// `kind` ("" = any kind).
struct AgentRefSpec {
  std::string key;
  std::string kind;
  std::string doc;
};

/// A section of symmetric pair entries, `section: [{between: [a, b], k: v, ...}]`: each entry
/// sets relation keys `keys` in both directions, and those keys are set nowhere else, so the
/// tables stay symmetric. With `required`, every entry gives every key.
struct PairSection {
  std::string section;
  std::vector<std::string> keys;
  bool required = false;
  std::string doc;
};

/// A categorical outcome of the classifier besides the label (e.g. why a label holds), with
/// the values it can take; expectations may name it next to `label`.
struct QualifierSpec {
  std::string name;
  std::vector<std::string> values;
  std::string doc;
};

/// What a model reads from a scenario and what it puts out, so that the loader, the writer,
/// `--set`, events, sweeps, `check`, reports and the live view need no model-specific code.
struct ModelSchema {
  // Inputs, grouped by where they appear in the YAML.
  std::vector<KeySpec> params;          // `params:` global model parameters
  std::vector<KeySpec> classifier;      // `classifier:` thresholds of the classifier
  std::vector<KeySpec> state_keys;      // keys of each `states:` entry (monadic)
  std::vector<KeySpec> relation_keys;   // keys of `relations:` entries (dyadic, from -> to)
  std::vector<KeySpec> policy_keys;     // keys of `initial_policies:` entries (dyadic, from -> to)
  std::vector<ChoiceSpec> choices;      // categorical top-level keys
  AgentKinds kinds;                     // agent kinds (roles), if the model has several
  std::vector<AgentRefSpec> agent_refs; // named agents
  std::vector<PairSection> pair_sections;  // symmetric relation keys and their sections

  // Outputs.
  std::string outcome_title;  // heading of the labels, "{key}" = the agent of agent_refs `key`
  std::vector<std::string> labels;       // the labels the classifier can emit
  std::vector<std::string> label_colours;  // one CSS colour per label, shared by every view
  std::vector<QualifierSpec> qualifiers;   // further categorical outcomes of each label
  std::vector<std::string> features;     // real features of each label, the classifier's order
  std::string labelled_kind;             // the kind of agent the classifier labels ("" = all)
  std::string outputs_towards;           // an agent_refs key: sweeps record dyadic quantities
                                         // towards that agent ("" = monadic ones only)
  std::vector<std::string> quantities;   // per-agent observables in the time series
  std::vector<std::string> scalars;      // model-level observables (one value per tick)
  std::string explain_units;             // the unit of `explain`'s terms
  std::vector<std::string> symmetric_keys() const;  // every key of `pair_sections`
};

/// Index of `kind` in `schema.kinds.kinds`, or npos.
std::size_t kind_index(const ModelSchema& schema, const std::string& kind);

/// Returns the spec named `key` in `specs`, or nullptr.
const KeySpec* find_key(const std::vector<KeySpec>& specs, const std::string& key);

}  // namespace alignsim
