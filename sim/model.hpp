#pragma once
// The interface between the engine (time, randomness, ordering, events, recording) and a model
// (its state, decision rules, reactions, observables and labels).
#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
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

/// One recorded quantity at one tick: an N×N matrix (dyadic), N×1 (monadic) or, for a
/// model-level quantity (`scalar`), 1×1.
struct Observable {
  std::string quantity;
  Eigen::MatrixXd values;
  bool scalar = false;
};

/// The classification of one agent over the trailing window.
struct StateOutcome {
  std::size_t state = 0;
  std::string label;
  // The schema's qualifiers, in its order: (name, value), e.g. why the label holds.
  std::vector<std::pair<std::string, std::string>> qualifiers;
  std::vector<std::pair<std::string, double>> features;  // stable order
  std::string reason;  // one sentence: which rule fired and on which numbers
};

/// What drives one agent's choice now, for `alignsim explain`: named terms, the same terms
/// split by partner, and reasons in words.
struct Explanation {
  std::string title;  // heading of `terms`, with their unit
  std::vector<std::pair<std::string, double>> terms;
  std::vector<std::string> partner_columns;
  std::vector<std::pair<std::string, std::vector<double>>> by_partner;  // term → per-partner values
  std::vector<std::string> reasons;
};

/// One stable state of the whole model (e.g. a local minimum of an energy), as the labels its
/// agents have there.
struct Equilibrium {
  std::vector<std::string> labels;  // per agent, scenario order
  double value = 0.0;               // the model's measure of it (e.g. the energy)
  double basin = 0.0;               // share of random starts whose dynamics end there
};

/// Every equilibrium of a model that can enumerate them (`alignsim equilibria`).
struct Equilibria {
  std::string value_name;  // what Equilibrium::value is, e.g. "energy"
  std::string method;      // how they were found, one sentence
  std::vector<Equilibrium> items;
  double elsewhere = 0.0;  // share of starts that ended at none of them
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
  /// Labels of every agent of the schema's `labelled_kind`, over the trailing window ending now.
  virtual std::vector<StateOutcome> classify() const = 0;
  /// What drives one agent's choice now, and why.
  virtual Explanation explain(std::size_t state) const = 0;
  /// Every equilibrium of the initialised model and its basin over `starts` random starts
  /// (streams keyed by `seed`), or nullopt when the model cannot enumerate them.
  virtual std::optional<Equilibria> equilibria(std::uint64_t seed, int starts) const {
    (void)seed;
    (void)starts;
    return std::nullopt;
  }
};

/// A registered model: its name, schema and factory.
struct ModelInfo {
  std::string name;
  std::string description;
  const ModelSchema* schema = nullptr;
  std::unique_ptr<Model> (*create)() = nullptr;
};

}  // namespace alignsim
