#pragma once
// YAML scenario files -> validated, frozen Scenario, and back (docs/scenario-format.md).
// Every problem in a file is collected and reported together in one InputError.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/key_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario.hpp"

namespace alignsim {

/// Loads and validates the scenario file at `path` against the schema of its `model` (the first
/// model of `models` when the file names none).
/// @throws InputError listing every problem (unreadable file, YAML syntax, types, ranges, names).
Scenario load_scenario_file(const std::string& path, const ModelRegistry& models);

/// Loads and validates scenario YAML held in `text`; `file_name` is used in diagnostics and as
/// the default scenario name (its stem).
/// @throws InputError listing every problem found.
Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const ModelRegistry& models);

/// Writes `s` as scenario YAML with every key and default spelled out; numbers are written in
/// the shortest form that reads back to the same double, so loading the output yields `s` again.
void write_resolved_yaml(const Scenario& s, const ModelSchema& schema, std::ostream& out);

/// Limits on a scenario (docs/reliability.md "Limits"), checked with positions.
inline constexpr std::size_t kMaxStates = 1000;
inline constexpr std::size_t kMaxNameLength = 64;  // state names; longer names get no hint
/// Seeds are below 2^53, so R, Stata, Excel and JavaScript (doubles) read them exactly.
inline constexpr unsigned long long kMaxSeed = (1ull << 53) - 1;

/// Returns ` (did you mean 'x'?)` when one of `candidates` is a near miss of `name` (small edit
/// distance), else "" (always for names longer than kMaxNameLength). Meant to be appended to
/// an "unknown ..." message.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

/// The shortest decimal text that reads back (strtod) to exactly `x`, e.g. 0.1 -> "0.1".
std::string format_number(double x);

/// `text` as a finite decimal number (as a scenario writes it: no hex, no inf or nan), or nullopt.
std::optional<double> parse_decimal(const std::string& text);

}  // namespace alignsim
