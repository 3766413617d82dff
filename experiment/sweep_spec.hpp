#pragma once
// Sweep spec YAML -> validated, frozen SweepSpec (docs/sweeps.md). Like the scenario loader,
// every problem in the spec is collected and reported together in one InputError with
// file:line:col positions; the base scenario is loaded (and its own problems reported) too.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario.hpp"

namespace alignsim {

enum class DesignKind { grid, random, lhs, sobol, samples };

/// One swept scenario value: explicit `values`, or a `range` (with `steps` on grids).
struct SweepParameter {
  std::string path;  // as written, e.g. states.cambodia.dependence_aversion; the CSV column name
  ParamRef target;
  std::vector<double> values;  // explicit levels; empty when a range is given
  double lo = 0.0, hi = 0.0;   // range (when values is empty)
  int steps = 0;               // grid levels of a range
  bool log = false;            // log-spaced grid levels / log-uniform draws
  SourcePos pos;
};

/// Which observables each run keeps (docs/sweeps.md "outputs").
struct SweepOutputs {
  std::vector<std::size_t> states;    // labelled agents to report, scenario order
  std::vector<std::string> features;  // classifier features to report, the model's order
  bool policies = false;              // final observables (towards the schema's outputs_towards agent)
  bool timeseries = false;            // per-tick observables in timeseries.csv
  int timeseries_every = 1;           // keep every k-th tick (and the last)
};

/// A validated sweep: base scenario, parameters, design, replications, outputs.
struct SweepSpec {
  std::string file;           // the spec file, as given
  std::string scenario_path;  // the base scenario, resolved against the spec's folder
  Scenario base;              // loaded and validated, `ticks` override applied
  DesignKind design = DesignKind::grid;
  int points = 0;               // random/lhs: points; sobol: N, the base rows (a power of two)
  std::string samples_path;     // samples: the file of rows, resolved against the spec's folder
  Eigen::MatrixXd samples;      // samples: one row per point, one column per parameter
  std::uint64_t samples_hash = 0;  // FNV-1a of the samples file, for the resume fingerprint
  int replications = 1;
  std::uint64_t seed = 1;  // master seed: run k uses derive_seed(seed, k)
  std::vector<SweepParameter> parameters;
  SweepOutputs outputs;
  const ModelSchema* schema = nullptr;     // the base scenario's model
  std::vector<std::string> labels;         // the model's labels, its order
  std::vector<std::string> qualifiers;     // the names of its further outcomes, its order
  std::vector<std::string> all_features;   // every feature the model's classifier reports
  std::vector<std::string> policy_names;   // the model's observables (outputs.policies)
  long towards = -1;                       // the state dyadic final observables look at, or -1
};

/// The spec's design name as written in YAML (`grid`, `lhs`, ...).
const char* design_name(DesignKind kind);

/// Loads and validates the sweep spec at `path`, and its base scenario and samples file.
/// @throws InputError listing every problem found.
SweepSpec load_sweep_spec_file(const std::string& path, const ModelRegistry& models);

/// Loads and validates sweep spec YAML held in `text`; relative paths inside it are resolved
/// against the folder of `file_name`, which is also used in diagnostics.
/// @throws InputError listing every problem found.
SweepSpec load_sweep_spec_text(const std::string& text, const std::string& file_name,
                               const ModelRegistry& models);

/// FNV-1a of `text`, continuing from `h` (the samples file's hash, the resume fingerprint).
std::uint64_t fnv1a(const std::string& text, std::uint64_t h = 0xcbf29ce484222325ull);

}  // namespace alignsim
