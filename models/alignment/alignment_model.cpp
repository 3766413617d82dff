#include "models/alignment/alignment_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/alignment/decision.hpp"
#include "models/alignment/schema.hpp"
#include "models/alignment/utility.hpp"
#include "sim/error.hpp"

namespace alignsim::alignment {

void AlignmentModel::init(const Scenario& scenario) {
  world_ = make_world(scenario);
  names_ = scenario.state_names;
  rule_ = decision_rule(scenario);
  window_.clear();
  window_next_ = window_count_ = 0;
  resize_window();
  workspace_.prepare(world_, Workspace::Rows::small_states);
  prepare_decisions();
}

void AlignmentModel::prepare_decisions() {
  const auto n = static_cast<Eigen::Index>(world_.size());
  for (Eigen::MatrixXd& z : noise_) z.setZero(n, n);
  chooses_.setZero(n, n);
  choosers_begin_ = n;
  choosers_end_ = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (world_.structure.is_power(i) > 0) continue;
    for (Eigen::Index j = 0; j < n; ++j) chooses_(i, j) = i == j ? 0.0 : 1.0;
    choosers_begin_ = std::min(choosers_begin_, i);
    choosers_end_ = i + 1;
  }
  choosers_begin_ = std::min(choosers_begin_, choosers_end_);  // no small state: an empty range
}

void AlignmentModel::apply_event(const Event& event) {
  // The same targets and range as --set, sweeps and sliders: a symmetric key (rivalry) changes
  // in both directions, and the result stays inside the key's schema range.
  const KeySpec* spec = spec_of(schema(), event.target);
  for (const ParamRef& ref : setting_targets(schema(), event.target)) {
    double* target = world_value(world_, ref);
    if (target == nullptr) throw RuntimeError("event '" + event.name + "': path '" + event.path + "' is not a model value");
    *target = operate(*target, event.op, event.value, spec);
  }
  workspace_.prepare(world_, Workspace::Rows::small_states);
  prepare_decisions();
}

void AlignmentModel::draw_noise(const TickContext& ctx, std::size_t agent) {
  // The variates decide_row draws, in its order: variable by variable, partners ascending,
  // from the fast stream the agent's stream seeds (thousands of variates per tick at N = 30).
  const auto n = static_cast<Eigen::Index>(world_.size());
  const auto i = static_cast<Eigen::Index>(agent);
  FastStream rng = ctx.stream(agent).fast();
  // Row i of each column-major matrix, through local pointers, the diagonal stepped over: the
  // loop keeps the stream's state and its addresses in registers.
  for (Eigen::MatrixXd& z : noise_) {
    double* const row = z.data() + i;
    for (Eigen::Index j = 0; j < i; ++j) row[j * n] = rng.normal();
    for (Eigen::Index j = i + 1; j < n; ++j) row[j * n] = rng.normal();
  }
}

namespace {
// The incremental rule with noise over `count` consecutive entries of one policy matrix; where
// `chooses` is 0 the entry is computed and left as it was.
ALIGNSIM_AVX2_CLONES void decide_span(double* x, const double* slope, const double* curv, const double* z,
                                      const double* chooses, Eigen::Index count, double noise, double step) {
  if (noise > 0) {
    for (Eigen::Index k = 0; k < count; ++k) {
      double next = incremental_choice(x[k], 0.0, 1.0, slope[k], curv[k], step);
      next = std::min(std::max(next + noise * z[k], 0.0), 1.0);
      x[k] = select(chooses[k] != 0.0, next, x[k]);
    }
  } else {
    for (Eigen::Index k = 0; k < count; ++k)
      x[k] = select(chooses[k] != 0.0, incremental_choice(x[k], 0.0, 1.0, slope[k], curv[k], step), x[k]);
  }
}
}  // namespace

void AlignmentModel::decide_all_incremental(const PolicyGradient& g) {
  const Params& p = world_.params;
  Policies& pol = world_.policies;
  const Eigen::Index n = chooses_.rows();
  const double noise = p.noise, step = p.step;
  struct Var {
    double* x;
    const double* slope;
    const double* curv;
    const double* z;
  };
  const Var vars[] = {{pol.deference.data(), g.deference.data(), g.deference_curv.data(), noise_[0].data()},
                      {pol.defiance.data(), g.defiance.data(), g.defiance_curv.data(), noise_[1].data()},
                      {pol.engagement.data(), g.engagement.data(), g.engagement_curv.data(), noise_[2].data()},
                      {pol.security.data(), g.security.data(), g.security_curv.data(), noise_[3].data()}};
  // The same arithmetic as decide_row, entry by entry, in one run over each (column-major)
  // matrix from the first small state's entry in the first column to the last small state's in
  // the last: one long loop, not a short one per column. The entries a state does not choose
  // there (a power's row, the diagonal) are computed and left as they were.
  const Eigen::Index first = choosers_begin_,
                     count = choosers_end_ == choosers_begin_ ? 0 : (n - 1) * n + choosers_end_ - choosers_begin_;
  for (const Var& v : vars)
    decide_span(v.x + first, v.slope + first, v.curv + first, v.z + first, chooses_.data() + first, count,
                noise, step);
  for (Eigen::Index i = 0; i < pol.defence_share.size(); ++i) {
    if (world_.structure.is_power(i) > 0) continue;
    double& d = pol.defence_share(i);
    d = incremental_choice(d, world_.structure.defence_floor(i), 1.0, g.defence_share(i), 0.0, p.defence_step);
  }
}

void AlignmentModel::decide_row(const TickContext& ctx, const PolicyGradient& g, std::size_t agent) {
  const Params& p = world_.params;
  Policies& pol = world_.policies;
  const auto n = static_cast<Eigen::Index>(world_.size());
  const auto i = static_cast<Eigen::Index>(agent);
  RandomStream rng = ctx.stream(agent);
  FastStream noise_rng = rng.fast();  // the policy noise, as in draw_noise
  struct Var {
    double* x;
    const double* slope;
    const double* curv;
  };
  // Row i of each (column-major) matrix: element j at offset i + j·n.
  const Var vars[] = {{pol.deference.data(), g.deference.data(), g.deference_curv.data()},
                      {pol.defiance.data(), g.defiance.data(), g.defiance_curv.data()},
                      {pol.engagement.data(), g.engagement.data(), g.engagement_curv.data()},
                      {pol.security.data(), g.security.data(), g.security_curv.data()}};
  const double noise = p.noise, step = p.step, temperature = p.logit_temperature;
  const DecisionRule rule = rule_;
  for (const Var& v : vars) {
    for (Eigen::Index j = 0, at = i; j < n; ++j, at += n) {
      if (j == i) continue;
      double next = choose_value(rule, v.x[at], 0.0, 1.0, v.slope[at], v.curv[at], step, temperature, rng);
      // No draw without noise: the stream is not spent on a variate that is multiplied by 0.
      // Clamped by min and max, not branches: policies at 0 cross it half the time.
      if (noise > 0) next = std::min(std::max(next + noise * noise_rng.normal(), 0.0), 1.0);
      v.x[at] = next;
    }
  }
  double& d = pol.defence_share(i);
  const double floor = world_.structure.defence_floor(i);
  d = choose_value(rule_, d, floor, 1.0, g.defence_share(i), 0.0, p.defence_step, p.logit_temperature, rng);
}

void AlignmentModel::resize_window() {
  const auto size = static_cast<std::size_t>(std::max(1.0, world_.classifier.window));
  if (window_.size() == size) return;
  // New (init) or changed by an event: keep the newest features, oldest first.
  std::vector<Features> kept;
  const std::size_t keep = std::min(window_count_, size - 1);
  for (std::size_t k = window_count_ - keep; k < window_count_; ++k)
    kept.push_back(std::move(window_[(window_next_ + window_.size() - window_count_ + k) % window_.size()]));
  window_count_ = kept.size();
  kept.resize(size);
  // Sized now, so that filling the window in the first ticks does not allocate.
  const auto n = static_cast<Eigen::Index>(world_.size());
  for (Features& f : kept)
    for (Eigen::VectorXd* v : {&f.alignment, &f.rival_alignment, &f.deference, &f.defiance, &f.security_ties,
                               &f.diversification, &f.rival_engagement, &f.internal})
      if (v->size() != n) v->setZero(n);
  window_ = std::move(kept);
  window_next_ = window_count_ % size;
}

void AlignmentModel::record_features() {
  resize_window();
  measure_features(world_, workspace_.terms, window_[window_next_]);
  window_next_ = (window_next_ + 1) % window_.size();
  window_count_ = std::min(window_count_ + 1, window_.size());
}

void AlignmentModel::step(const TickContext& ctx) {
  const std::size_t n = world_.size();
  Workspace& ws = workspace_;
  ws.compute_targets(world_);
  ws.compute_terms(world_);
  ws.compute_gradient(world_);
  record_features();

  if (ctx.order == UpdateOrder::simultaneous) {
    if (rule_ == DecisionRule::incremental) {
      // The common case, vectorised: no decision draws, so the noise can be drawn first.
      if (world_.params.noise > 0)
        for (std::size_t i = 0; i < n; ++i)
          if (world_.structure.is_power(static_cast<Eigen::Index>(i)) == 0) draw_noise(ctx, i);
      decide_all_incremental(ws.gradient);
    } else {
      for (std::size_t i = 0; i < n; ++i)
        if (world_.structure.is_power(static_cast<Eigen::Index>(i)) == 0) decide_row(ctx, ws.gradient, i);
    }
    react(world_.policies, ws.targets, world_.params.reaction_rate, world_.structure.is_power);
  } else {
    // Random order: each state sees the moves of those before it (O(N) gradients per tick);
    // the powers react to the targets of the tick's start.
    start_targets_ = ws.targets;
    bool first = true;
    for (std::size_t agent : ctx.agent_order) {
      if (world_.structure.is_power(static_cast<Eigen::Index>(agent)) > 0) continue;
      if (!first) {
        ws.compute_targets(world_);
        ws.compute_terms(world_);
        ws.compute_gradient(world_);
      }
      first = false;
      decide_row(ctx, ws.gradient, agent);
    }
    react(world_.policies, start_targets_, world_.params.reaction_rate, world_.structure.is_power);
  }
}

std::vector<Observable> AlignmentModel::observe() const {
  const Policies& p = world_.policies;
  return {{"deference", p.deference},   {"defiance", p.defiance},
          {"engagement", p.engagement}, {"security", p.security},
          {"alignment", alignment(world_)},
          {"inducement", p.inducement}, {"pressure", p.pressure},
          {"commitment", p.commitment}, {"defence_share", p.defence_share}};
}

namespace {
// Mean of one feature over the window, oldest first.
double window_mean(const std::vector<Features>& window, std::size_t next, std::size_t count,
                   Eigen::VectorXd Features::*member, Eigen::Index i) {
  double sum = 0;
  for (std::size_t k = 0; k < count; ++k) sum += (window[(next + window.size() - count + k) % window.size()].*member)(i);
  return count == 0 ? 0.0 : sum / static_cast<double>(count);
}
}  // namespace

std::vector<StateOutcome> AlignmentModel::classify() const {
  std::vector<StateOutcome> out;
  // One copy of the world and one workspace for the actual utility and every counterfactual.
  World scratch = world_;
  Workspace ws;
  ws.prepare(scratch);
  ws.compute_targets(scratch);
  ws.compute_terms(scratch);
  const UtilityTerms actual = ws.terms;  // once for all states
  for (std::size_t s = 0; s < world_.size(); ++s) {
    const auto i = static_cast<Eigen::Index>(s);
    if (world_.structure.is_power(i) > 0) continue;
    StateOutcome o;
    o.state = s;
    FeatureValues f;
    f.alignment = window_mean(window_, window_next_, window_count_, &Features::alignment, i);
    f.rival_alignment = window_mean(window_, window_next_, window_count_, &Features::rival_alignment, i);
    f.deference = window_mean(window_, window_next_, window_count_, &Features::deference, i);
    f.defiance = window_mean(window_, window_next_, window_count_, &Features::defiance, i);
    f.security_ties = window_mean(window_, window_next_, window_count_, &Features::security_ties, i);
    f.diversification = window_mean(window_, window_next_, window_count_, &Features::diversification, i);
    f.rival_engagement = window_mean(window_, window_next_, window_count_, &Features::rival_engagement, i);
    f.internal = window_mean(window_, window_next_, window_count_, &Features::internal, i);
    const StrategyGain gain = strategy_gain(world_, i, actual, scratch, ws);
    const Classification c = classify_features(f, gain, world_.classifier);
    o.label = c.label;
    o.qualifiers = {{"motive", c.motive}};
    o.reason = c.reason;
    o.features = {{"alignment", f.alignment},
                  {"rival_alignment", f.rival_alignment},
                  {"deference", f.deference},
                  {"defiance", f.defiance},
                  {"security_ties", f.security_ties},
                  {"diversification", f.diversification},
                  {"rival_engagement", f.rival_engagement},
                  {"internal_balancing", f.internal},
                  {"gain_economic", gain.economic},
                  {"gain_security", gain.security}};
    out.push_back(std::move(o));
  }
  return out;
}

Explanation AlignmentModel::explain_power(Eigen::Index j, const ReactionTargets& t) const {
  // A power does not choose by utility: it follows its reaction rule (docs/model.md §4.2).
  // Each row is one part of a target; the parts add up to the target shown.
  const Params& p = world_.params;
  const Structure& s = world_.structure;
  const Policies& pol = world_.policies;
  const auto n = static_cast<Eigen::Index>(world_.size());
  Explanation e;
  e.title = "reaction targets (sums over the states it reacts to)";
  e.partner_columns = names_;
  std::vector<double> base(n), reward(n), induce(n), from_defiance(n), from_irritation(n),
      drive(n), pressure(n), commitment(n), current_i(n), current_p(n), current_c(n), irritation(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double x = t.alignment(j, i);
    base[k] = s.base_inducement(j, i);
    reward[k] = (p.reward_deference + s.conditional_offer(j, i)) * x * (2 - x);
    induce[k] = t.inducement(j, i);
    from_defiance[k] = i == j ? 0 : p.pressure_defiance * pol.defiance(i, j);
    from_irritation[k] = i == j ? 0 : t.pressure_drive(j, i) - from_defiance[k];
    drive[k] = t.pressure_drive(j, i);
    pressure[k] = t.pressure(j, i);
    commitment[k] = t.commitment(j, i);
    irritation[k] = t.irritation(j, i);
    current_i[k] = pol.inducement(j, i);
    current_p[k] = pol.pressure(j, i);
    current_c[k] = pol.commitment(j, i);
  }
  double total_induce = 0, total_pressure = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    total_induce += induce[static_cast<std::size_t>(i)];
    total_pressure += pressure[static_cast<std::size_t>(i)];
  }
  e.terms = {{"inducement_targets", total_induce}, {"pressure_targets", total_pressure}};
  e.by_partner = {{"inducement_base", base},
                  {"inducement_reward", reward},
                  {"inducement_target", induce},
                  {"irritation", irritation},
                  {"pressure_drive_defiance", from_defiance},
                  {"pressure_drive_irritation", from_irritation},
                  {"pressure_drive", drive},
                  {"pressure_target", pressure},
                  {"commitment_target", commitment},
                  {"inducement_now", current_i},
                  {"pressure_now", current_p},
                  {"commitment_now", current_c}};
  e.reasons.push_back(names_[static_cast<std::size_t>(j)] +
                      " is a great power: it does not choose by utility but follows its reaction "
                      "rule, moving a share " + std::to_string(p.reaction_rate).substr(0, 4) +
                      " of the way to its targets each tick");
  e.reasons.push_back("inducement target = base + reward for exclusive alignment (with any conditional offer)");
  e.reasons.push_back("pressure target = 1 − exp(−drive), drive = punishment of defiance + irritation above "
                      "tolerance (less the tolerance alignment buys)");
  e.reasons.push_back("commitment target = 1 − (1 − base commitment)·exp(−r_c · security cooperation)");
  return e;
}

Explanation AlignmentModel::explain(std::size_t state) const {
  const auto i = static_cast<Eigen::Index>(state);
  const ReactionTargets t = reaction_targets(world_);
  const UtilityTerms u = evaluate_utility(world_, t);
  const PolicyGradient g = utility_gradient(world_, t, u);
  if (world_.structure.is_power(i) > 0) return explain_power(i, t);
  Explanation e;
  e.title = "utility decomposition (per tick, GDP-share units)";
  e.terms = {{"economy", u.economy(i)},     {"threat", -u.threat(i)},
             {"disputes", -u.disputes(i)},  {"costs", -u.costs(i)},
             {"dependence", -u.dependence(i)}, {"total", u.total()(i)}};
  e.partner_columns = names_;
  auto row = [&](const Eigen::MatrixXd& m, double sign) {
    std::vector<double> v(static_cast<std::size_t>(m.cols()));
    for (Eigen::Index j = 0; j < m.cols(); ++j) v[static_cast<std::size_t>(j)] = sign * m(i, j);
    return v;
  };
  e.by_partner = {{"economic_benefit", row(u.benefit, 1)},
                  {"threat_loss", row(u.threat_loss, -1)},
                  {"dispute_loss", row(u.dispute_loss, -1)},
                  {"alignment", row(u.alignment, 1)},
                  {"expected_inducement", row(u.expected_inducement, 1)},
                  {"expected_pressure", row(u.expected_pressure, 1)},
                  {"marginal_deference", row(g.deference, 1)},
                  {"marginal_defiance", row(g.defiance, 1)}};
  const auto p = static_cast<Eigen::Index>(world_.focal);
  const std::string focal = names_[world_.focal];
  const auto fmt = signed4;
  auto parts = [&](const char* what, const Eigen::MatrixXd& total, const Eigen::MatrixXd& econ,
                   const Eigen::MatrixXd& sec) {
    const double rest = total(i, p) - econ(i, p) - sec(i, p);
    e.reasons.push_back(std::string("marginal utility of more ") + what + focal + ": " +
                        fmt(total(i, p)) + " = economic " + fmt(econ(i, p)) + " + security " +
                        fmt(sec(i, p)) + " + own cost " + fmt(rest));
  };
  parts("deference to ", g.deference, g.deference_economic, g.deference_security);
  parts("defiance of ", g.defiance, g.defiance_economic, g.defiance_security);
  e.reasons.push_back("exclusive alignment with " + focal + " " + fmt(u.alignment(i, p)) +
                      " (deference " + fmt(world_.policies.deference(i, p)) +
                      " less what its rivals get); expected inducement " +
                      fmt(u.expected_inducement(i, p)) + ", pressure " + fmt(u.expected_pressure(i, p)));
  e.reasons.push_back("dependence penalty " + fmt(-u.dependence(i)) + " from concentration (HHI) " +
                      fmt(u.hhi(i)) + " of economic benefits");
  if (world_.structure.is_power(i) == 0) {
    const StrategyGain gain = strategy_gain(world_, i, u);
    e.reasons.push_back("the whole strategy towards " + focal + " and its rivals gains " +
                        fmt(gain.economic) + " economically and " + fmt(gain.security) +
                        " in security against none at all");
  }
  return e;
}

ModelInfo alignment_model_info() {
  ModelInfo info;
  info.name = "alignment";
  info.description = "small states' alignment with great powers (deference, defiance, engagement, security)";
  info.schema = &schema();
  info.create = [] { return std::unique_ptr<Model>(new AlignmentModel()); };
  return info;
}

}  // namespace alignsim::alignment
