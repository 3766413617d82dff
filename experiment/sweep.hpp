#pragma once
// Runs a validated sweep (experiment/sweep_spec.hpp): expands the design, runs every (point, replicate)
// on a thread pool and streams runs.csv, points.csv (and timeseries.csv) into the output folder
// in run-id order, so the files are byte-identical whatever the thread count. Completed points
// are committed with write + fsync, and a killed sweep resumes from the last committed point
// (docs/sweeps.md "Resume").
#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"  // kMaxSeed
#include "experiment/sweep_spec.hpp"

namespace alignsim {

/// How far a sweep has come; reported after each commit.
struct SweepProgress {
  std::uint64_t runs_done = 0;   // committed runs, resumed ones included
  std::uint64_t runs_total = 0;
  std::uint64_t runs_this_session = 0;  // runs computed by this process
  double seconds = 0.0;          // since this process started the sweep
};

/// Workers in other processes (the MPI build, tools/cli/sweep_mpi.cpp). run_sweep calls serve()
/// on a thread of its own while its local threads work; results still reach the one writer,
/// which writes them in run-id order, so the files do not depend on who computed what.
class RemoteWorkers {
 public:
  enum class Next { run, wait, done };
  virtual ~RemoteWorkers() = default;
  /// Hands out run ids from `next` (run: `id` is set; wait: none now, ask again; done: none
  /// left), passes each finished run's bytes (SweepRunComputer::compute) to `deliver`, and
  /// returns once `next` said done and every run handed out has come back.
  virtual void serve(const std::function<Next(std::uint64_t& id)>& next,
                     const std::function<void(std::uint64_t id, std::string bytes)>& deliver) = 0;
  /// How many processes work for the sweep, the writer's included (manifest.json).
  virtual int processes() const = 0;
};

/// The worker side of RemoteWorkers: computes one run as the bytes the writer decodes.
class SweepRunComputer {
 public:
  SweepRunComputer(const SweepSpec& spec, const ModelRegistry& models);
  ~SweepRunComputer();
  SweepRunComputer(const SweepRunComputer&) = delete;
  SweepRunComputer& operator=(const SweepRunComputer&) = delete;
  std::string compute(std::uint64_t run_id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct SweepOptions {
  std::string out_dir;
  int threads = 1;      // worker threads, >= 1
  bool resume = false;  // continue the sweep already in out_dir
  /// Polled by the workers and the writer: set it (e.g. from a SIGINT handler) to stop after
  /// committing every completed point.
  const std::atomic<bool>* cancel = nullptr;
  /// Called on the calling thread after each commit; may be empty.
  std::function<void(const SweepProgress&)> progress;
  std::string version = "unknown";  // written to manifest.json
  /// Seconds between commits (write + fsync); smaller loses less work on a power cut.
  double commit_interval = 0.25;
  /// Other processes computing runs (MPI ranks); null: this process's threads only.
  RemoteWorkers* remote = nullptr;
};

struct SweepSummary {
  std::uint64_t points = 0;
  std::uint64_t runs_total = 0;
  std::uint64_t runs_resumed = 0;  // found complete in out_dir and skipped
  std::uint64_t runs_done = 0;     // committed at the end, resumed ones included
  std::uint64_t runs_failed = 0;   // of this session: the model threw
  double seconds = 0.0;
  bool interrupted = false;
};

/// The design's points in parameter units: one row per point, one column per parameter, in
/// point-id order (grid: odometer order, the last parameter fastest).
Eigen::MatrixXd design_values(const SweepSpec& spec);

/// The number of design points (rows of design_values) and of runs (points × replications).
std::uint64_t design_points(const SweepSpec& spec);
std::uint64_t sweep_runs(const SweepSpec& spec);

/// The run's seed: the low 53 bits (<= kMaxSeed) of derive_seed(master seed, run_id) with run_id =
/// point_id * replications + replicate; `alignsim run --seed <seed> --set ...` reproduces it.
std::uint64_t run_seed(const SweepSpec& spec, std::uint64_t run_id);

/// A hash of everything that determines the output bytes (resolved spec, base scenario,
/// samples); resume refuses a folder made with another fingerprint.
std::string sweep_fingerprint(const SweepSpec& spec, const ModelRegistry& models);

/// Runs (or resumes) the sweep into options.out_dir, creating it.
/// @throws UsageError if out_dir holds another sweep (or any sweep without resume),
///         RuntimeError on I/O failure.
SweepSummary run_sweep(const SweepSpec& spec, const ModelRegistry& models,
                       const SweepOptions& options);

}  // namespace alignsim
