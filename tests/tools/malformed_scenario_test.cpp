// Issue acceptance 5: malformed scenarios through the real command line: the exact message
// with file, line and column, exit code 2, and no output written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/cli/cli.hpp"

namespace alignsim::cli {
namespace {

namespace fs = std::filesystem;

struct Malformed {
  const char* name;
  const char* yaml;
  const char* message;  // after "FILE"
};

const Malformed kCases[] = {
    {"bad_label",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nexpect:\n  labels:\n    - {state: cambodia, label: hedgeing}\n",
     ":9:32: error: expect.labels[0].label: expected bandwagoning, soft_bandwagoning, hedging, internal_balancing, external_balancing, soft_balancing or neutrality, got 'hedgeing' (did you mean 'hedging'?)"},
    {"bad_op",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nevents:\n  - {tick: 3, name: x, path: states.cambodia.stake.china, op: multiply, value: 2}\n",
     ":8:63: error: events[0].op: expected set, add or scale, got 'multiply'"},
    {"bad_role",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: smallstate\n",
     ":6:11: error: states[1].role: expected great_power or small_state, got 'smallstate' (did you mean 'small_state'?)"},
    {"duplicate_state",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\n  - name: cambodia\n    role: small_state\n",
     ":7:11: error: states[2].name: duplicate state 'cambodia' (first declared at line 5); give each state its own name"},
    {"empty",
     "",
     ": error: scenario is empty (expected a mapping with 'model', 'states', ...; see docs/scenario-format.md)"},
    {"event_path",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nevents:\n  - {tick: 3, name: x, path: states.cambodia.stakes.china, op: add, value: 2}\n",
     ":8:30: error: events[0].path: unknown relation or policy key 'stakes' (did you mean 'stake'?)"},
    {"event_tick",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nevents:\n  - {tick: 500, name: x, path: states.cambodia.stake.china, op: add, value: 2}\n",
     ":8:12: error: events[0].tick: must be in [0, 149] because the run has 150 ticks, got 500"},
    {"focal_small",
     "focal_power: cambodia\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state",
     ":1:14: error: focal_power: 'cambodia' has role small_state; the focal_power must be a state with role great_power"},
    {"missing_focal",
     "states:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\n",
     ":1:1: error: missing required key 'focal_power' (the name of the great power whose alignment the scenario studies)"},
    {"negative_ticks",
     "ticks: -5\nfocal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\n",
     ":1:8: error: ticks: must be >= 1, got -5"},
    {"out_of_range",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\n    projection: 1.5\n",
     ":7:17: error: states[1].projection: must be in [0, 1], got 1.5"},
    {"param_range",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nparams:\n  foresight: 2\n",
     ":8:14: error: params.foresight: must be in [0, 1], got 2"},
    {"self_relation",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nrelations:\n  - {from: cambodia, to: cambodia, proximity: 1}\n",
     ":8:26: error: relations[0].to: 'cambodia' is also 'from': a state has no relation with itself; name two different states"},
    {"syntax",
     "focal_power: china\nstates: [china\n",
     ":3:1: error: invalid yaml: end of sequence flow not found (a '[' is not closed by ']')"},
    {"unknown_key",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\n    dependence_aversoin: 1\n",
     ":7:5: error: states[1]: unknown key 'dependence_aversoin' (did you mean 'dependence_aversion'?)"},
    {"unknown_state",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\nrelations:\n  - {from: cambodia, to: laos, economic_value: 0.1}\n",
     ":8:26: error: relations[0].to: unknown state 'laos'; declare it under 'states'"},
    {"wrong_type",
     "focal_power: china\nstates:\n  - name: china\n    role: great_power\n  - name: cambodia\n    role: small_state\n    gdp: lots\n",
     ":7:10: error: states[1].gdp: expected a number, got 'lots'"},
};

class MalformedScenario : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedScenario, ExitsTwoWithExactMessageAndWritesNothing) {
  const Malformed& c = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("alignsim_malformed_" + std::string(c.name));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / (std::string(c.name) + ".yaml");
  std::ofstream(file) << c.yaml;
  const fs::path out_dir = dir / "out";
  std::ostringstream out, err;
  const int code = main({"run", file.string(), "--out", out_dir.string()}, out, err);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(err.str(), file.string() + c.message + "\n");
  EXPECT_EQ(out.str(), "");
  EXPECT_FALSE(fs::exists(out_dir));
}

INSTANTIATE_TEST_SUITE_P(Cli, MalformedScenario, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MalformedScenarios, AtLeastFifteenDistinctCases) {
  EXPECT_GE(std::size(kCases), 15u);
}

}  // namespace
}  // namespace alignsim::cli
