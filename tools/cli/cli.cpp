#include "tools/cli/cli.hpp"

#include <exception>

#include "sim/error.hpp"
#include "tools/cli/calibrate.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/report.hpp"
#include "tools/cli/serve.hpp"
#include "tools/cli/sweep.hpp"

namespace alignsim::cli {

namespace {

constexpr const char* kUsage = R"(alignsim — how small states align with great powers (agent-based model)

usage: alignsim <command> [options]

commands:
  run SCENARIO        run a scenario and print each small state's strategy
  check SCENARIO      run the scenario's expect: block over many seeds
  validate SCENARIO   load and validate a scenario only
  explain SCENARIO    utility decomposition and reasons for one state
  sweep SPEC --out DIR  parameter sweep: designs, replications, threads, resume
  calibrate SPEC --out DIR  pattern-oriented calibration against the expect: blocks
  serve [SCENARIO]    live web view for the classroom (http://127.0.0.1:8080)
  report DIR -o FILE  self-contained HTML report of a run --out or sweep directory
  equilibria SCENARIO every equilibrium and its basin (landscape model: local minima)
  models              list the registered models
  bench               time runs and ticks (see docs/performance.md)

`alignsim <command> --help` describes each command. Docs: docs/getting-started.md
)";

struct Command {
  const char* name;
  int (*fn)(const Args&, std::ostream&, std::ostream&);
};

constexpr Command kCommands[] = {
    {"run", run_command},         {"check", check_command},     {"validate", validate_command},
    {"explain", explain_command}, {"models", models_command},   {"bench", bench_command},     {"sweep", sweep_command},
    {"calibrate", calibrate_command}, {"equilibria", equilibria_command},
    {"serve", serve_command},     {"report", report_command},
};

}  // namespace

int main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    out << "alignsim " ALIGNSIM_VERSION "\n";
    return 0;
  }
  try {
    for (const Command& c : kCommands)
      if (args[0] == c.name) return c.fn(Args(args.begin() + 1, args.end()), out, err);
    throw UsageError("unknown command '" + args[0] + "' (expected run, check, validate, explain, equilibria, sweep, calibrate, serve, report, models or bench; see alignsim --help)");
  } catch (const InputError& e) {
    err << e.what() << '\n';  // each diagnostic escaped already (format_diagnostic)
    return 2;
  } catch (const UsageError& e) {
    err << "alignsim: error: " << escape_control_bytes(e.what(), true) << '\n';
    return 2;
  } catch (const RuntimeError& e) {
    err << "alignsim: error: " << escape_control_bytes(e.what(), true) << '\n';
    return 1;
  } catch (const std::exception& e) {
    err << "alignsim: internal error: " << escape_control_bytes(e.what(), true) << '\n';
    return 1;
  }
}

}  // namespace alignsim::cli
