#pragma once
// The interface between the engine (time, randomness, ordering, events, recording) and a model
// (its state, decision rules, reactions, observables and labels).
#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/key_spec.hpp"
#include "sim/random_stream.hpp"
#include "sim/scenario.hpp"

namespace alignsim {

/// What the engine tells a model about the tick it is stepping.
struct TickContext {
  int tick = 0;
  std::uint64_t seed = 0;
  std::uint32_t run = 0;
  UpdateOrder order = UpdateOrder::simultaneous;
  std::vector<std::size_t> agent_order;  // random_order: the permutation drawn by the engine

  /// The random stream of one agent at this tick.
  RandomStream stream(std::size_t agent) const {
    return RandomStream(seed, run, static_cast<std::uint32_t>(tick), static_cast<std::uint32_t>(agent));
  }
};

/// One recorded quantity at one tick: an N×N matrix (dyadic) or N×1 (monadic).
struct Observable {
  std::string quantity;
  Eigen::MatrixXd values;
};

/// The classification of one small state over the trailing window.
struct StateOutcome {
  std::size_t state = 0;
  std::string label;
  std::string motive;
  std::vector<std::pair<std::string, double>> features;  // stable order
  std::string reason;  // one sentence: which rule fired and on which numbers
};

/// A utility decomposition for `alignsim explain`.
struct Explanation {
  std::string title = "utility decomposition (per tick, GDP-share units)";  // heading of `terms`
  std::vector<std::pair<std::string, double>> terms;  // economy, threat, disputes, costs, dependence, total
  std::vector<std::string> partner_columns;
  std::vector<std::pair<std::string, std::vector<double>>> by_partner;  // term → per-partner values
  std::vector<std::string> reasons;
};

/// A model: params from the scenario, init, step, observables, labels.
class Model {
 public:
  virtual ~Model() = default;
  /// Builds the model's state from a validated scenario.
  virtual void init(const Scenario& scenario) = 0;
  /// Applies one event (set/add/scale of a parameter or policy). @throws RuntimeError if unknown.
  virtual void apply_event(const Event& event) = 0;
  /// Advances the model by one tick.
  virtual void step(const TickContext& ctx) = 0;
  /// Current observables, in a stable order.
  virtual std::vector<Observable> observe() const = 0;
  /// Labels of every small state over the trailing window ending now.
  virtual std::vector<StateOutcome> classify() const = 0;
  /// Utility decomposition and reasons for one state, now.
  virtual Explanation explain(std::size_t state) const = 0;
};

/// A registered model: its name, schema and factory.
struct ModelInfo {
  std::string name;
  std::string description;
  const ModelSchema* schema = nullptr;
  std::unique_ptr<Model> (*create)() = nullptr;
};

}  // namespace alignsim
