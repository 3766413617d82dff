#pragma once
// What this binary was built from, recorded in every summary.json and manifest.json so a
// result can be traced to its source (docs/reliability.md "Records").
#include <optional>
#include <string>

namespace alignsim {

struct BuildInfo {
  std::string version;        // the CMake project version
  std::string commit;         // git HEAD when CMake configured the build; "unknown" outside git
  std::optional<bool> dirty;  // tracked files differed from HEAD then; nullopt when unknown
};

/// The build's version, commit and dirty flag, read at configure time (sim/CMakeLists.txt).
const BuildInfo& build_info();

}  // namespace alignsim
