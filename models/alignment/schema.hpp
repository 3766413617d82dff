#pragma once
#include <cstddef>

#include "sim/key_spec.hpp"
#include "sim/scenario.hpp"

namespace alignsim::alignment {

/// The scenario keys of the alignment model with defaults, ranges and units (docs/model.md),
/// its agent kinds (`role`), the focal power and its outputs.
const ModelSchema& schema();

/// A state's role: the schema's agent kinds, in their order.
enum class Role { great_power, small_state };

/// How small states choose their policies (`decision_rule:`), the schema's choices in order.
enum class DecisionRule { incremental, logit, gradient };

inline Role role(const Scenario& s, std::size_t i) { return static_cast<Role>(s.kinds.at(i)); }
inline std::size_t focal_power(const Scenario& s) { return s.agents.at("focal_power"); }
inline DecisionRule decision_rule(const Scenario& s) {
  return static_cast<DecisionRule>(s.choices.at("decision_rule"));
}

}  // namespace alignsim::alignment
