#include "tools/cli/serve_session.hpp"

#include <algorithm>
#include <cmath>

#include "sim/scenario_loader.hpp"
#include "sim/model_registry.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/vocabulary.hpp"

namespace alignsim::cli {

namespace {

using json = nlohmann::json;

// The observables a frame carries: the charts and the network view read them.

// Four decimals are plenty for a chart and keep a 9-state frame near 3 kB.
double rounded(double v) { return std::round(v * 1e4) / 1e4; }

json matrix_json(const Eigen::MatrixXd& m) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(rounded(m(i, j)));
    rows.push_back(std::move(row));
  }
  return rows;
}


// The quantities each frame carries: those the agents choose (every per-agent quantity when the
// model has no kinds), in the schema's order, then the model-level ones.
std::vector<std::string> frame_quantities(const ModelSchema& schema) {
  std::vector<std::string> out;
  for (const std::string& q : schema.quantities) {
    bool chosen = schema.kinds.chosen.empty();
    for (const auto& list : schema.kinds.chosen)
      chosen = chosen || std::find(list.begin(), list.end(), q) != list.end();
    if (chosen) out.push_back(q);
  }
  out.insert(out.end(), schema.scalars.begin(), schema.scalars.end());
  return out;
}

// The state the page charts first: the first labelled state a slider of the scenario acts on
// (the one its lesson is about), else the first labelled state, else the first state.
std::string default_focus(const ModelSchema& schema, const Scenario& s) {
  const auto labelled = [&](std::size_t i) { return is_labelled(schema, s, i); };
  for (const Control& c : s.controls) {
    if (c.target.kind == ParamRef::Kind::param || c.target.kind == ParamRef::Kind::classifier) continue;
    if (labelled(c.target.i)) return s.state_names[c.target.i];
    const bool dyadic = c.target.kind == ParamRef::Kind::relation_key || c.target.kind == ParamRef::Kind::policy_key;
    if (dyadic && labelled(c.target.j)) return s.state_names[c.target.j];
  }
  for (std::size_t i = 0; i < s.size(); ++i)
    if (labelled(i)) return s.state_names[i];
  return s.size() ? s.state_names.front() : "";
}

// Ticks to step when `elapsed` has passed at `speed`: a tab that stops polling (hidden,
// asleep) must not come back to a burst of thousands of ticks.
constexpr double kMaxCatchUpSeconds = 0.5;
constexpr int kMaxStepsPerRequest = 1000;

}  // namespace

LiveSession::LiveSession(std::string scenario_id, const Scenario& base, std::uint64_t seed)
    : scenario_id_(std::move(scenario_id)), base_(base), seed_(seed),
      frame_quantities_(frame_quantities(schema_of_model(base))) {
  restart();
}

void LiveSession::restart() {
  engine_.reset();  // the engine refers to *scenario_: drop it first
  auto scenario = std::make_unique<Scenario>(base_);
  for (const auto& [path, value] : sliders_)
    for (const ParamRef& r : setting_targets(schema_of_model(base_), control(path).target))
      apply_op(*scenario, r, EventOp::set, value);
  scenario_ = std::move(scenario);
  RunOptions options;
  options.seed = seed_;
  options.record = false;
  engine_ = std::make_unique<Engine>(*scenario_, model_registry(), options);
  slider_events_.clear();
  frames_.clear();
  ++run_;
  owed_ = 0.0;
  stopped_at_end_ = false;
  record_frame();
}

void LiveSession::reset() {
  sliders_.clear();
  playing_ = false;
  restart();
}

json LiveSession::describe() const {
  const Scenario& s = base_;
  const ModelSchema& schema = schema_of_model(s);
  json states = json::array();
  for (std::size_t i = 0; i < s.size(); ++i) states.push_back(json(agent_json(schema, s, i)));
  json controls = json::array();
  for (const Control& c : s.controls)
    controls.push_back({{"path", c.path},
                        {"label", c.label},
                        {"min", c.min},
                        {"max", c.max},
                        {"default", get_value(s, c.target)}});
  // The focal power's rivals (rivalry > 0), great powers or not: the charts follow the chosen
  // state's ties to them, as the labels do (e.g. Vietnam in asean_2016).
  json rivals = json::array();
  const bool towards = !schema.outputs_towards.empty();
  if (towards && !schema.pair_sections.empty()) {
    const Eigen::MatrixXd& pair = s.relation_keys.at(schema.pair_sections.front().keys.front());
    const auto focal = static_cast<Eigen::Index>(s.agents.at(schema.outputs_towards));
    for (std::size_t j = 0; j < s.size(); ++j)
      if (pair(focal, static_cast<Eigen::Index>(j)) > 0) rivals.push_back(s.state_names[j]);
  }
  // The classifier's features, named by the model: the page charts whatever it reports (the
  // names of the first outcome; every outcome has the same).
  json features = json::array();
  const auto outcomes = engine_->model().classify();
  if (!outcomes.empty())
    for (const auto& f : outcomes.front().features) features.push_back(f.first);
  json scheduled = json::array();
  for (const Event& e : s.events)
    scheduled.push_back({{"tick", e.tick},
                         {"name", e.name},
                         {"label", e.label.empty() ? e.name : e.label},
                         {"description", e.description},
                         {"path", e.path}});
  return {{"scenario", scenario_id_},
          {"name", s.name},
          {"description", s.description},
          {"seed", seed_},
          {"ticks", s.ticks},
          // Calendar time of the ticks (null: ticks are not dates): the page labels axes with it.
          {"time", s.time.start.empty() ? json() : json{{"start", s.time.start}, {"tick", s.time.tick}}},
          {"focal", towards ? json(s.state_names[s.agents.at(schema.outputs_towards)]) : json()},
          {"states", states},
          {"rivals", rivals},
          {"controls", controls},
          {"scheduled_events", scheduled},
          {"quantities", frame_quantities_},
          {"features", features},
          {"focus", default_focus(schema, s)},
          {"schema", json(schema_json(s))}};
}

void LiveSession::record_frame() {
  json frame = {{"tick", engine_->tick()}};
  for (const Observable& o : engine_->model().observe())
    if (std::find(frame_quantities_.begin(), frame_quantities_.end(), o.quantity) != frame_quantities_.end())
      frame[o.quantity] = o.scalar ? json(rounded(o.values(0, 0))) : matrix_json(o.values);
  // Each small state's classifier features over its trailing window, in describe()'s order.
  json features = json::object();
  for (const StateOutcome& o : engine_->model().classify()) {
    json values = json::array();
    for (const auto& f : o.features) values.push_back(rounded(f.second));
    features[scenario_->state_names[o.state]] = std::move(values);
  }
  frame["features"] = std::move(features);
  frames_.push_back(std::move(frame));
  if (frames_.size() > kKeptFrames) frames_.pop_front();
}

void LiveSession::step_once() {
  engine_->step();
  record_frame();
}

void LiveSession::advance(Clock::time_point now) {
  if (!playing_) return;
  const double elapsed = std::min(std::chrono::duration<double>(now - last_advance_).count(), kMaxCatchUpSeconds);
  last_advance_ = now;
  owed_ += std::max(0.0, elapsed) * speed_;
  const int due = std::min(static_cast<int>(owed_), kMaxStepsPerRequest);
  owed_ -= due;
  for (int k = 0; k < due; ++k) {
    step_once();
    // The classroom pauses at the scenario's last tick to read the result; play goes on past it.
    if (stop_at_end_ && !stopped_at_end_ && engine_->tick() == scenario_->ticks) {
      stopped_at_end_ = true;
      playing_ = false;
      owed_ = 0.0;
      return;
    }
  }
}

void LiveSession::play(Clock::time_point now) {
  if (engine_->tick() >= scenario_->ticks) stopped_at_end_ = true;  // already read the result
  playing_ = true;
  last_advance_ = now;
}

void LiveSession::step(int n) {
  if (n < 1 || n > kMaxStepsPerRequest)
    throw HttpError{400, "'steps' must be an integer in [1, " + std::to_string(kMaxStepsPerRequest) + "], got " +
                             std::to_string(n)};
  for (int k = 0; k < n; ++k) step_once();
}

void LiveSession::set_speed(double ticks_per_second) {
  if (!(ticks_per_second > 0.0 && ticks_per_second <= kMaxSpeed))
    throw HttpError{422, "'speed' must be in (0, " + format_number(kMaxSpeed) + "] ticks per second, got " +
                             format_number(ticks_per_second)};
  speed_ = ticks_per_second;
}

const Control& LiveSession::control(const std::string& path) const {
  for (const Control& c : base_.controls)
    if (c.path == path) return c;
  std::string known;
  for (const Control& c : base_.controls) known += (known.empty() ? "" : ", ") + c.path;
  throw HttpError{404, "unknown slider '" + path + "' in scenario " + base_.name +
                           (known.empty() ? " (it has no controls: section)" : " (sliders: " + known + ")")};
}

void LiveSession::set_slider(const std::string& path, double value, SliderMode mode) {
  const Control& c = control(path);
  if (!(value >= c.min && value <= c.max))
    throw HttpError{422, "slider '" + path + "' must be in [" + format_number(c.min) + ", " +
                             format_number(c.max) + "], got " + format_number(value)};
  if (const auto range = range_error(base_, c.target, value))
    throw HttpError{422, path + ": " + *range + ", got " + format_number(value)};
  sliders_[path] = value;
  if (mode == SliderMode::restart) {
    restart();
    return;
  }
  const int tick = engine_->tick();
  const std::string name = "slider: " + c.label + " = " + format_number(value);
  for (const ParamRef& r : setting_targets(schema_of_model(*scenario_), c.target)) {
    Event e;
    e.tick = tick;
    e.name = name;
    e.path = path;
    e.target = r;
    e.value = value;
    engine_->schedule(std::move(e));
  }
  slider_events_.push_back({{"tick", tick}, {"name", name}});
}

json LiveSession::outcomes() const {
  json out = json::array();
  for (const StateOutcome& o : engine_->model().classify()) {
    out.push_back(json(outcome_json(*scenario_, o)));
  }
  return out;
}

json LiveSession::events() const {
  json applied = json::array();
  for (const auto& [tick, name] : engine_->applied_events()) {
    // A rivalry slider schedules two events under one name; show it once.
    if (!applied.empty() && applied.back()["tick"] == tick && applied.back()["name"] == name) continue;
    applied.push_back({{"tick", tick}, {"name", name}});
  }
  return applied;
}

json LiveSession::poll(int run, int since, Clock::time_point now) {
  advance(now);
  json frames = json::array();
  for (const json& f : frames_)
    if (run != run_ || f["tick"].get<int>() > since) frames.push_back(f);
  return {{"seq", ++answers_},
          {"run", run_},
          {"tick", engine_->tick()},
          {"ticks", scenario_->ticks},
          {"playing", playing_},
          {"speed", speed_},
          {"stop_at_end", stop_at_end_},
          {"sliders", sliders_},
          {"frames", frames},
          {"outcomes", outcomes()},
          {"applied_events", events()},
          {"slider_events", slider_events_}};
}

json LiveSession::explain(const std::string& state) const {
  const auto i = scenario_->find_state(state);
  if (!i) throw HttpError{404, "unknown state '" + state + "'" + did_you_mean(state, scenario_->state_names)};
  const Explanation e = engine_->model().explain(*i);
  json terms = json::array();
  for (const auto& [term, v] : e.terms) terms.push_back({{"term", term}, {"value", v}});
  json by_partner = json::array();
  for (const auto& [term, values] : e.by_partner) by_partner.push_back({{"term", term}, {"values", values}});
  json out = {{"state", state},
              {"tick", engine_->tick()},
              {"terms", terms},
              {"partner_columns", e.partner_columns},
              {"by_partner", by_partner},
              {"reasons", e.reasons}};
  for (const StateOutcome& o : engine_->model().classify())
    if (o.state == *i) out["outcome"] = json(outcome_json(*scenario_, o, false));
  return out;
}

}  // namespace alignsim::cli
