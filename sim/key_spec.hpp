#pragma once
// The keys a model accepts in a scenario, with default, range and unit. The loader validates
// against them and docs/scenario-format.md is checked against them by a test.
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

/// Every numeric key a model reads from a scenario, grouped by where it appears in the YAML.
struct ModelSchema {
  std::vector<KeySpec> params;          // `params:` global model parameters
  std::vector<KeySpec> classifier;      // `classifier:` thresholds of the strategy classifier
  std::vector<KeySpec> state_keys;      // keys of each `states:` entry (monadic)
  std::vector<KeySpec> relation_keys;   // keys of `relations:` entries (dyadic, from -> to)
  std::vector<KeySpec> policy_keys;     // keys of `initial_policies:` entries (dyadic, from -> to)
  std::vector<std::string> labels;      // the labels the classifier can emit
  std::vector<std::string> motives;     // the motives it can give them
  std::vector<std::string> quantities;  // observable quantity names in the time series
};

/// Returns the spec named `key` in `specs`, or nullptr.
const KeySpec* find_key(const std::vector<KeySpec>& specs, const std::string& key);

}  // namespace alignsim
