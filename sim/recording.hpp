#pragma once
// Per-tick observables of one run, and the tidy writers for them.
#include <ostream>
#include <string>
#include <vector>

#include "sim/model.hpp"

namespace alignsim {

/// The observables recorded after each tick's step, in tick order.
class Recording {
 public:
  /// Appends the observables of `tick`.
  void add(int tick, std::vector<Observable> frame);
  std::size_t size() const { return ticks_.size(); }
  int tick_at(std::size_t k) const { return ticks_[k]; }
  const std::vector<Observable>& frame_at(std::size_t k) const { return frames_[k]; }
  /// Index of the recorded frame of `tick`, or -1.
  long find_tick(int tick) const;
  /// Value of `quantity` for (i, j) (j ignored for monadic quantities, both for model-level
  /// ones) at frame k; NaN if absent.
  double value(std::size_t k, const std::string& quantity, std::size_t i, std::size_t j) const;

 private:
  std::vector<int> ticks_;
  std::vector<std::vector<Observable>> frames_;
};

/// Writes `tick,state,partner,quantity,value` rows (tidy long format, shortest round-trip floats;
/// model-level quantities have an empty state and partner).
void write_timeseries_csv(const Recording& r, const std::vector<std::string>& names, std::ostream& out);

}  // namespace alignsim
