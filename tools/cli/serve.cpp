#include "tools/cli/serve.hpp"

#include "sim/error.hpp"

namespace alignsim::cli {

int serve_command(const Args&, std::ostream&, std::ostream&) { throw UsageError("'serve' is not built yet"); }

}  // namespace alignsim::cli
