#pragma once
// `alignsim sweep SPEC --out DIR`: parameter sweeps (docs/sweeps.md).
#include <ostream>

#include "tools/cli/commands.hpp"

namespace alignsim::cli {

/// Runs the sweep spec named in `args` into --out DIR. Returns 0 when every run succeeded,
/// 1 when some runs failed, 130 when interrupted (Ctrl-C); throws the Error family otherwise.
int sweep_command(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace alignsim::cli
