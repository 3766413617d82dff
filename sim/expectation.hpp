#pragma once
// Pattern-oriented validation: does one run show a scenario's expected labels and facts?
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace alignsim {

/// Whether a label expectation holds given a run's outcomes.
bool label_holds(const LabelExpectation& e, const Scenario& s, const std::vector<StateOutcome>& outcomes);

/// Whether a dynamic fact holds in a finished run (needs the run's recording).
/// rises_after: mean over ticks [T, T + within) exceeds the mean over [T − within, T) by more
/// than `by`,
/// where T is the tick the named event was applied; falls_after mirrors it; stays_below/above:
/// every recorded tick from `from_tick` on is below/above `value`.
bool fact_holds(const FactExpectation& e, const Scenario& s, const Engine& run);

/// A readable one-line description of an expectation for tables.
std::string describe(const LabelExpectation& e);
std::string describe(const FactExpectation& e);

}  // namespace alignsim
