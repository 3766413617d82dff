#pragma once
// The sweep side of `alignsim report`: the report data read back from a sweep directory
// (manifest.json, points.csv, runs.csv; sensitivity.csv for sobol designs).
#include <nlohmann/json.hpp>
#include <string>

namespace alignsim::cli {

/// True when `dir` holds any file a sweep directory has.
bool looks_like_sweep_dir(const std::string& dir);

/// The data of a sweep report read from `dir`. @throws UsageError for a missing file,
/// InputError for a malformed one.
nlohmann::ordered_json sweep_report_data(const std::string& dir);

}  // namespace alignsim::cli
