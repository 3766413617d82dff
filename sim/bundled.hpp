#pragma once
// Where the files bundled with alignsim are, found relative to the running executable, so an
// installed binary needs no path compiled in (cmake/install.cmake lays them out).
#include <string>

namespace alignsim {

/// The bundled scenarios: `<executable's folder>/../share/alignsim/scenarios` (P/bin/alignsim
/// -> P/share/alignsim/scenarios; a build tree links build/share/alignsim/scenarios to the
/// sources), or "" when that folder does not exist.
std::string bundled_scenarios_dir();

/// `path` itself, unless it is relative, does not exist, and names a bundled scenario
/// (`asean_2016.yaml` or `scenarios/asean_2016.yaml`): then that bundled file.
std::string find_scenario(const std::string& path);

}  // namespace alignsim
