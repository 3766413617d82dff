#include "sim/expectation.hpp"

#include <cmath>

namespace alignsim {

bool label_holds(const LabelExpectation& e, const Scenario& s, const std::vector<StateOutcome>& outcomes) {
  const auto idx = s.find_state(e.state);
  if (!idx) return false;
  for (const auto& o : outcomes)
    if (o.state == *idx) return o.label == e.label;
  return false;
}

bool fact_holds(const FactExpectation& e, const Scenario& s, const Engine& run) {
  const auto i = s.find_state(e.state);
  const auto j = e.partner.empty() ? std::optional<std::size_t>(0) : s.find_state(e.partner);
  if (!i || !j) return false;
  const Recording& r = run.recording();
  auto at = [&](std::size_t k) { return r.value(k, e.quantity, *i, *j); };

  if (e.kind == FactExpectation::Kind::stays_below || e.kind == FactExpectation::Kind::stays_above) {
    bool any = false;
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (r.tick_at(k) < e.from_tick) continue;
      any = true;
      const double v = at(k);
      const bool ok = e.kind == FactExpectation::Kind::stays_below ? v < e.value : v > e.value;
      if (!ok || std::isnan(v)) return false;
    }
    return any;
  }
  int event_tick = -1;
  for (const auto& [tick, name] : run.applied_events())
    if (name == e.event) {
      event_tick = tick;
      break;
    }
  if (event_tick < 1) return false;
  const long before = r.find_tick(event_tick - 1);
  if (before < 0) return false;
  double sum = 0;
  int count = 0;
  for (int t = event_tick; t < event_tick + e.within; ++t) {
    const long k = r.find_tick(t);
    if (k < 0) return false;
    sum += at(static_cast<std::size_t>(k));
    ++count;
  }
  const double change = sum / count - at(static_cast<std::size_t>(before));
  return e.kind == FactExpectation::Kind::rises_after ? change > e.by : change < -e.by;
}

std::string describe(const LabelExpectation& e) { return e.state + " is " + e.label; }

std::string describe(const FactExpectation& e) {
  if (!e.name.empty()) return e.name;
  std::string series = e.state + (e.partner.empty() ? "" : "→" + e.partner) + " " + e.quantity;
  switch (e.kind) {
    case FactExpectation::Kind::rises_after: return series + " rises after " + e.event;
    case FactExpectation::Kind::falls_after: return series + " falls after " + e.event;
    case FactExpectation::Kind::stays_below: return series + " stays below threshold";
    case FactExpectation::Kind::stays_above: return series + " stays above threshold";
  }
  return series;
}

}  // namespace alignsim
