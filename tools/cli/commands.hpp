#pragma once
// One function per subcommand; each parses its own options and may throw the Error family.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace alignsim::cli {

using Args = std::vector<std::string>;

int run_command(const Args& args, std::ostream& out, std::ostream& err);
int check_command(const Args& args, std::ostream& out, std::ostream& err);
int validate_command(const Args& args, std::ostream& out, std::ostream& err);
int explain_command(const Args& args, std::ostream& out, std::ostream& err);
int equilibria_command(const Args& args, std::ostream& out, std::ostream& err);
int models_command(const Args& args, std::ostream& out, std::ostream& err);
int bench_command(const Args& args, std::ostream& out, std::ostream& err);

/// Loads and validates a scenario with this build's models. @throws InputError.
Scenario load_scenario(const std::string& path);

/// Applies `--set PATH=VALUE` overrides, checking paths and ranges. @throws InputError.
void apply_overrides(Scenario& s, const std::vector<std::string>& sets);

/// "must be in [min, max]" when `value` is outside the model's range for `ref`, else nullopt.
std::optional<std::string> range_error(const Scenario& s, const ParamRef& ref, double value);

/// The run's labels as the JSON object `alignsim run --json` prints.
std::string summary_json(const Scenario& s, const Engine& run);

}  // namespace alignsim::cli
