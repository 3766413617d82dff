#pragma once
#include "sim/key_spec.hpp"

namespace alignsim::alignment {

/// The scenario keys of the alignment model with defaults, ranges and units (docs/model.md).
const ModelSchema& schema();

}  // namespace alignsim::alignment
