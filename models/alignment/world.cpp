#include "models/alignment/world.hpp"

namespace alignsim::alignment {

namespace {

Eigen::VectorXd* state_array(Structure& s, Policies& p, const std::string& key) {
  // Every state key is structure except the initial defence share, which is a policy.
  static const std::vector<Field<Structure, Eigen::VectorXd>> kStructure = {
      {"gdp", &Structure::gdp},
      {"military", &Structure::military},
      {"projection", &Structure::projection},
      {"assertiveness", &Structure::assertiveness},
      {"hostility", &Structure::hostility},
      {"tolerance", &Structure::tolerance},
      {"defence_floor", &Structure::defence_floor},
      {"dependence_aversion", &Structure::dependence_aversion},
  };
  static const std::vector<Field<Policies, Eigen::VectorXd>> kPolicies = {
      {"defence_share", &Policies::defence_share},
  };
  if (Eigen::VectorXd* v = find_field(s, kStructure, key)) return v;
  return find_field(p, kPolicies, key);
}

Eigen::MatrixXd* relation_array(Structure& s, const std::string& key) {
  static const std::vector<Field<Structure, Eigen::MatrixXd>> kFields = {
      {"economic_value", &Structure::economic_value},
      {"proximity", &Structure::proximity},
      {"dispute", &Structure::dispute},
      {"stake", &Structure::stake},
      {"base_inducement", &Structure::base_inducement},
      {"base_commitment", &Structure::base_commitment},
      {"conditional_offer", &Structure::conditional_offer},
      {"sea_lane_exposure", &Structure::sea_lane_exposure},
      {"rivalry", &Structure::rivalry},
  };
  return find_field(s, kFields, key);
}

Eigen::MatrixXd* policy_array(Policies& p, const std::string& key) {
  static const std::vector<Field<Policies, Eigen::MatrixXd>> kFields = {
      {"deference", &Policies::deference},
      {"defiance", &Policies::defiance},
      {"engagement", &Policies::engagement},
      {"security", &Policies::security},
      {"inducement", &Policies::inducement},
      {"pressure", &Policies::pressure},
      {"commitment", &Policies::commitment},
  };
  return find_field(p, kFields, key);
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
