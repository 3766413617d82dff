#pragma once
// The alignment model (docs/model.md): small states choose deference, defiance, engagement,
// security cooperation and defence; great powers react with inducement, pressure, commitment.
#include <deque>
#include <memory>

#include "models/alignment/classifier.hpp"
#include "models/alignment/world.hpp"
#include "sim/model.hpp"

namespace alignsim::alignment {

class AlignmentModel : public Model {
 public:
  void init(const Scenario& scenario) override;
  void apply_event(const Event& event) override;
  void step(const TickContext& ctx) override;
  std::vector<Observable> observe() const override;
  std::vector<StateOutcome> classify() const override;
  Explanation explain(std::size_t state) const override;

  const World& world() const { return world_; }

 private:
  Explanation explain_power(Eigen::Index power, const ReactionTargets& t) const;
  void decide_rows(const TickContext& ctx, const PolicyGradient& g, const std::vector<std::size_t>& agents);

  World world_;
  std::vector<std::string> names_;
  DecisionRule rule_ = DecisionRule::incremental;
  std::deque<Features> window_;  // trailing features, newest last
};

/// The registry entry of this model.
ModelInfo alignment_model_info();

}  // namespace alignsim::alignment
