#include "models/alignment/world.hpp"

namespace alignsim::alignment {

namespace {

Eigen::VectorXd* state_array(Structure& s, Policies& p, const std::string& key) {
  if (key == "gdp") return &s.gdp;
  if (key == "military") return &s.military;
  if (key == "projection") return &s.projection;
  if (key == "assertiveness") return &s.assertiveness;
  if (key == "hostility") return &s.hostility;
  if (key == "tolerance") return &s.tolerance;
  if (key == "defence_floor") return &s.defence_floor;
  if (key == "dependence_aversion") return &s.dependence_aversion;
  if (key == "defence_share") return &p.defence_share;
  return nullptr;
}

Eigen::MatrixXd* relation_array(Structure& s, const std::string& key) {
  if (key == "economic_value") return &s.economic_value;
  if (key == "proximity") return &s.proximity;
  if (key == "dispute") return &s.dispute;
  if (key == "stake") return &s.stake;
  if (key == "base_inducement") return &s.base_inducement;
  if (key == "base_commitment") return &s.base_commitment;
  if (key == "conditional_offer") return &s.conditional_offer;
  if (key == "sea_lane_exposure") return &s.sea_lane_exposure;
  if (key == "rivalry") return &s.rivalry;
  return nullptr;
}

Eigen::MatrixXd* policy_array(Policies& p, const std::string& key) {
  if (key == "deference") return &p.deference;
  if (key == "defiance") return &p.defiance;
  if (key == "engagement") return &p.engagement;
  if (key == "security") return &p.security;
  if (key == "inducement") return &p.inducement;
  if (key == "pressure") return &p.pressure;
  if (key == "commitment") return &p.commitment;
  return nullptr;
}

}  // namespace

World make_world(const Scenario& sc) {
  World w;
  w.params = params_from(sc.params);
  w.classifier = classifier_from(sc.classifier);
  w.focal = focal_power(sc);
  const auto n = static_cast<Eigen::Index>(sc.size());
  Structure& s = w.structure;
  Policies& p = w.policies;
  for (const auto& [key, values] : sc.state_keys) {
    if (Eigen::VectorXd* target = state_array(s, p, key)) *target = values;
  }
  for (const auto& [key, values] : sc.relation_keys) {
    if (Eigen::MatrixXd* target = relation_array(s, key)) *target = values;
  }
  for (const auto& [key, values] : sc.policy_keys) {
    if (Eigen::MatrixXd* target = policy_array(p, key)) *target = values;
  }
  s.is_power = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i)
    s.is_power(i) = role(sc, static_cast<std::size_t>(i)) == Role::great_power ? 1.0 : 0.0;
  return w;
}

double* world_value(World& w, const ParamRef& ref) {
  const auto i = static_cast<Eigen::Index>(ref.i), j = static_cast<Eigen::Index>(ref.j);
  switch (ref.kind) {
    case ParamRef::Kind::param:
      return param_field(w.params, ref.key);
    case ParamRef::Kind::classifier:
      return classifier_field(w.classifier, ref.key);
    case ParamRef::Kind::state_key: {
      Eigen::VectorXd* v = state_array(w.structure, w.policies, ref.key);
      return v ? &(*v)(i) : nullptr;
    }
    case ParamRef::Kind::relation_key: {
      Eigen::MatrixXd* m = relation_array(w.structure, ref.key);
      return m ? &(*m)(i, j) : nullptr;
    }
    case ParamRef::Kind::policy_key: {
      Eigen::MatrixXd* m = policy_array(w.policies, ref.key);
      return m ? &(*m)(i, j) : nullptr;
    }
  }
  return nullptr;
}

}  // namespace alignsim::alignment
