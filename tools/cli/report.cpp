#include "tools/cli/report.hpp"

#include "sim/error.hpp"

namespace alignsim::cli {

int report_command(const Args&, std::ostream&, std::ostream&) { throw UsageError("'report' is not built yet"); }

}  // namespace alignsim::cli
