// write_resolved_yaml: every bundled scenario survives load -> write -> load with equal tables,
// and text of any kind (quotes, newlines, control characters, numeric-looking) is escaped.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "scenario_equality.hpp"
#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(ALIGNSIM_SOURCE_DIR) / "scenarios")) {
    // scenarios/sweeps and scenarios/calibration hold sweep and calibration specs, not scenarios.
    const std::string folder = e.path().parent_path().filename().string();
    if (e.path().extension() != ".yaml" || folder == "sweeps" || folder == "calibration") continue;
    files.push_back(fs::relative(e.path(), ALIGNSIM_SOURCE_DIR).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string written(const Scenario& s) {
  std::ostringstream out;
  write_resolved_yaml(s, *model_registry().find(s.model)->schema, out);
  return out.str();
}


class ResolvedYaml : public ::testing::TestWithParam<std::string> {};

TEST_P(ResolvedYaml, LoadsBackWithEqualTablesAndIsAFixedPoint) {
  const Scenario original = testing::bundled(GetParam());
  const std::string text = written(original);
  const Scenario again = load_scenario_text(text, "scenario.resolved.yaml", model_registry());
  testing::expect_same_scenario(original, again);
  EXPECT_EQ(written(again), text);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ResolvedYaml, ::testing::ValuesIn(bundled_scenarios()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(ResolvedYamlText, EscapesAnyText) {
  Scenario s = testing::bundled("scenarios/cambodia_2010_2016.yaml");
  s.name = "null";
  s.description = "\"quoted\" \\ back\nnew line\ttab\r\x01\x1f: # not a comment, é";
  s.display_names.assign(s.size(), "");
  s.display_names[0] = "2016";
  s.display_names[1] = " leading and trailing ";
  s.display_names[2] = "yes";
  ASSERT_FALSE(s.events.empty());
  s.events[0].label = "[not a list]";
  s.events[0].description = "{not: a map}";
  s.events[1].label = "a,b]c}d";
  s.events[1].description = "";
  s.controls.at(0).label = "- not an item, ? not a key, & not an anchor, * not an alias, ! not a tag";
  const std::string text = written(s);
  const Scenario again = load_scenario_text(text, "scenario.resolved.yaml", model_registry());
  testing::expect_same_scenario(s, again);
  EXPECT_EQ(text.rfind("# Fully resolved scenario: every key with its value, defaults filled in.\n", 0), 0u);
  EXPECT_NE(text.find("\nname: \"null\"\n"), std::string::npos) << text;
}

TEST(ResolvedYamlText, WritesNumbersPlainAndShortest) {
  Scenario s = testing::bundled("scenarios/asean_2016.yaml");
  const KeySpec& spec = model_registry().find(s.model)->schema->params.front();
  // Sixteen or seventeen significant digits.
  const double x = spec.min + (std::isfinite(spec.max) ? spec.max - spec.min : 1.0) / 3.0;
  s.params[spec.key] = x;
  const std::string text = written(s);
  EXPECT_NE(text.find("\n  " + spec.key + ": " + format_number(x) + "\n"), std::string::npos) << text;
  EXPECT_EQ(load_scenario_text(text, "r.yaml", model_registry()).params.at(spec.key), x);
}

}  // namespace
}  // namespace alignsim
