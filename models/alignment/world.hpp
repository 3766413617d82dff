#pragma once
// The alignment model's state, structure-of-arrays: one Eigen vector per monadic quantity and
// one N×N matrix per dyadic one (row = actor/from, column = partner/to).
#include <Eigen/Dense>
#include <string>

#include "models/alignment/params.hpp"
#include "models/alignment/schema.hpp"
#include "sim/scenario.hpp"

namespace alignsim::alignment {

/// Fixed and slowly-changing inputs (changed only by events).
struct Structure {
  Eigen::VectorXd gdp, military, projection, assertiveness, hostility, tolerance, defence_floor,
      dependence_aversion;
  Eigen::VectorXd is_power;  // 1 for great powers, 0 for small states
  Eigen::MatrixXd economic_value, proximity, dispute, stake, base_inducement, base_commitment,
      conditional_offer, sea_lane_exposure, rivalry;
};

/// Current policies. Small states' rows of deference…security and defence_share are chosen by
/// the decision rule; powers' rows of inducement, pressure, commitment (row = power) react.
struct Policies {
  Eigen::MatrixXd deference, defiance, engagement, security;  // (i, j): state i towards j
  Eigen::VectorXd defence_share;                              // share of GDP
  Eigen::MatrixXd inducement, pressure, commitment;           // (j, i): power j towards i
};

struct World {
  Params params;
  ClassifierParams classifier;
  Structure structure;
  Policies policies;
  std::size_t focal = 0;
  std::size_t size() const { return static_cast<std::size_t>(structure.gdp.size()); }
};

/// Builds the world from a frozen scenario (initial policies, structure, params).
World make_world(const Scenario& s);

/// Returns the world array a scenario path refers to, for events; nullptr if the key is unknown.
double* world_value(World& w, const ParamRef& ref);

}  // namespace alignsim::alignment
