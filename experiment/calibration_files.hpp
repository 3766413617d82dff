#pragma once
// The files `alignsim calibrate` writes (docs/calibration.md, "The calibrate command"): the best
// point as a YAML snippet and JSON, every sample, the patterns at the best point, the regions
// where every pattern holds, the robustness table, a summary and a Markdown fragment. Every
// file is a pure function of the spec and the result, so the bytes do not depend on threads.
#include <string>

#include "experiment/calibration.hpp"
#include "experiment/calibration_spec.hpp"

namespace alignsim {

/// Writes best.yaml, best.json, samples.csv, patterns.csv, regions.csv, scan.csv,
/// robustness.csv, summary.json and calibration.md into the existing folder `dir`, each through
/// a temporary name and a rename. @throws RuntimeError on I/O failure.
void write_calibration_files(const CalibrationSpec& spec, const CalibrationResult& result,
                             const std::string& dir);

/// The best point as a YAML snippet: `params:` and `classifier:` blocks ready to paste into a
/// scenario, other paths as `--set` comments.
std::string best_point_yaml(const CalibrationSpec& spec, const CalibrationResult& result);

}  // namespace alignsim
