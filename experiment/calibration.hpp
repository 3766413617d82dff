#pragma once
// Pattern-oriented calibration (Grimm et al. 2005): scores points of the parameter space by how
// many of the scenarios' expected patterns (their `expect:` labels and facts) hold over K seeds,
// samples the space with a design (experiment/sampling.hpp), refines around the best points with a
// derivative-free optimiser (NLopt) and measures, per parameter, the region where every
// pattern holds (docs/calibration.md, "The calibrate command").
//
// Every run of a point uses the seeds `alignsim check --seeds K` uses (each scenario's seed, +1,
// ..., +K-1): common random numbers make the objective a deterministic function of the point,
// so the optimiser sees no noise, and a calibrated point can be verified with `check`. Results
// are collected by point id, so they do not depend on the thread count.
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiment/calibration_spec.hpp"
#include "sim/model_registry.hpp"

namespace alignsim {

/// How the expected patterns fare at one point over the spec's K seeds.
struct PointScore {
  std::vector<int> hits;     // per expectation (scenario order; labels, then facts): seeds it held in
  double score = 0.0;        // mean over expectations of the hit rate hits / K
  double shortfall = 0.0;    // mean over expectations of max(0, rate - hit rate)
  int met = 0;               // expectations whose hit rate reaches their `rate` (as in check)
  int labels_met = 0;        // of them, label expectations
  double label_hit_rate = 0.0;  // mean hit rate over the label expectations (1 when there are none)
  bool all_hold = false;     // every expectation meets its rate
  double objective = 0.0;    // (met + (1 + score - shortfall) / 2) / (E + 1), in [0, 1]
  int failed_runs = 0;       // runs in which the model threw (they count as misses)
};

/// One evaluated point.
struct CalibrationSample {
  int id = 0;               // in evaluation order: the design, then each refinement start's
  std::string phase;        // "design" or "refine"
  int start = -1;           // refine: the start (0-based); design: -1
  Eigen::VectorXd values;   // parameter values, in the spec's order
  PointScore score;
};

/// Per parameter: the region in which every pattern holds.
struct ParameterRegion {
  int all_hold_samples = 0;           // samples (design + refine) where every pattern holds
  double all_hold_min = 0, all_hold_max = 0;  // their range of this parameter's values
  bool oat_holds = false;             // the best point itself holds every pattern
  double oat_lo = 0, oat_hi = 0;      // contiguous one-at-a-time interval around the best value
  bool oat_lo_at_edge = false, oat_hi_at_edge = false;  // the interval reaches the search range
  std::vector<double> levels;         // scanned values, ascending (the best value included)
  std::vector<bool> level_holds;      // every pattern holds at that level
};

/// One row of the one-at-a-time robustness table.
struct RobustnessRow {
  std::size_t parameter = 0;
  double factor = 1.0;
  double value = 0.0;
  bool in_range = true;  // within the key's own range; otherwise not run
  PointScore score;
};

/// One expected pattern, for tables.
struct PatternInfo {
  std::string scenario;     // the scenario's name
  std::string kind;         // "label" or "fact"
  std::string description;  // describe(expectation)
  double rate = 0.9;
};

/// What a calibration found.
struct CalibrationResult {
  std::vector<PatternInfo> patterns;
  std::vector<CalibrationSample> samples;  // design, then refinement, by id
  std::size_t best = 0;                    // index into samples
  int design_all_hold = 0;                 // design points where every pattern holds
  std::vector<ParameterRegion> regions;    // per parameter
  std::vector<RobustnessRow> robustness;   // per parameter, per factor
  std::uint64_t runs = 0;                  // model runs done
  std::uint64_t failed_runs = 0;
};

/// How far a calibration has come; reported after each batch of runs.
struct CalibrationProgress {
  std::string phase;  // design, refine, regions, robustness
  std::uint64_t runs_done = 0;
  std::uint64_t runs_planned = 0;  // an upper bound: refinement may stop early
  double seconds = 0.0;
};

struct CalibrationOptions {
  int threads = 1;
  std::function<void(const CalibrationProgress&)> progress;  // on the calling thread; may be empty
};

/// The design's points in parameter units: one row per point, one column per parameter.
Eigen::MatrixXd calibration_design(const CalibrationSpec& spec);

/// Whether `hits` of `seeds` meet the required `rate`, with the tolerance `alignsim check` uses.
bool rate_met(int hits, int seeds, double rate);

/// Runs the whole calibration: design, refinement, regions and robustness.
CalibrationResult run_calibration(const CalibrationSpec& spec, const ModelRegistry& models,
                                  const CalibrationOptions& options);

}  // namespace alignsim
