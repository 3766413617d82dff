#pragma once
// Axelrod & Bennett's landscape theory of aggregation (docs/models/landscape.md) as an engine
// model: each tick actors switch sides when that lowers their frustration.
#include <optional>
#include <string>
#include <vector>

#include "models/landscape/landscape.hpp"
#include "sim/model.hpp"

namespace alignsim::landscape {

class LandscapeModel : public Model {
 public:
  void init(const Scenario& scenario) override;
  void apply_event(const Event& event) override;
  /// The first tick draws every actor's side from its stream (a random start); then, in random
  /// order, each actor in turn switches if that lowers its frustration, or, simultaneous, all
  /// who would gain switch at once.
  void step(const TickContext& ctx) override;
  std::vector<Observable> observe() const override;
  /// side_a for the actors on the anchor's side, side_b for the others, now.
  std::vector<StateOutcome> classify() const override;
  /// The actor's frustration by partner and by factor: which pairs drive it.
  Explanation explain(std::size_t state) const override;
  /// Every local minimum of the energy by exhaustive search (at most kMaxExhaustiveActors).
  std::optional<Equilibria> equilibria(std::uint64_t seed, int starts) const override;

 private:
  void rebuild();  // the landscape from scenario_'s tables, sides kept
  bool on_anchor_side(int i) const;  // on the side of the scenario's `anchor`
  std::string side_label(int i) const;

  Scenario scenario_;  // the tables, with the events applied so far
  Landscape landscape_;
  std::optional<Configuration> config_;  // refers to landscape_: rebuilt with it
  std::vector<int> switches_;  // per actor, since the start
  int last_switches_ = 0;      // in the last tick
  bool started_ = false;
};

/// The registry entry of this model.
ModelInfo landscape_model_info();

}  // namespace alignsim::landscape
