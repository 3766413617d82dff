#pragma once
// Shared helpers for tests: loading bundled scenarios and running them, files, temporary
// folders and the command line run in-process.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario.hpp"
#include "tools/cli/cli.hpp"
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

/// The whole content of a file ("" if it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A new, empty, uniquely named folder under the temporary directory (one per caller, so tests
/// running in parallel processes never share one).
inline std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string templ = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  return templ;
}

/// What `alignsim ARGS` returned and printed, run in-process.
struct CliResult {
  int code;
  std::string out, err;
};

inline CliResult run_cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::main(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace alignsim::testing
