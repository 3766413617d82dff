#pragma once
// The tick loop: the engine owns the clock, the schedule of events, the random streams, the
// update order and the recording; the model owns everything else.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/model.hpp"
#include "sim/model_registry.hpp"
#include "sim/recording.hpp"
#include "sim/scenario.hpp"

namespace alignsim {

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint32_t run = 0;
  bool record = true;  // keep per-tick observables (off for sweeps and benchmarks)
};

/// One run of a scenario, stepped tick by tick (the live view steps it; `run` loops it).
class Engine {
 public:
  /// @pre the scenario is validated and its model is registered.
  Engine(const Scenario& scenario, const ModelRegistry& models, RunOptions options);

  /// Applies this tick's events, steps the model, records observables, advances the clock.
  void step();
  /// Steps until the scenario's last tick.
  void run_to_end();
  bool done() const { return tick_ >= scenario_.ticks; }
  /// The number of ticks stepped so far.
  int tick() const { return tick_; }

  /// Schedules an extra event (a classroom slider); it applies at the start of `event.tick`.
  void schedule(Event event);
  /// The events applied so far: (tick, name).
  const std::vector<std::pair<int, std::string>>& applied_events() const { return applied_; }

  const Model& model() const { return *model_; }
  const Recording& recording() const { return recording_; }
  const Scenario& scenario() const { return scenario_; }
  std::uint64_t seed() const { return options_.seed; }

 private:
  const Scenario& scenario_;
  RunOptions options_;
  std::unique_ptr<Model> model_;
  std::vector<Event> pending_;  // sorted by tick, stable
  std::size_t next_event_ = 0;
  std::vector<std::pair<int, std::string>> applied_;
  Recording recording_;
  int tick_ = 0;
};

}  // namespace alignsim
