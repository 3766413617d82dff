#pragma once
#include "tools/cli/commands.hpp"

namespace alignsim::cli {

int report_command(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace alignsim::cli
