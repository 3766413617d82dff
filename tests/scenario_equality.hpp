#pragma once
// Two scenarios compared field by field, for the tests that write a scenario and load it back
// (tests/sim/scenario_loader_test.cpp, tests/sim/resolved_yaml_test.cpp).
#include <gtest/gtest.h>

#include "sim/scenario.hpp"

namespace alignsim::testing {

// Everything the loader resolves but source positions, compared exactly (doubles with ==).
inline void expect_same_scenario(const Scenario& a, const Scenario& b) {
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
    EXPECT_EQ(x.target.kind, y.target.kind);
    EXPECT_EQ(x.target.key, y.target.key);
    EXPECT_EQ(x.target.i, y.target.i);
    EXPECT_EQ(x.target.j, y.target.j);
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

}  // namespace alignsim::testing
