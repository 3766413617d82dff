#pragma once
// The MPI build's sweep (-DALIGNSIM_MPI=ON): rank 0 runs the sweep as usual (its threads, the
// one writer, resume, manifest) and the other ranks compute runs it hands out one at a time as
// they ask (dynamic distribution), sending each result back. Rank 0 writes every row in run-id
// order, so the files are byte-identical to a threads-only sweep of the same spec.
#include <memory>

#include "experiment/sweep.hpp"

namespace alignsim::cli {

/// MPI for the length of one `alignsim sweep`: initialised on construction, finalised on
/// destruction. A process not started by mpirun/srun is a world of one and never calls MPI.
class MpiSweep {
 public:
  MpiSweep();
  ~MpiSweep();
  MpiSweep(const MpiSweep&) = delete;
  MpiSweep& operator=(const MpiSweep&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Collective: true if every rank passed `ok` (each loaded the same spec).
  bool all_ok(bool ok);
  /// Rank 0: the other ranks, to pass as SweepOptions::remote.
  RemoteWorkers* workers();
  /// Ranks > 0: computes the runs rank 0 hands out until it says stop.
  void work(const SweepRunComputer& computer);

 private:
  class Workers;
  int rank_ = 0;
  int size_ = 1;
  bool active_ = false;  // MPI initialised by this object
  bool agreed_ = false;
  std::unique_ptr<Workers> workers_;
};

}  // namespace alignsim::cli
