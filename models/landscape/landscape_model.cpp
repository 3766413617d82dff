#include "models/landscape/landscape_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "models/landscape/schema.hpp"
#include "sim/error.hpp"

namespace alignsim::landscape {

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.4f", v);
  return buf;
}

}  // namespace

void LandscapeModel::init(const Scenario& scenario) {
  scenario_ = scenario;
  switches_.assign(scenario.size(), 0);
  last_switches_ = 0;
  started_ = false;
  config_.reset();
  rebuild();
}

void LandscapeModel::rebuild() {
  const auto n = static_cast<Eigen::Index>(scenario_.size());
  landscape_.size = scenario_.state_keys.at("size");
  landscape_.propensity = scenario_.relation_keys.at("propensity");
  for (const char* factor : kFactors)
    landscape_.propensity += scenario_.params.at(std::string("weight_") + factor) * scenario_.relation_keys.at(factor);
  landscape_.propensity.diagonal().setZero();
  const Sides sides = config_ ? config_->sides() : Sides(static_cast<std::size_t>(n), 0);
  config_.emplace(landscape_, sides);
}

void LandscapeModel::apply_event(const Event& event) {
  // As --set, sweeps and sliders: a pair key changes in both directions, clamped to its range.
  const KeySpec* spec = spec_of(schema(), event.target);
  for (const ParamRef& ref : setting_targets(schema(), event.target)) {
    if (ref.kind == ParamRef::Kind::classifier || ref.kind == ParamRef::Kind::policy_key)
      throw RuntimeError("event '" + event.name + "': path '" + event.path + "' is not a model value");
    apply_op(scenario_, ref, EventOp::set, operate(get_value(scenario_, ref), event.op, event.value, spec));
  }
  rebuild();
}

void LandscapeModel::step(const TickContext& ctx) {
  const int n = static_cast<int>(scenario_.size());
  if (!started_) {
    // A random start: each actor's side from its own stream, so the start is the same whatever
    // the update order.
    Sides sides(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) sides[static_cast<std::size_t>(i)] = ctx.stream(static_cast<std::size_t>(i)).uniform() < 0.5;
    config_.emplace(landscape_, sides);
    started_ = true;
  }
  const Sides before = config_->sides();
  if (ctx.order == UpdateOrder::random_order) {
    std::vector<int> order(ctx.agent_order.begin(), ctx.agent_order.end());
    last_switches_ = sweep_sequential(*config_, order);
  } else {
    last_switches_ = sweep_simultaneous(*config_);
  }
  for (int i = 0; i < n; ++i)
    if (config_->sides()[static_cast<std::size_t>(i)] != before[static_cast<std::size_t>(i)]) ++switches_[static_cast<std::size_t>(i)];
}

bool LandscapeModel::on_anchor_side(int i) const {
  const auto anchor = scenario_.agents.at("anchor");
  return config_->sides()[static_cast<std::size_t>(i)] == config_->sides()[anchor];
}

std::string LandscapeModel::side_label(int i) const { return on_anchor_side(i) ? "side_a" : "side_b"; }

std::vector<Observable> LandscapeModel::observe() const {
  const auto n = static_cast<Eigen::Index>(scenario_.size());
  Observable side{"side", Eigen::MatrixXd(n, 1)}, frustration{"frustration", Eigen::MatrixXd(n, 1)};
  for (Eigen::Index i = 0; i < n; ++i) {
    side.values(i, 0) = on_anchor_side(static_cast<int>(i)) ? 0.0 : 1.0;
    frustration.values(i, 0) = config_->frustration(static_cast<int>(i));
  }
  Observable energy{"energy", Eigen::MatrixXd::Constant(1, 1, config_->energy()), true};
  Observable switches{"switches", Eigen::MatrixXd::Constant(1, 1, last_switches_), true};
  return {side, frustration, energy, switches};
}

std::vector<StateOutcome> LandscapeModel::classify() const {
  std::vector<StateOutcome> out;
  const int n = static_cast<int>(scenario_.size());
  for (int i = 0; i < n; ++i) {
    StateOutcome o;
    o.state = static_cast<std::size_t>(i);
    o.label = side_label(i);
    // ΔF_i < 0 would mean it gains by switching; > 0 is what switching would cost it.
    const double gain = config_->delta(i);
    o.features = {{"frustration", config_->frustration(i)},
                  {"switch_gain", gain},
                  {"switches", switches_[static_cast<std::size_t>(i)]}};
    const std::string& anchor = scenario_.state_names[scenario_.agents.at("anchor")];
    o.reason = (o.label == "side_a" ? "on " + anchor + "'s side" : "against " + anchor) +
               "; switching would change its frustration by " + fmt(gain) +
               (config_->gains(i) ? " (it gains: not yet settled)" : " (no gain: it stays)");
    out.push_back(std::move(o));
  }
  return out;
}

Explanation LandscapeModel::explain(std::size_t state) const {
  const auto i = static_cast<Eigen::Index>(state);
  const auto n = static_cast<Eigen::Index>(scenario_.size());
  const Sides& sides = config_->sides();
  Explanation e;
  e.title = "frustration (size × propensity of the partners on the other side)";
  e.terms = {{"frustration", config_->frustration(static_cast<int>(state))},
             {"after_switch", config_->frustration(static_cast<int>(state)) + config_->delta(static_cast<int>(state))},
             {"switch_gain", config_->delta(static_cast<int>(state))}};
  e.partner_columns = scenario_.state_names;
  auto by_partner = [&](auto value) {
    std::vector<double> v(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < n; ++j) v[static_cast<std::size_t>(j)] = j == i ? 0.0 : value(j);
    return v;
  };
  const auto apart = [&](Eigen::Index j) { return sides[static_cast<std::size_t>(i)] != sides[static_cast<std::size_t>(j)]; };
  // Each partner's share of F_i (only partners on the other side count), and its pull s_j p_ij
  // (positive: i would rather be with j), then the pull by factor.
  e.by_partner.push_back({"frustration", by_partner([&](Eigen::Index j) {
                            return apart(j) ? landscape_.size(j) * landscape_.propensity(i, j) : 0.0;
                          })});
  e.by_partner.push_back({"pull", by_partner([&](Eigen::Index j) { return landscape_.size(j) * landscape_.propensity(i, j); })});
  for (const char* factor : kFactors) {
    const double w = scenario_.params.at(std::string("weight_") + factor);
    const Eigen::MatrixXd& f = scenario_.relation_keys.at(factor);
    e.by_partner.push_back({std::string(factor), by_partner([&](Eigen::Index j) { return landscape_.size(j) * w * f(i, j); })});
  }
  // The pairs that drive it most: the largest pulls towards the other side and towards its own.
  std::vector<Eigen::Index> partners;
  for (Eigen::Index j = 0; j < n; ++j)
    if (j != i) partners.push_back(j);
  std::sort(partners.begin(), partners.end(), [&](Eigen::Index a, Eigen::Index b) {
    return std::abs(landscape_.size(a) * landscape_.propensity(i, a)) > std::abs(landscape_.size(b) * landscape_.propensity(i, b));
  });
  const std::string& me = scenario_.state_names[state];
  for (std::size_t k = 0; k < partners.size() && k < 3; ++k) {
    const Eigen::Index j = partners[k];
    const double pull = landscape_.size(j) * landscape_.propensity(i, j);
    std::string factors;
    for (const char* factor : kFactors) {
      const double v = scenario_.relation_keys.at(factor)(i, j);
      if (v != 0) factors += std::string(factors.empty() ? "" : ", ") + factor + " " + fmt(v).substr(0, 2);
    }
    e.reasons.push_back(scenario_.state_names[static_cast<std::size_t>(j)] + (apart(j) ? " (other side)" : " (same side)") +
                        ": pull " + fmt(pull) + (pull > 0 ? ", attracts " : ", repels ") + me +
                        (factors.empty() ? "" : " (" + factors + ")"));
  }
  e.reasons.push_back(config_->gains(static_cast<int>(state))
                          ? me + " would lower its frustration by switching: not settled yet"
                          : me + " gains nothing by switching: its side is a local best for it");
  return e;
}

std::optional<Equilibria> LandscapeModel::equilibria(std::uint64_t seed, int starts) const {
  const int n = landscape_.actors();
  if (n > kMaxExhaustiveActors) return std::nullopt;
  const Basins b = basins(landscape_, starts, seed);
  Equilibria out;
  out.value_name = "energy";
  out.method = "exhaustive search of all 2^" + std::to_string(n - 1) +
               " partitions (local minima: no actor lowers its frustration by switching alone); basins: " +
               std::to_string(starts) + " random starts settled by random-order one-at-a-time moves";
  const std::size_t anchor = scenario_.agents.at("anchor");
  for (std::size_t k = 0; k < b.minima.size(); ++k) {
    const Sides sides = sides_of(b.minima[k].sides, n);
    Equilibrium e;
    for (int i = 0; i < n; ++i)
      e.labels.push_back(sides[static_cast<std::size_t>(i)] == sides[anchor] ? "side_a" : "side_b");
    e.value = b.minima[k].energy;
    e.basin = b.share[k];
    out.items.push_back(std::move(e));
  }
  for (const auto& [mask, share] : b.other) out.elsewhere += share;
  return out;
}

ModelInfo landscape_model_info() {
  ModelInfo info;
  info.name = "landscape";
  info.description = "Axelrod & Bennett's landscape theory of aggregation (two sides, lowest frustration)";
  info.schema = &schema();
  info.create = [] { return std::unique_ptr<Model>(new LandscapeModel()); };
  return info;
}

}  // namespace alignsim::landscape
