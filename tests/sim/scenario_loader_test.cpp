#include "sim/scenario_loader.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "models/alignment/schema.hpp"
#include "scenario_equality.hpp"

namespace alignsim {
namespace {

// The registered models: the alignment model (the default when `model` is absent) and the
// landscape model.
const ModelRegistry& lookup = model_registry();

Scenario load(const std::string& yaml) { return load_scenario_text(yaml, "s.yaml", lookup); }

// The full text of the InputError the loader throws for `yaml`.
std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

// Four states; the states of the malformed scenarios below follow the same shape.
const char* const kValid = R"(name: t
focal_power: china
ticks: 100
states:
  - name: china
    role: great_power
    gdp: 11000
  - name: usa
    role: great_power
  - name: cambodia
    role: small_state
  - name: vietnam
    role: small_state
)";

// ---- malformed scenarios: one problem each, exact text -------------------------------------

TEST(ScenarioLoader, ReportsYamlSyntaxErrorWithPosition) {
  EXPECT_EQ(error_of("focal_power: china\nstates: [china\nticks: 3\n"),
            "s.yaml:3:6: error: invalid yaml: end of sequence flow not found "
            "(a '[' is not closed by ']')");
}

TEST(ScenarioLoader, RejectsWrongType) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - name: china
    role: great_power
    gdp: abc
)"),
            "s.yaml:5:10: error: states[0].gdp: expected a number, got 'abc'");
}

TEST(ScenarioLoader, RejectsQuotedNumber) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power, projection: "0.5"}
)"),
            "s.yaml:3:50: error: states[0].projection: expected a number, got the quoted text "
            "\"0.5\"; remove the quotes");
}

TEST(ScenarioLoader, RejectsOutOfRangeValue) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - name: china
    role: great_power
    projection: 1.5
)"),
            "s.yaml:5:17: error: states[0].projection: must be in [0, 1], got 1.5");
}

TEST(ScenarioLoader, RejectsUnknownKeyWithSuggestion) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - name: china
    role: great_power
    dependence_aversoin: 2
)"),
            "s.yaml:5:5: error: states[0]: unknown key 'dependence_aversoin' "
            "(did you mean 'dependence_aversion'?)");
}

TEST(ScenarioLoader, RejectsUnknownTopLevelKey) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
paramz: {foresight: 0.5}
)"),
            "s.yaml:4:1: error: unknown key 'paramz' (did you mean 'params'?)");
}

TEST(ScenarioLoader, RejectsUnknownParameterWithoutNearMiss) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
params: {war: 0.5}
)"),
            "s.yaml:4:10: error: params: unknown key 'war'; the accepted keys are listed in "
            "docs/scenario-format.md");
}

TEST(ScenarioLoader, RejectsUnknownStateInRelation) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
  - {name: cambodia, role: small_state}
relations:
  - {from: cambodja, to: china, economic_value: 0.1}
)"),
            "s.yaml:6:12: error: relations[0].from: unknown state 'cambodja' (did you mean "
            "'cambodia'?); declare it under 'states'");
}

TEST(ScenarioLoader, RejectsDuplicateState) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - name: china
    role: great_power
  - name: china
    role: small_state
)"),
            "s.yaml:5:11: error: states[1].name: duplicate state 'china' (first declared at "
            "line 3); give each state its own name");
}

TEST(ScenarioLoader, RejectsMissingFocalPower) {
  EXPECT_EQ(error_of(R"(states:
  - {name: china, role: great_power}
)"),
            "s.yaml:1:1: error: missing required key 'focal_power' (the name of the great power "
            "whose alignment the scenario studies)");
}

TEST(ScenarioLoader, RejectsSmallStateAsFocalPower) {
  EXPECT_EQ(error_of(R"(focal_power: cambodia
states:
  - {name: china, role: great_power}
  - {name: cambodia, role: small_state}
)"),
            "s.yaml:1:14: error: focal_power: 'cambodia' has role small_state; the focal_power "
            "must be a state with role great_power");
}

TEST(ScenarioLoader, RejectsNegativeTicks) {
  EXPECT_EQ(error_of(R"(focal_power: china
ticks: -5
states:
  - {name: china, role: great_power}
)"),
            "s.yaml:2:8: error: ticks: must be >= 1, got -5");
}

TEST(ScenarioLoader, RejectsFractionalTicks) {
  EXPECT_EQ(error_of(R"(focal_power: china
ticks: 1.5
states:
  - {name: china, role: great_power}
)"),
            "s.yaml:2:8: error: ticks: expected a whole number, got '1.5'");
}

TEST(ScenarioLoader, RejectsEmptyFile) {
  EXPECT_EQ(error_of("# nothing here yet\n"),
            "s.yaml: error: scenario is empty (expected a mapping with 'model', "
            "'states', ...; see docs/scenario-format.md)");
  EXPECT_EQ(error_of(""), error_of("# nothing here yet\n"));
}

TEST(ScenarioLoader, RejectsMissingStates) {
  EXPECT_EQ(error_of("focal_power: china\nticks: 10\n"),
            "s.yaml:1:1: error: missing required key 'states' (a sequence of the states in the "
            "scenario, each with a name and a role)");
}

TEST(ScenarioLoader, RejectsStatesThatAreNotASequence) {
  EXPECT_EQ(error_of("focal_power: china\nstates: {china: 1}\n"),
            "s.yaml:2:9: error: states: expected a non-empty sequence of states (lines starting "
            "with '- name: ...'), got a mapping");
}

TEST(ScenarioLoader, RejectsBadRole) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: superpower}
)"),
            "s.yaml:3:25: error: states[0].role: expected great_power or small_state, got "
            "'superpower'");
}

TEST(ScenarioLoader, RejectsBadStateName) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
  - {name: Viet Nam, role: small_state}
)"),
            "s.yaml:4:12: error: states[1].name: expected a name of lower-case letters, digits "
            "and '_' (e.g. viet_nam), got 'Viet Nam'");
}

TEST(ScenarioLoader, RejectsMissingRoleAtTheEntry) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
  - name: cambodia
    gdp: 20
)"),
            "s.yaml:4:5: error: states[1]: missing required key 'role' (great_power or "
            "small_state)");
}

TEST(ScenarioLoader, RejectsBadOpWithSuggestion) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(events:
  - {tick: 10, name: visit, path: params.foresight, op: ad, value: 0.1}
)"),
            "s.yaml:15:57: error: events[0].op: expected set, add or scale, got 'ad' (did you "
            "mean 'add'?)");
}

TEST(ScenarioLoader, RejectsEventTickOutOfRange) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(events:
  - {tick: 100, name: visit, path: params.foresight, op: add, value: 0.1}
)"),
            "s.yaml:15:12: error: events[0].tick: must be in [0, 99] because the run has 100 "
            "ticks, got 100");
}

TEST(ScenarioLoader, RejectsEventPathThatDoesNotResolve) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(events:
  - {tick: 10, name: visit, path: states.cambodja.stake.china, op: add, value: 0.1}
)"),
            "s.yaml:15:35: error: events[0].path: unknown state 'cambodja' (did you mean "
            "'cambodia'?)");
}

TEST(ScenarioLoader, RejectsSetEventOutsideTheKeyRange) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(events:
  - {tick: 10, name: visit, path: params.foresight, op: set, value: 2}
)"),
            "s.yaml:15:69: error: events[0].value: must be in [0, 1], the range of 'foresight', "
            "got 2");
}

TEST(ScenarioLoader, RejectsDuplicateEventName) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(events:
  - {tick: 10, name: visit, path: params.foresight, op: add, value: 0.1}
  - {tick: 20, name: visit, path: params.foresight, op: add, value: 0.1}
)"),
            "s.yaml:16:22: error: events[1].name: duplicate event name 'visit' (first used at "
            "line 15); give each event its own name");
}

TEST(ScenarioLoader, RejectsUnknownEventInExpectation) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(events:
  - {tick: 10, name: kerry_visit, path: params.foresight, op: add, value: 0.1}
expect:
  facts:
    - {kind: rises_after, event: kery_visit, state: cambodia, partner: china, quantity: deference}
)"),
            "s.yaml:18:34: error: expect.facts[0].event: unknown event 'kery_visit' (did you "
            "mean 'kerry_visit'?); name an event declared under 'events'");
}

TEST(ScenarioLoader, RejectsUnknownLabelInExpectation) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(expect:
  labels:
    - {state: cambodia, label: soft_bandwagon, rate: 0.9}
)"),
            "s.yaml:16:32: error: expect.labels[0].label: expected bandwagoning, "
            "soft_bandwagoning, hedging, internal_balancing, external_balancing, soft_balancing "
            "or neutrality, got 'soft_bandwagon' (did you mean 'soft_bandwagoning'?)");
}

TEST(ScenarioLoader, RejectsPartnerOfMonadicQuantityAndMissingPartner) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(expect:
  facts:
    - {kind: stays_below, state: cambodia, partner: china, quantity: defence_share, value: 0.1}
    - {kind: stays_below, state: cambodia, quantity: defiance, value: 0.1}
)"),
            "s.yaml:16:53: error: expect.facts[0].partner: 'defence_share' belongs to one state "
            "and has no partner; remove 'partner'\n"
            "s.yaml:17:7: error: expect.facts[1]: missing required key 'partner' ('defiance' is "
            "measured towards another state)");
}

TEST(ScenarioLoader, RejectsKeyThatDoesNotApplyToTheFactKind) {
  EXPECT_EQ(error_of(std::string(kValid) + R"(expect:
  facts:
    - {kind: stays_below, state: cambodia, partner: china, quantity: defiance, value: 0.1, within: 3}
)"),
            "s.yaml:16:92: error: expect.facts[0].within: does not apply to kind stays_below; it "
            "is used by rises_after and falls_after");
}

TEST(ScenarioLoader, RejectsSelfRelation) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
relations:
  - {from: china, to: china, proximity: 1}
)"),
            "s.yaml:5:23: error: relations[0].to: 'china' is also 'from': a state has no "
            "relation with itself; name two different states");
}

TEST(ScenarioLoader, RejectsRivalryUnderRelations) {
  EXPECT_EQ(error_of(R"(focal_power: china
states:
  - {name: china, role: great_power}
  - {name: usa, role: great_power}
relations:
  - {from: china, to: usa, rivalry: 1}
)"),
            "s.yaml:6:28: error: relations[0]: set 'rivalry' under 'rivalries:' (with 'between: "
            "[a, b]'), which keeps it symmetric");
}

TEST(ScenarioLoader, RejectsDuplicateKey) {
  EXPECT_EQ(error_of(R"(focal_power: china
ticks: 10
ticks: 20
states:
  - {name: china, role: great_power}
)"),
            "s.yaml:3:1: error: duplicate key 'ticks' (first given at line 2); keep only one");
}

TEST(ScenarioLoader, RejectsUnknownModel) {
  EXPECT_EQ(error_of(R"(model: alignmnet
focal_power: china
states:
  - {name: china, role: great_power}
)"),
            "s.yaml:1:8: error: model: unknown model 'alignmnet' (did you mean 'alignment'?); "
            "the models are alignment or landscape");
}

TEST(ScenarioLoader, ReportsEveryProblemInOnePassInFileOrder) {
  EXPECT_EQ(error_of(R"(focal_power: usa
ticks: 0
update: simultanous
states:
  - {name: china, role: great_power, gdp: -1}
  - {name: cambodia, role: small_state}
relations:
  - {between: [cambodia, cambodia], proximity: 1}
params:
  foresight: 2
classifier: {window: abc}
)"),
            "s.yaml:1:14: error: focal_power: unknown state 'usa'; declare it under 'states'\n"
            "s.yaml:2:8: error: ticks: must be >= 1, got 0\n"
            "s.yaml:3:9: error: update: expected simultaneous or random_order, got 'simultanous' "
            "(did you mean 'simultaneous'?)\n"
            "s.yaml:5:43: error: states[0].gdp: must be in [1e-09, 1000000000], got -1\n"
            "s.yaml:8:26: error: relations[0].between[1]: 'cambodia' twice: a state has no "
            "relation with itself; name two different states\n"
            "s.yaml:10:14: error: params.foresight: must be in [0, 1], got 2\n"
            "s.yaml:11:22: error: classifier.window: expected a number, got 'abc'");
}

TEST(ScenarioLoader, ReportsMissingFile) {
  try {
    load_scenario_file("/nonexistent/dir/x.yaml", lookup);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/dir/x.yaml: error: cannot open the scenario file (no such file or "
              "directory); check the path");
  }
}

// ---- valid scenarios --------------------------------------------------------------------------

TEST(ScenarioLoader, FillsEveryKeyWithItsDefault) {
  const Scenario s = load(kValid);
  const ModelSchema& schema = alignment::schema();
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.model, "alignment");
  EXPECT_EQ(s.ticks, 100);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.update, UpdateOrder::simultaneous);
  EXPECT_EQ(alignment::decision_rule(s), alignment::DecisionRule::incremental);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(alignment::focal_power(s), 0u);
  EXPECT_EQ(alignment::role(s, 1), alignment::Role::great_power);
  EXPECT_EQ(alignment::role(s, 2), alignment::Role::small_state);
  EXPECT_EQ(s.params.size(), schema.params.size());
  EXPECT_EQ(s.classifier.size(), schema.classifier.size());
  for (const auto& k : schema.params) EXPECT_EQ(s.params.at(k.key), k.default_value) << k.key;
  for (const auto& k : schema.classifier) EXPECT_EQ(s.classifier.at(k.key), k.default_value);
  for (const auto& k : schema.state_keys) {
    ASSERT_EQ(s.state_keys.at(k.key).size(), 4);
    for (int i = 1; i < 4; ++i) EXPECT_EQ(s.state_keys.at(k.key)(i), k.default_value) << k.key;
  }
  EXPECT_EQ(s.state_keys.at("gdp")(0), 11000);
  for (const auto& k : schema.policy_keys) {
    const Eigen::MatrixXd& m = s.policy_keys.at(k.key);
    ASSERT_EQ(m.rows(), 4);
    ASSERT_EQ(m.cols(), 4);
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) EXPECT_EQ(m(i, j), i == j ? 0.0 : k.default_value) << k.key;
  }
  EXPECT_EQ(s.relation_keys.size(), schema.relation_keys.size());
  EXPECT_TRUE(s.events.empty());
}

TEST(ScenarioLoader, DefaultsTheNameToTheFileStem) {
  const Scenario s =
      load_scenario_text("focal_power: china\nstates: [{name: china, role: great_power}]\n",
                         "scenarios/asean_2016.yaml", lookup);
  EXPECT_EQ(s.name, "asean_2016");
  EXPECT_EQ(s.file, "scenarios/asean_2016.yaml");
}

TEST(ScenarioLoader, BetweenSetsBothDirectionsAndFromToOne) {
  const Scenario s = load(std::string(kValid) + R"(relations:
  - {between: [vietnam, china], proximity: 1.0}
  - {from: cambodia, to: china, economic_value: 0.1}
initial_policies:
  - {from: cambodia, to: china, deference: 0.6}
)");
  const Eigen::MatrixXd& prox = s.relation_keys.at("proximity");
  EXPECT_EQ(prox(3, 0), 1.0);
  EXPECT_EQ(prox(0, 3), 1.0);
  EXPECT_EQ(prox(2, 0), 0.0);
  const Eigen::MatrixXd& econ = s.relation_keys.at("economic_value");
  EXPECT_EQ(econ(2, 0), 0.1);
  EXPECT_EQ(econ(0, 2), 0.0);
  EXPECT_EQ(s.policy_keys.at("deference")(2, 0), 0.6);
  EXPECT_EQ(s.policy_keys.at("deference")(0, 2), 0.2);
}

TEST(ScenarioLoader, RivalriesAreSymmetric) {
  const Scenario s = load(std::string(kValid) + R"(rivalries:
  - {between: [china, usa], rivalry: 0.8}
)");
  const Eigen::MatrixXd& r = s.relation_keys.at("rivalry");
  EXPECT_EQ(r(0, 1), 0.8);
  EXPECT_EQ(r(1, 0), 0.8);
  EXPECT_EQ(r(0, 2), 0.0);
  EXPECT_EQ(r, r.transpose());
}

TEST(ScenarioLoader, SortsEventsByTickKeepingFileOrder) {
  const Scenario s = load(std::string(kValid) + R"(events:
  - {tick: 50, name: b, path: params.foresight, op: set, value: 0.5}
  - {tick: 10, name: a, path: states.usa.base_inducement.cambodia, op: add, value: 0.2}
  - {tick: 50, name: c, path: relations.cambodia.china.stake, op: scale, value: 2}
)");
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_EQ(s.events[0].name, "a");
  EXPECT_EQ(s.events[1].name, "b");
  EXPECT_EQ(s.events[2].name, "c");
  EXPECT_EQ(s.events[0].target.kind, ParamRef::Kind::relation_key);
  EXPECT_EQ(s.events[0].target.i, 1u);
  EXPECT_EQ(s.events[0].target.j, 2u);
  EXPECT_EQ(s.events[0].op, EventOp::add);
  EXPECT_EQ(s.events[2].op, EventOp::scale);
  EXPECT_EQ(s.events[1].pos.line, 15);
}

TEST(ScenarioLoader, ResolvesEveryPathForm) {
  const Scenario s = load(kValid);
  std::string why;
  auto p = resolve_path(s, "params.foresight", &why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, ParamRef::Kind::param);
  EXPECT_EQ(p->key, "foresight");

  p = resolve_path(s, "classifier.window", &why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, ParamRef::Kind::classifier);

  p = resolve_path(s, "states.china.gdp", &why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, ParamRef::Kind::state_key);
  EXPECT_EQ(p->i, 0u);

  p = resolve_path(s, "states.cambodia.stake.china", &why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, ParamRef::Kind::relation_key);
  EXPECT_EQ(p->i, 2u);
  EXPECT_EQ(p->j, 0u);

  p = resolve_path(s, "states.cambodia.deference.china", &why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, ParamRef::Kind::policy_key);

  p = resolve_path(s, "relations.cambodia.china.stake", &why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, ParamRef::Kind::relation_key);
  EXPECT_EQ(p->i, 2u);
  EXPECT_EQ(p->j, 0u);
  EXPECT_EQ(spec_of(alignment::schema(), *p)->max, 10.0);
}

TEST(ScenarioLoader, ExplainsPathsThatDoNotResolve) {
  const Scenario s = load(kValid);
  auto why_not = [&](const std::string& path) {
    std::string why;
    EXPECT_FALSE(resolve_path(s, path, &why)) << path;
    return why;
  };
  EXPECT_EQ(why_not("states.cambodja.gdp"), "unknown state 'cambodja' (did you mean 'cambodia'?)");
  EXPECT_EQ(why_not("params.foresigth"),
            "unknown parameter 'foresigth' (did you mean 'foresight'?)");
  EXPECT_EQ(why_not("classifier.windw"), "unknown classifier key 'windw' (did you mean 'window'?)");
  EXPECT_EQ(why_not("state.china.gdp"),
            "unknown path start 'state' (did you mean 'states'?); expected params.<key>, "
            "classifier.<key>, states.<state>.<key>, states.<from>.<key>.<to> or "
            "relations.<from>.<to>.<key>");
  EXPECT_EQ(why_not("states.cambodia.stake"),
            "'stake' is a relation between two states; name the other state: "
            "states.cambodia.stake.<state>");
  EXPECT_EQ(why_not("states.china.gdp.usa"),
            "'gdp' belongs to one state and takes no other state; use states.china.gdp");
  EXPECT_EQ(why_not("states.china.stak.usa"),
            "unknown relation or policy key 'stak' (did you mean 'stake'?)");
  EXPECT_EQ(why_not("states.china.stake.china"),
            "'china' has no relation with itself; name two different states");
  EXPECT_EQ(why_not("relations.china.usa.gdp"),
            "'gdp' belongs to one state, not to a relation; use states.china.gdp");
  EXPECT_EQ(why_not("params.foresight.x"), "expected params.<key>, got 'params.foresight.x'");
  EXPECT_EQ(why_not("states..gdp"),
            "malformed path 'states..gdp' (empty part); expected params.<key>, "
            "classifier.<key>, states.<state>.<key>, states.<from>.<key>.<to> or "
            "relations.<from>.<to>.<key>");
}

TEST(ScenarioLoader, AppliesSetAddAndScale) {
  Scenario s = load(kValid);
  std::string why;
  const ParamRef gdp = *resolve_path(s, "states.china.gdp", &why);
  const ParamRef stake = *resolve_path(s, "states.cambodia.stake.china", &why);
  const ParamRef foresight = *resolve_path(s, "params.foresight", &why);

  apply_op(s, gdp, EventOp::add, 1000);
  EXPECT_EQ(get_value(s, gdp), 12000);
  apply_op(s, gdp, EventOp::scale, 0.5);
  EXPECT_EQ(get_value(s, gdp), 6000);
  apply_op(s, stake, EventOp::set, 0.3);
  EXPECT_EQ(get_value(s, stake), 0.3);
  EXPECT_EQ(s.relation_keys.at("stake")(0, 2), 0.0);  // only from -> to
  const double foresight_default = find_key(alignment::schema().params, "foresight")->default_value;
  apply_op(s, foresight, EventOp::add, 5);            // results stay unclipped
  EXPECT_DOUBLE_EQ(get_value(s, foresight), foresight_default + 5);
}


TEST(ScenarioLoader, WrittenResolvedYamlLoadsBackIdentical) {
  const Scenario original =
      load(std::string(kValid) + R"(description: "ASEAN, 2016: \"hedging\" \\ test"
seed: 9007199254740991
update: random_order
decision_rule: logit
relations:
  - {between: [vietnam, china], proximity: 1.0, dispute: 0.7}
  - {from: cambodia, to: china, economic_value: 0.1, stake: 0.123456789012345678}
rivalries:
  - {between: [china, usa], rivalry: 0.8}
initial_policies:
  - {from: cambodia, to: china, deference: 0.6}
params: {foresight: 0.3333333333333333, logit_temperature: 1e-7}
classifier: {window: 25}
events:
  - {tick: 96, name: kerry_visit, path: states.usa.base_inducement.cambodia, op: add, value: 0.2}
  - {tick: 5, name: "early one", path: params.noise, op: scale, value: 2}
controls:
  - {path: states.cambodia.stake.china, label: "Cambodia's maritime stake", min: 0, max: 1}
expect:
  labels:
    - {state: cambodia, label: soft_bandwagoning}
  facts:
    - {name: "deference rises", kind: rises_after, event: kerry_visit, state: cambodia, partner: china, quantity: deference, within: 4, by: 0.01, rate: 0.8}
    - {kind: stays_below, state: cambodia, partner: china, quantity: defiance, value: 0.1, from_tick: 30}
    - {kind: stays_above, state: vietnam, quantity: defence_share, value: 0.01}
)");
  std::ostringstream written;
  write_resolved_yaml(original, alignment::schema(), written);
  const Scenario again = load_scenario_text(written.str(), "resolved.yaml", lookup);
  testing::expect_same_scenario(original, again);

  // Writing is a fixed point: the resolved file resolves to itself.
  std::ostringstream twice;
  write_resolved_yaml(again, alignment::schema(), twice);
  EXPECT_EQ(written.str(), twice.str());
}

TEST(ScenarioLoader, FormatsNumbersShortestExact) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(11000), "11000");
  EXPECT_EQ(format_number(1e-9), "1e-09");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(format_number(0.0005), "0.0005");
}

}  // namespace
}  // namespace alignsim
