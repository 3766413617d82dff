// The alignment model's key tables and its schema name the same keys: every key of the schema
// reaches one field, and no field is missing from the schema.
#include <gtest/gtest.h>

#include <set>

#include "models/alignment/params.hpp"
#include "models/alignment/schema.hpp"
#include "models/alignment/world.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"

namespace alignsim::alignment {
namespace {

template <class Table>
std::set<std::string> keys_of(const Table& table) {
  std::set<std::string> keys;
  for (const auto& f : table) keys.insert(f.key);
  return keys;
}

std::set<std::string> keys_of_schema(const std::vector<KeySpec>& specs) {
  std::set<std::string> keys;
  for (const auto& s : specs) keys.insert(s.key);
  return keys;
}

TEST(Params, EverySchemaKeyHasOneFieldAndEveryFieldAKey) {
  EXPECT_EQ(keys_of(param_fields()), keys_of_schema(schema().params));
  EXPECT_EQ(keys_of(classifier_fields()), keys_of_schema(schema().classifier));
  EXPECT_EQ(param_fields().size(), schema().params.size());  // no key twice
}

TEST(Params, EveryScenarioPathReachesAWorldValue) {
  const Scenario s = load_scenario_file(ALIGNSIM_SOURCE_DIR "/scenarios/asean_2016.yaml", model_registry());
  World w = make_world(s);
  auto reaches = [&](ParamRef::Kind kind, const std::vector<KeySpec>& specs) {
    for (const KeySpec& k : specs) EXPECT_NE(world_value(w, ParamRef{kind, k.key, 1, 2}), nullptr) << k.key;
  };
  reaches(ParamRef::Kind::param, schema().params);
  reaches(ParamRef::Kind::classifier, schema().classifier);
  reaches(ParamRef::Kind::state_key, schema().state_keys);
  reaches(ParamRef::Kind::relation_key, schema().relation_keys);
  reaches(ParamRef::Kind::policy_key, schema().policy_keys);
  // The values themselves: a path reads what make_world put there.
  EXPECT_EQ(*world_value(w, ParamRef{ParamRef::Kind::param, "foresight", 0, 0}), s.params.at("foresight"));
  EXPECT_EQ(*world_value(w, ParamRef{ParamRef::Kind::relation_key, "rivalry", 1, 2}),
            s.relation_keys.at("rivalry")(1, 2));
}

}  // namespace
}  // namespace alignsim::alignment
