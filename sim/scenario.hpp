#pragma once
// A validated, frozen scenario: plain data, dense Eigen tables, no YAML. The engine and the
// model take `const Scenario&`; runtime changes go through events (sim/event.hpp).
#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.hpp"

namespace alignsim {

enum class StateId : std::uint32_t {};
inline std::size_t index(StateId id) { return static_cast<std::size_t>(id); }

enum class UpdateOrder { simultaneous, random_order };

/// What a path such as `states.usa.inducement.cambodia` points at.
struct ParamRef {
  enum class Kind { param, classifier, state_key, relation_key, policy_key } kind;
  std::string key;
  std::size_t i = 0;  // state (monadic) or "from" state (dyadic)
  std::size_t j = 0;  // "to" state (dyadic only)
};

enum class EventOp { set, add, scale };

/// A scheduled change: at the start of `tick`, apply `op value` to `target`.
struct Event {
  int tick = 0;
  std::string name;
  std::string path;  // as written by the user
  std::string label;        // for people (charts, timelines); "" = show `name`
  std::string description;  // one or two plain sentences; may be ""
  ParamRef target;
  EventOp op = EventOp::set;
  double value = 0.0;
  SourcePos pos;
};

/// An expected label for one state, to hold in at least `rate` of the seeds.
struct LabelExpectation {
  std::string state;
  std::string label;                // the first of `labels`, for one-label expectations
  std::vector<std::string> labels;  // the run's label must be one of these (or none: `negated`)
  bool negated = false;             // `not:` — the label must be none of `labels`
  // Further outcomes the run must have too: (qualifier name, value), e.g. why the label holds.
  std::vector<std::pair<std::string, std::string>> qualifiers;
  double rate = 0.9;
  SourcePos pos;
};

/// An expected dynamic fact about one observable series (state -> partner, quantity).
struct FactExpectation {
  enum class Kind { rises_after, falls_after, stays_below, stays_above, exceeds } kind;
  std::string name;      // human-readable description, shown by `alignsim check`
  std::string state;
  std::string partner;   // empty for monadic quantities
  std::string quantity;  // an observable of the model, e.g. deference
  std::string event;     // rises_after / falls_after: the event name
  int within = 3;        // rises_after / falls_after: ticks after the event to look at
  double by = 0.0;       // rises_after / falls_after: minimum change of the mean over `within`
  double value = 0.0;    // stays_below / stays_above: threshold
  int from_tick = 0;     // stays_*, exceeds: first tick checked
  std::string than_state, than_partner;  // exceeds: the series compared against
  double rate = 0.9;
  SourcePos pos;
};

struct Expectations {
  std::vector<LabelExpectation> labels;
  std::vector<FactExpectation> facts;
};

/// A slider for the live view: a path and its allowed range.
struct Control {
  std::string path;
  std::string label;
  double min = 0.0;
  double max = 1.0;
  ParamRef target;
};

/// What a tick is in calendar time, for people: charts and tables show dates when `start` is set.
struct TimeAxis {
  std::string start;  // "YYYY-MM", the date of tick 0; "" = ticks are not dates
  std::string tick;   // "month", "quarter" or "year" (with a start)
};

/// The whole frozen input of one run.
struct Scenario {
  std::string file;  // where it was loaded from ("" if built in code)
  std::string name;
  std::string description;
  std::string model;  // the registered model's name
  int ticks = 150;
  std::uint64_t seed = 1;
  UpdateOrder update = UpdateOrder::simultaneous;

  std::vector<std::string> state_names;  // index = StateId
  std::vector<std::string> display_names;  // for people, e.g. "Viet Nam"; "" = use the name
  TimeAxis time;
  std::vector<std::size_t> kinds;  // each state's kind: index into the schema's `kinds`
  std::map<std::string, std::size_t> agents;   // the schema's agent_refs: key -> state
  std::map<std::string, std::size_t> choices;  // the schema's choices: key -> index of the choice

  // Every key of the model's schema, resolved with defaults. Monadic: N-vectors; dyadic: N×N
  // matrices with row = from, column = to.
  std::map<std::string, double> params;
  std::map<std::string, double> classifier;
  std::map<std::string, Eigen::VectorXd> state_keys;
  std::map<std::string, Eigen::MatrixXd> relation_keys;
  std::map<std::string, Eigen::MatrixXd> policy_keys;

  std::vector<Event> events;  // sorted by tick, stable in file order
  std::vector<Control> controls;
  Expectations expect;

  std::size_t size() const { return state_names.size(); }
  /// The name to show people: `display_names[i]`, or the state's name when it has none.
  const std::string& display_name(std::size_t i) const {
    return i < display_names.size() && !display_names[i].empty() ? display_names[i] : state_names[i];
  }
  /// Index of the state called `name`, or nullopt.
  std::optional<std::size_t> find_state(const std::string& name) const;
};

/// Resolves a dotted path (`params.K`, `classifier.K`, `states.S.K`, `states.S.K.T`,
/// `relations.S.T.K`) against a scenario. @throws nothing; returns an error message on failure.
std::optional<ParamRef> resolve_path(const Scenario& s, const std::string& path, std::string* error);

/// Reads the value a ParamRef points at.
double get_value(const Scenario& s, const ParamRef& ref);

struct KeySpec;

/// `current` after `op value` (set, add or scale), clamped to `range` if given: the one
/// definition of an event's operation, for the scenario and for every model.
double operate(double current, EventOp op, double value, const KeySpec* range);

/// Applies `op value` to the value a ParamRef points at; results stay unclipped.
void apply_op(Scenario& s, const ParamRef& ref, EventOp op, double value);

struct ModelSchema;

/// The values one setting changes: the ref itself, and its mirror for a symmetric relation key
/// of the schema (`--set`, sweeps and sliders all set both directions).
std::vector<ParamRef> setting_targets(const ModelSchema& schema, const ParamRef& ref);

/// The KeySpec a ParamRef refers to (for ranges), given the model's schema.
const struct KeySpec* spec_of(const ModelSchema& schema, const ParamRef& ref);

/// Whether the model labels state `i`: it is of the schema's `labelled_kind` (any state when
/// the schema names none).
bool is_labelled(const ModelSchema& schema, const Scenario& s, std::size_t i);

/// The schema's `outcome_title` with every "{key}" replaced by the name of that agent reference
/// ("labels" when the schema has no title).
std::string outcome_title(const ModelSchema& schema, const Scenario& s);

/// Sets the number of ticks and drops the events and expectations past the new end (they can
/// no longer happen or be checked), so the resolved scenario stays loadable.
void shorten(Scenario& s, int ticks);

}  // namespace alignsim
