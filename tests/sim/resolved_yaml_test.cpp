// write_resolved_yaml: every bundled scenario survives load -> write -> load with equal tables,
// and text of any kind (quotes, newlines, control characters, numeric-looking) is escaped.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
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

// Everything the loader resolves, compared exactly (doubles with ==).
void expect_same(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.ticks, b.ticks);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.update, b.update);
  EXPECT_EQ(a.state_names, b.state_names);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a.display_name(i), b.display_name(i));
  EXPECT_EQ(a.time.start, b.time.start);
  EXPECT_EQ(a.time.tick, b.time.tick);
  EXPECT_EQ(a.kinds, b.kinds);
  EXPECT_EQ(a.agents, b.agents);
  EXPECT_EQ(a.choices, b.choices);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.classifier, b.classifier);
  EXPECT_EQ(a.state_keys, b.state_keys);
  EXPECT_EQ(a.relation_keys, b.relation_keys);
  EXPECT_EQ(a.policy_keys, b.policy_keys);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t k = 0; k < a.events.size(); ++k) {
    const Event &x = a.events[k], &y = b.events[k];
    EXPECT_EQ(x.tick, y.tick);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.path, y.path);
    EXPECT_EQ(x.label, y.label);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.op, y.op);
    EXPECT_EQ(x.value, y.value);
  }
  ASSERT_EQ(a.controls.size(), b.controls.size());
  for (std::size_t k = 0; k < a.controls.size(); ++k) {
    EXPECT_EQ(a.controls[k].path, b.controls[k].path);
    EXPECT_EQ(a.controls[k].label, b.controls[k].label);
    EXPECT_EQ(a.controls[k].min, b.controls[k].min);
    EXPECT_EQ(a.controls[k].max, b.controls[k].max);
  }
  ASSERT_EQ(a.expect.labels.size(), b.expect.labels.size());
  for (std::size_t k = 0; k < a.expect.labels.size(); ++k) {
    const LabelExpectation &x = a.expect.labels[k], &y = b.expect.labels[k];
    EXPECT_EQ(x.state, y.state);
    EXPECT_EQ(x.labels, y.labels);
    EXPECT_EQ(x.negated, y.negated);
    EXPECT_EQ(x.qualifiers, y.qualifiers);
    EXPECT_EQ(x.rate, y.rate);
  }
  ASSERT_EQ(a.expect.facts.size(), b.expect.facts.size());
  for (std::size_t k = 0; k < a.expect.facts.size(); ++k) {
    const FactExpectation &x = a.expect.facts[k], &y = b.expect.facts[k];
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.state, y.state);
    EXPECT_EQ(x.partner, y.partner);
    EXPECT_EQ(x.quantity, y.quantity);
    EXPECT_EQ(x.event, y.event);
    EXPECT_EQ(x.within, y.within);
    EXPECT_EQ(x.by, y.by);
    EXPECT_EQ(x.value, y.value);
    EXPECT_EQ(x.from_tick, y.from_tick);
    EXPECT_EQ(x.than_state, y.than_state);
    EXPECT_EQ(x.than_partner, y.than_partner);
    EXPECT_EQ(x.rate, y.rate);
  }
}

class ResolvedYaml : public ::testing::TestWithParam<std::string> {};

TEST_P(ResolvedYaml, LoadsBackWithEqualTablesAndIsAFixedPoint) {
  const Scenario original = testing::bundled(GetParam());
  const std::string text = written(original);
  const Scenario again = load_scenario_text(text, "scenario.resolved.yaml", model_registry());
  expect_same(original, again);
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
  expect_same(s, again);
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
