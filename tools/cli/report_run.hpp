#pragma once
// The run side of `alignsim report`: the extra files `alignsim run --out` writes for reports
// (explain.json, labels.csv) and the report data read back from a run directory.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace alignsim::cli {

/// Every small state's utility decomposition and reasons at the run's current tick, as the
/// JSON object `explain.json` holds (docs/reports.md).
std::string explain_json(const Scenario& s, const Engine& run);

/// The small states' labels tick by tick, recorded while a run steps: `labels.csv`,
/// `tick,state,label,motive`, the label the classifier gives over its trailing window at the
/// end of each tick (over fewer ticks before the window is full).
class LabelHistory {
 public:
  /// Columns tick, state, label and the schema's qualifiers.
  explicit LabelHistory(const ModelSchema& schema);
  /// Appends the labels of `run`'s current tick.
  void record(const Scenario& s, const Engine& run);
  /// The CSV text, header included.
  const std::string& csv() const { return csv_; }

 private:
  std::string csv_;
};

/// The one palette of the live view and the reports (tools/web/palette.json), as report data.
nlohmann::ordered_json report_palette();

/// True when `dir` holds any file a run directory has.
bool looks_like_run_dir(const std::string& dir);

/// The data of a run report read from `dir` (timeseries.csv, summary.json,
/// scenario.resolved.yaml; explain.json and labels.csv when present).
/// @throws UsageError for a missing file, InputError for a malformed one.
nlohmann::ordered_json run_report_data(const std::string& dir);

}  // namespace alignsim::cli
