#pragma once
// Calibration spec YAML -> validated, frozen CalibrationSpec (docs/calibration.md, "The
// calibrate command"). Like the sweep-spec loader, every problem in the spec and in the
// scenarios it names is collected and reported together in one InputError with
// file:line:col positions.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario.hpp"

namespace alignsim {

/// The initial design of a calibration: a Latin hypercube or digitally shifted Sobol' points.
enum class CalibrationDesign { lhs, sobol };

/// The derivative-free local optimiser of the refinement step (NLopt's names, without prefix).
enum class RefineAlgorithm { neldermead, cobyla, bobyqa, sbplx };

/// One calibrated value: a scenario path set in every listed scenario, and its search range.
struct CalibrationParameter {
  std::string path;           // as written, e.g. params.threat_weight; the CSV column name
  std::vector<ParamRef> ref;  // the path resolved in each scenario, in scenario order
  double lo = 0.0, hi = 0.0;  // search range, lo < hi
  bool log = false;           // log-uniform design and log-scaled refinement (needs lo > 0)
  double key_min = 0.0, key_max = 0.0;  // the key's own range, intersected over the scenarios
  SourcePos pos;
};

/// One scenario whose `expect:` block supplies patterns.
struct CalibrationScenario {
  std::string path;  // resolved against the spec's folder
  Scenario scenario;  // loaded and validated, `ticks` override applied
  SourcePos pos;
};

/// Local refinement around the best design points.
struct RefineSettings {
  int starts = 3;          // the best distinct design points to start from (0: no refinement)
  int evaluations = 200;   // objective evaluations per start, at most
  RefineAlgorithm algorithm = RefineAlgorithm::neldermead;
  double step = 0.1;       // initial step, as a share of each parameter's (log-)range
};

/// A validated calibration.
struct CalibrationSpec {
  std::string file;  // the spec file, as given
  std::vector<CalibrationScenario> scenarios;
  std::vector<CalibrationParameter> parameters;
  CalibrationDesign design = CalibrationDesign::lhs;
  int points = 64;          // initial design size
  int seeds = 10;           // replications per point: seeds s, s+1, ..., s+K-1 of each scenario
  std::uint64_t seed = 1;   // master seed of the design
  int ticks = 0;            // 0: each scenario's own length
  RefineSettings refine;
  int levels = 11;          // one-at-a-time scan: levels across each parameter's range
  std::vector<double> robustness = {0.75, 1.25};  // factors applied one at a time to the best point
};

/// The spec's names as written in YAML (`lhs`, `neldermead`, ...).
const char* design_name(CalibrationDesign kind);
const char* algorithm_name(RefineAlgorithm kind);

/// Loads and validates the calibration spec at `path` and every scenario it names.
/// @throws InputError listing every problem found.
CalibrationSpec load_calibration_spec_file(const std::string& path, const ModelRegistry& models);

/// Loads and validates calibration spec YAML held in `text`; relative paths inside it are
/// resolved against the folder of `file_name`, which is also used in diagnostics.
/// @throws InputError listing every problem found.
CalibrationSpec load_calibration_spec_text(const std::string& text, const std::string& file_name,
                                           const ModelRegistry& models);

}  // namespace alignsim
