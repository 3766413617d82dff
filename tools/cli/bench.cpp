#include "tools/cli/commands.hpp"

namespace alignsim::cli {

int bench_command(const Args&, std::ostream& out, std::ostream&) {
  out << "bench: not yet\n";
  return 0;
}

}  // namespace alignsim::cli
