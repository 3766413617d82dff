#pragma once
// The alignment model (docs/model.md): small states choose deference, defiance, engagement,
// security cooperation and defence; great powers react with inducement, pressure, commitment.
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
  void decide_row(const TickContext& ctx, const PolicyGradient& g, std::size_t agent);
  void draw_noise(const TickContext& ctx, std::size_t agent);
  void decide_all_incremental(const PolicyGradient& g);
  void prepare_decisions();
  void record_features();
  void resize_window();

  World world_;
  std::vector<std::string> names_;
  DecisionRule rule_ = DecisionRule::incremental;
  Workspace workspace_;  // prepared at init and after each event; a tick allocates nothing
  ReactionTargets start_targets_;  // random order: the targets the powers react to
  // The simultaneous incremental rule decides every policy matrix at once: each small state's
  // noise drawn first from its own stream (in decide_row's order, so the output is the same),
  // then one vectorised loop per matrix over the entries a state chooses (mask 1, else 0).
  Eigen::MatrixXd noise_[4];
  Eigen::ArrayXXd chooses_;
  Eigen::Index choosers_begin_ = 0, choosers_end_ = 0;  // rows of the first and after the last small state
  // Trailing features as a ring: window_[(window_next_ + k) % size] for k = 0 … window_count_ − 1
  // runs oldest to newest once full.
  std::vector<Features> window_;
  std::size_t window_next_ = 0, window_count_ = 0;
};

/// The registry entry of this model.
ModelInfo alignment_model_info();

}  // namespace alignsim::alignment
