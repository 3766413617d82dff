// The scenario's words for people (docs/scenario-format.md): display names, calendar time and
// event labels and descriptions are read, checked, defaulted and written back.
#include <gtest/gtest.h>

#include <sstream>

#include "models/alignment/schema.hpp"
#include "sim/scenario_loader.hpp"

namespace alignsim {
namespace {

// The registered models: the alignment model (the default when `model` is absent) and the
// landscape model.
const ModelRegistry& lookup = model_registry();

Scenario load(const std::string& yaml) { return load_scenario_text(yaml, "s.yaml", lookup); }

std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

const char* const kStates = R"(states:
  - name: china
    role: great_power
    display_name: China
  - name: usa
    role: great_power
    display_name: "United States"
  - name: cambodia
    role: small_state
)";

std::string scenario(const std::string& extra) {
  return "name: t\nfocal_power: china\nticks: 100\n" + extra + kStates;
}

TEST(ScenarioMetadata, ReadsDisplayNamesTimeAndEventLabels) {
  const Scenario s = load(scenario("time: {start: 2010-01, tick: month}\n") + R"(events:
  - {tick: 5, name: visit, path: states.usa.base_inducement.cambodia, op: add, value: 0.1,
     label: "Kerry visits", description: "The US courts Cambodia."}
  - {tick: 6, name: plain, path: states.usa.base_inducement.cambodia, op: add, value: 0.1}
)");
  EXPECT_EQ(s.display_name(0), "China");
  EXPECT_EQ(s.display_name(1), "United States");
  EXPECT_EQ(s.display_name(2), "cambodia");  // no display_name: the name
  EXPECT_EQ(s.time.start, "2010-01");
  EXPECT_EQ(s.time.tick, "month");
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].label, "Kerry visits");
  EXPECT_EQ(s.events[0].description, "The US courts Cambodia.");
  EXPECT_EQ(s.events[1].label, "");
}

TEST(ScenarioMetadata, WithoutTimeTicksAreNotDates) {
  EXPECT_EQ(load(scenario("")).time.start, "");
}

TEST(ScenarioMetadata, RejectsAMalformedStartWithPosition) {
  EXPECT_EQ(error_of(scenario("time: {start: 2010-13, tick: month}\n")),
            "s.yaml:4:15: error: time.start: expected a year and month YYYY-MM (e.g. 2010-01), got '2010-13'");
}

TEST(ScenarioMetadata, RejectsAnUnknownTickWithSuggestion) {
  const std::string e = error_of(scenario("time: {start: 2010-01, tick: months}\n"));
  EXPECT_NE(e.find("s.yaml:4:30: error: time.tick:"), std::string::npos) << e;
  EXPECT_NE(e.find("month"), std::string::npos) << e;
}

TEST(ScenarioMetadata, RejectsAMissingTickAtItsParent) {
  EXPECT_EQ(error_of(scenario("time: {start: 2010-01}\n")),
            "s.yaml:4:7: error: time: missing required key 'tick' (month, quarter or year)");
}

TEST(ScenarioMetadata, ResolvedYamlKeepsTheMetadata) {
  const Scenario s = load(scenario("time: {start: 2007-01, tick: quarter}\n") + R"(events:
  - {tick: 5, name: visit, path: states.usa.base_inducement.cambodia, op: add, value: 0.1, label: "Kerry: a visit", description: "Say \"more\"."}
)");
  std::ostringstream written;
  write_resolved_yaml(s, alignment::schema(), written);
  const Scenario again = load_scenario_text(written.str(), "resolved.yaml", lookup);
  EXPECT_EQ(again.display_names, s.display_names);
  EXPECT_EQ(again.time.start, "2007-01");
  EXPECT_EQ(again.time.tick, "quarter");
  ASSERT_EQ(again.events.size(), 1u);
  EXPECT_EQ(again.events[0].label, "Kerry: a visit");
  EXPECT_EQ(again.events[0].description, "Say \"more\".");
}

}  // namespace
}  // namespace alignsim
