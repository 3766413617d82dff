// Hostile and oversized inputs get a positioned error and exit 2, quickly and in bounded memory
// (docs/reliability.md "Limits").
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "sim/scenario_loader.hpp"
#include "experiment/sweep_spec.hpp"
#include "sim/yaml_reader.hpp"
#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;

const char* const kValid = R"(name: t
focal_power: china
ticks: 10
states:
  - name: china
    role: great_power
  - name: usa
    role: great_power
  - name: cambodia
    role: small_state
)";

class InputLimits : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("alignsim_limits"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST_F(InputLimits, FileLargerThanTheLimitIsRefusedWithoutParsing) {
  std::string big = kValid;
  big += "# " + std::string(yaml_input::kMaxInputBytes, 'x') + "\n";
  const std::string path = write("big.yaml", big);
  const auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, path + ": error: is larger than 8 MiB, the limit for an input file (docs/reliability.md); "
                          "expected a scenario file (.yaml)\n");
}

TEST_F(InputLimits, EndlessDeviceIsRefusedQuickly) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_cli({"validate", "/dev/zero"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "/dev/zero: error: is larger than 8 MiB, the limit for an input file (docs/reliability.md); "
                   "expected a scenario file (.yaml)\n");
  EXPECT_LT(seconds_since(t0), 5.0);
}

TEST_F(InputLimits, TooManyStatesIsAPositionedErrorNotAnAllocation) {
  std::string yaml = "name: t\nfocal_power: s0\nstates:\n";
  for (int i = 0; i < 100000; ++i) yaml += "  - {name: s" + std::to_string(i) + ", role: small_state}\n";
  const std::string path = write("many.yaml", yaml);
  const auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":4:3: error: states: has 100000 states, more than 1000, the limit (docs/reliability.md)\n"),
            std::string::npos)
      << r.err;
}

TEST_F(InputLimits, LongNamesAreRefusedQuicklyWithoutAHint) {
  const std::string a(20000, 'a'), b = std::string(19999, 'a') + "b";
  const std::string path = write("long.yaml", std::string("name: t\nfocal_power: ") + b + R"(
states:
  - name: china
    role: great_power
  - name: )" + a + R"(
    role: small_state
)");
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":6:11: error: states[1].name: expected a name of at most 64 characters, got one of 20000\n"),
            std::string::npos)
      << r.err.substr(0, 300);
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos);
  EXPECT_LT(seconds_since(t0), 2.0);
}

TEST(InputLimitsHint, DidYouMeanSkipsNamesLongerThanTheLimit) {
  EXPECT_EQ(did_you_mean("cambodai", {"cambodia"}), " (did you mean 'cambodia'?)");
  EXPECT_EQ(did_you_mean(std::string(65, 'a'), {std::string(64, 'a')}), "");
}

// yaml-cpp's LoadAll loops forever, allocating, on a ',' outside brackets (found by the fuzzer).
TEST_F(InputLimits, CommaOutsideBracketsIsAPositionedErrorNotAHang) {
  for (const std::string text : {",\n", "# a comment\n,os# 64\nticks: 5\n"}) {
    const std::string path = write("comma.yaml", text);
    const auto r = run_cli({"validate", path});
    EXPECT_EQ(r.code, 2) << text;
    const std::string line = text[0] == ',' ? "1" : "2";
    EXPECT_EQ(r.err, path + ":" + line + ":1: error: invalid yaml: unexpected ',' (a ',' belongs inside [ ] or { })\n")
        << text;
  }
}

TEST_F(InputLimits, SecondYamlDocumentIsRejectedAtItsStart) {
  const std::string path = write("two.yaml", std::string(kValid) + "---\nticks: 5\n");
  const auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, path + ":12:1: error: a second yaml document (after '---'), which would be ignored; keep one document per file\n");
}

TEST_F(InputLimits, ControlBytesInTheInputAreEscapedInDiagnostics) {
  // YAML's \e and \a escapes: ESC and BEL in the value the error quotes.
  const std::string path = write("esc.yaml", std::string(kValid) + R"(params: {foresight: "\e[2J\e]0;pwned\a"})" "\n");
  const auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.err.find('\x07'), std::string::npos);
  EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
}

TEST(InputLimitsEscape, EscapesC0C1AndDelButKeepsText) {
  EXPECT_EQ(escape_control_bytes("a\x1b[31mb\x7f\tc"), "a\\x1b[31mb\\x7f\\x09c");
  EXPECT_EQ(escape_control_bytes("\xc2\x9b" "2J caf\xc3\xa9"), "\\xc2\\x9b2J caf\xc3\xa9");
  EXPECT_EQ(escape_control_bytes("one\ntwo", true), "one\ntwo");
  EXPECT_EQ(escape_control_bytes("one\ntwo"), "one\\x0atwo");
}

TEST_F(InputLimits, HexFloatsAreRejectedInYamlAndSet) {
  const std::string path = write("hex.yaml", std::string(kValid) + "params: {foresight: 0x0.8p0}\n");
  auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, path + ":11:21: error: params.foresight: expected a decimal number, got '0x0.8p0'\n");
  const std::string ok = write("ok.yaml", kValid);
  r = run_cli({"run", ok, "--set", "params.foresight=0x0.8p0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "--set: error: params.foresight: expected a decimal number, got '0x0.8p0'\n");
}

TEST(InputLimitsNumber, ParseDecimalTakesOnlyFiniteDecimals) {
  EXPECT_EQ(parse_decimal("0.5"), 0.5);
  EXPECT_EQ(parse_decimal("-2e3"), -2000.0);
  for (const char* bad : {"", "0x1p0", "inf", "nan", "1e400", "1,5", " 1"})
    EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
}

TEST_F(InputLimits, TwoSweepParametersForOneValueAreRejected) {
  const std::string scenario = write("s.yaml", kValid);
  const std::string spec = write("spec.yaml", "scenario: s.yaml\nparameters:\n"
                                              "  relations.china.cambodia.base_inducement: {values: [0.1, 0.2]}\n"
                                              "  states.china.base_inducement.cambodia: {values: [0.3]}\n");
  const auto r = run_cli({"sweep", spec, "--out", (dir_ / "out").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(spec + ":4:3: error: parameters.states.china.base_inducement.cambodia: sets the same value as "
                              "parameters.relations.china.cambodia.base_inducement (line 3); keep one of the two\n"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(InputLimits, AbsurdDesignIsRejectedAtItsPosition) {
  write("s.yaml", kValid);
  const std::string spec = write("spec.yaml", "scenario: s.yaml\ndesign: lhs\npoints: 2000000000\nparameters:\n"
                                              "  params.foresight: {range: [0, 1]}\n");
  const auto r = run_cli({"sweep", spec, "--out", (dir_ / "out").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, spec + ":3:9: error: points: must be in [1, 10000000], got 2000000000\n");
}

TEST_F(InputLimits, SeedsAreWholeNumbersBelowTwoToThe53) {
  const std::string ok = write("ok.yaml", kValid);
  auto r = run_cli({"run", ok, "--seed", "-1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: --seed must be a whole number in [0, 9007199254740991] (2^53 - 1), got '-1'\n");
  r = run_cli({"run", ok, "--seed", "9007199254740992"});
  EXPECT_EQ(r.code, 2);
  const std::string big = write("big_seed.yaml", std::string(kValid) + "seed: 9007199254740992\n");
  r = run_cli({"validate", big});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, big + ":11:7: error: seed: expected a whole number in [0, 9007199254740991] (2^53 - 1), got '9007199254740992'\n");
}

TEST_F(InputLimits, RunWithoutAScenarioNamesTheArgumentNotAnOption) {
  const auto r = run_cli({"run"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: missing the scenario file: alignsim run SCENARIO [options] (see alignsim run --help)\n");
}

}  // namespace
}  // namespace alignsim
