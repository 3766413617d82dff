#pragma once
// `alignsim calibrate SPEC --out DIR`: pattern-oriented calibration (docs/calibration.md).
#include <ostream>

#include "tools/cli/commands.hpp"

namespace alignsim::cli {

/// Runs the calibration spec named in `args` and writes its results into --out DIR. Returns 0,
/// or 1 when some runs failed (the model threw; they count as misses); throws the Error family
/// otherwise (a bad spec creates nothing).
int calibrate_command(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace alignsim::cli
