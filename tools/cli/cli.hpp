#pragma once
// The `alignsim` command line. Kept in a library so tests can call it in-process.
#include <ostream>
#include <string>
#include <vector>

namespace alignsim::cli {

/// Runs `alignsim` with `args` (without the program name). Returns the exit code:
/// 0 success, 1 runtime failure or failed expectations, 2 usage or input error.
/// This is the one place user errors are caught and printed to `err`.
int main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace alignsim::cli
