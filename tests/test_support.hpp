#pragma once
// Shared helpers for tests: loading bundled scenarios and running them.
#include <string>

#include "sim/engine.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario.hpp"
#include "tools/cli/commands.hpp"

namespace alignsim::testing {

/// Absolute path of a file in the source tree.
inline std::string source_path(const std::string& relative) {
  return std::string(ALIGNSIM_SOURCE_DIR) + "/" + relative;
}

/// Loads a bundled scenario by its path relative to the source tree.
inline Scenario bundled(const std::string& relative) { return cli::load_scenario(source_path(relative)); }

/// Runs a scenario to its end with `seed`.
inline std::unique_ptr<Engine> run(const Scenario& s, std::uint64_t seed, bool record = true) {
  RunOptions o;
  o.seed = seed;
  o.record = record;
  auto e = std::make_unique<Engine>(s, model_registry(), o);
  e->run_to_end();
  return e;
}

/// The label of state `name` at the end of a run.
inline std::string label_of(const Scenario& s, const Engine& e, const std::string& name) {
  const auto idx = s.find_state(name);
  for (const auto& o : e.model().classify())
    if (idx && o.state == *idx) return o.label;
  return "<none>";
}

}  // namespace alignsim::testing
