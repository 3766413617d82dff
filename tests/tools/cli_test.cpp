// The alignsim command line, run as a user would: exit codes, outputs, messages.
#include "tools/cli/cli.hpp"

#include <gtest/gtest.h>


#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/landscape/landscape.hpp"
#include "models/landscape/schema.hpp"
#include "test_support.hpp"
#include "tools/cli/commands.hpp"

namespace alignsim::cli {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using Result = testing::CliResult;
using testing::slurp;
using testing::source_path;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("alignsim_cli_test_" + name);
  fs::remove_all(d);
  return d;
}

const std::string kAsean = source_path("scenarios/asean_2016.yaml");

TEST(Cli, RunPrintsOneRowPerSmallState) {
  const Result r = run_cli({"run", kAsean, "--ticks", "30"});
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* s : {"cambodia", "vietnam", "singapore", "malaysia", "philippines", "laos"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  EXPECT_EQ(r.out.find("\nusa "), std::string::npos);
}

TEST(Cli, RunJsonHasTheDocumentedShape) {
  const Result r = run_cli({"run", kAsean, "--ticks", "30", "--seed", "3", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["scenario"], "asean_2016");
  EXPECT_EQ(j["seed"], 3);
  ASSERT_EQ(j["states"].size(), 6u);
  for (const auto& s : j["states"]) {
    EXPECT_TRUE(s.contains("name") && s.contains("label") && s.contains("motive"));
    EXPECT_TRUE(s["features"].contains("deference"));
  }
}

TEST(Cli, RunOutWritesTheThreeFilesAndTheResolvedScenarioReloads) {
  const fs::path d = fresh_dir("out");
  const Result r = run_cli({"run", kAsean, "--ticks", "20", "--out", d.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"timeseries.csv", "summary.json", "scenario.resolved.yaml"})
    EXPECT_TRUE(fs::exists(d / f)) << f;
  EXPECT_EQ(slurp(d / "timeseries.csv").rfind("tick,state,partner,quantity,value\n", 0), 0u);
  const Result again = run_cli({"validate", (d / "scenario.resolved.yaml").string()});
  EXPECT_EQ(again.code, 0) << again.err;
  // No temporary files are left behind.
  for (const auto& e : fs::directory_iterator(d))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos);
}

TEST(Cli, TimeseriesIsByteIdenticalForTheSameSeedAndDiffersAcrossSeeds) {
  const fs::path a = fresh_dir("seed_a"), b = fresh_dir("seed_b"), c = fresh_dir("seed_c");
  ASSERT_EQ(run_cli({"run", kAsean, "--seed", "9", "--out", a.string()}).code, 0);
  ASSERT_EQ(run_cli({"run", kAsean, "--seed", "9", "--out", b.string()}).code, 0);
  ASSERT_EQ(run_cli({"run", kAsean, "--seed", "10", "--out", c.string()}).code, 0);
  EXPECT_EQ(slurp(a / "timeseries.csv"), slurp(b / "timeseries.csv"));
  EXPECT_NE(slurp(a / "timeseries.csv"), slurp(c / "timeseries.csv"));
}

TEST(Cli, SetOverridesAValueAndRejectsBadOnesWithExitTwo) {
  const Result ok = run_cli({"run", kAsean, "--ticks", "5", "--set", "states.cambodia.dependence_aversion=2"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  const fs::path d = fresh_dir("badset");
  const Result bad = run_cli({"run", kAsean, "--set", "states.cambodja.dependence_aversion=2", "--set",
                          "params.foresight=1.5", "--out", d.string()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err,
            "--set: error: states.cambodja.dependence_aversion: unknown state 'cambodja' (did you mean 'cambodia'?)\n"
            "--set: error: params.foresight: must be in [0, 1], got 1.5\n");
  EXPECT_FALSE(fs::exists(d));
}

TEST(Cli, BadScenarioExitsTwoAndWritesNothing) {
  const fs::path d = fresh_dir("badscenario");
  fs::create_directories(d);
  const fs::path file = d / "bad.yaml";
  std::ofstream(file) << "states:\n  - name: a\n    role: great_power\nfocal_power: b\nticks: -3\n";
  const fs::path out = d / "out";
  const Result r = run_cli({"run", file.string(), "--out", out.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(file.string() + ":4:14: error: focal_power: unknown state 'b'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file.string() + ":5:8: error: ticks: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Cli, MissingFileAndUnknownCommandAndBadOptionExitTwo) {
  EXPECT_EQ(run_cli({"run", "/nonexistent/x.yaml"}).code, 2);
  EXPECT_EQ(run_cli({"frobnicate"}).code, 2);
  EXPECT_EQ(run_cli({"run", kAsean, "--tiks", "3"}).code, 2);
  EXPECT_EQ(run_cli({"run", kAsean, "--ticks", "0"}).code, 2);
  EXPECT_EQ(run_cli({}).code, 2);
  EXPECT_EQ(run_cli({"explain", kAsean, "--state", "atlantis"}).code, 2);
}

TEST(Cli, EverySubcommandHasHelp) {
  for (const char* c : {"run", "check", "validate", "explain", "models", "bench"}) {
    const Result r = run_cli({c, "--help"});
    EXPECT_EQ(r.code, 0) << c;
    EXPECT_NE(r.out.find("usage: alignsim"), std::string::npos) << c;
  }
  EXPECT_EQ(run_cli({"--help"}).code, 0);
}

TEST(Cli, ModelsListsTheAlignmentModel) {
  const Result r = run_cli({"models"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("alignment", 0), 0u);
}

TEST(Cli, ExplainShowsTheDecompositionAndTheReason) {
  const Result r = run_cli({"explain", kAsean, "--state", "cambodia", "--tick", "40"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* term : {"economy", "threat", "disputes", "costs", "dependence", "label "})
    EXPECT_NE(r.out.find(term), std::string::npos) << term;
}

TEST(Cli, CheckExitsOneWhenAnExpectationFails) {
  const fs::path d = fresh_dir("check");
  fs::create_directories(d);
  std::ifstream in(kAsean);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  // An impossible expectation: Cambodia balancing in every seed.
  text = text.substr(0, text.find("expect:")) +
         "expect:\n  labels:\n    - {state: cambodia, label: external_balancing, rate: 1.0}\n";
  std::ofstream(d / "impossible.yaml") << text;
  const Result r = run_cli({"check", (d / "impossible.yaml").string(), "--seeds", "2"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("FAIL"), std::string::npos);
}


// The landscape model's command line: equilibria by exhaustive search, check against the
// actual WWII sides (docs/models/landscape.md).
const std::string kEurope = source_path("scenarios/landscape/europe_1936.yaml");

TEST(Cli, EquilibriaListsEveryLocalMinimumWithItsBasin) {
  const Result r = run_cli({"equilibria", kEurope, "--starts", "400", "--seeds", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  // The same count as the search run here on the scenario's own numbers.
  const Scenario s = load_scenario(kEurope);
  landscape::Landscape l;
  l.size = s.state_keys.at("size");
  l.propensity = s.relation_keys.at("propensity");
  for (const char* f : landscape::kFactors) l.propensity += s.params.at(std::string("weight_") + f) * s.relation_keys.at(f);
  const std::size_t minima = landscape::exhaustive_minima(l).size();
  EXPECT_NE(r.out.find(s.name + ": " + std::to_string(minima) + " equilibria"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("equilibrium 1: energy "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("% of starts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("against expect: "), std::string::npos) << r.out;
  EXPECT_EQ(run_cli({"equilibria", kAsean}).code, 2);  // the alignment model cannot enumerate them
}

TEST(Cli, CheckCountsTheMisplacedStates) {
  const Result eq = run_cli({"equilibria", kEurope, "--starts", "200", "--seeds", "0"});
  const Result check = run_cli({"check", kEurope, "--seeds", "3"});
  ASSERT_EQ(eq.code, 0) << eq.err;
  const auto at = eq.out.find("against expect: ");
  ASSERT_NE(at, std::string::npos);
  const int misplaced = std::stoi(eq.out.substr(at + 16));
  // With one equilibrium every run ends there, so check fails exactly its misplaced states.
  if (eq.out.find(": 1 equilibria") != std::string::npos) {
    EXPECT_EQ(check.code, misplaced > 0 ? 1 : 0);
    if (misplaced > 0)
      EXPECT_NE(check.out.find(std::to_string(misplaced) + " of 17 label expectations do not hold"), std::string::npos)
          << check.out;
  }
}

}  // namespace
}  // namespace alignsim::cli
