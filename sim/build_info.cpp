#include "sim/build_info.hpp"

namespace alignsim {

const BuildInfo& build_info() {
  // ALIGNSIM_GIT_DIRTY: 1 dirty, 0 clean, -1 unknown (sim/CMakeLists.txt).
  static const BuildInfo info{ALIGNSIM_BUILD_VERSION, ALIGNSIM_GIT_COMMIT,
                              ALIGNSIM_GIT_DIRTY < 0 ? std::nullopt
                                                     : std::optional<bool>(ALIGNSIM_GIT_DIRTY == 1)};
  return info;
}

}  // namespace alignsim
