#pragma once
#include "sim/key_spec.hpp"

namespace alignsim::landscape {

/// The scenario keys and outputs of the landscape model (docs/models/landscape.md).
const ModelSchema& schema();

/// The factors of the propensity, each a symmetric relation key with a weight `weight_<factor>`.
inline constexpr const char* kFactors[] = {"ethnic_conflict", "religion", "border_dispute",
                                           "government", "war_history"};

}  // namespace alignsim::landscape
