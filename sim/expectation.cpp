#include "sim/expectation.hpp"

#include <algorithm>
#include <cmath>

namespace alignsim {

bool label_holds(const LabelExpectation& e, const Scenario& s, const std::vector<StateOutcome>& outcomes) {
  const auto idx = s.find_state(e.state);
  if (!idx) return false;
  for (const auto& o : outcomes)
    if (o.state == *idx) {
      for (const auto& q : e.qualifiers)
        if (std::find(o.qualifiers.begin(), o.qualifiers.end(), q) == o.qualifiers.end()) return false;
      if (e.labels.empty() && e.label.empty()) return true;  // a qualifier-only expectation
      const std::vector<std::string>& any = e.labels.empty() ? std::vector<std::string>{e.label} : e.labels;
      const bool listed = std::find(any.begin(), any.end(), o.label) != any.end();
      return listed != e.negated;
    }
  return false;
}

bool fact_holds(const FactExpectation& e, const Scenario& s, const Engine& run) {
  const auto i = s.find_state(e.state);
  const auto j = e.partner.empty() ? std::optional<std::size_t>(0) : s.find_state(e.partner);
  if (!i || !j) return false;
  const Recording& r = run.recording();
  auto at = [&](std::size_t k) { return r.value(k, e.quantity, *i, *j); };

  if (e.kind == FactExpectation::Kind::exceeds) {
    const auto a = s.find_state(e.than_state);
    const auto b = e.than_partner.empty() ? std::optional<std::size_t>(0) : s.find_state(e.than_partner);
    if (!a || !b) return false;
    double sum = 0;
    int count = 0;
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (r.tick_at(k) < e.from_tick) continue;
      sum += at(k) - r.value(k, e.quantity, *a, *b);
      ++count;
    }
    return count > 0 && sum / count > e.value;
  }
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
  // Baseline: the mean over the `within` ticks before the event (those recorded), so that a
  // policy that alternates between two values tick by tick is compared like with like.
  double base = 0;
  int base_count = 0;
  for (int t = std::max(0, event_tick - e.within); t < event_tick; ++t) {
    const long k = r.find_tick(t);
    if (k < 0) continue;
    base += at(static_cast<std::size_t>(k));
    ++base_count;
  }
  if (base_count == 0) return false;
  double sum = 0;
  int count = 0;
  for (int t = event_tick; t < event_tick + e.within; ++t) {
    const long k = r.find_tick(t);
    if (k < 0) return false;
    sum += at(static_cast<std::size_t>(k));
    ++count;
  }
  const double change = sum / count - base / base_count;
  return e.kind == FactExpectation::Kind::rises_after ? change > e.by : change < -e.by;
}

std::string describe(const LabelExpectation& e) {
  // "<state> is <label>, <qualifier> <value>"; with no label, "<state>'s <qualifier> is <value>".
  std::string qualifiers;
  for (const auto& [name, value] : e.qualifiers) qualifiers += ", " + name + " " + value;
  if (e.labels.empty() && e.label.empty()) {
    std::string text;
    for (const auto& [name, value] : e.qualifiers)
      text += (text.empty() ? e.state + "'s " : ", ") + name + " is " + value;
    return text;
  }
  if (e.labels.size() <= 1 && !e.negated) return e.state + " is " + e.label + qualifiers;
  std::string list;
  for (std::size_t k = 0; k < e.labels.size(); ++k)
    list += (k == 0 ? "" : k + 1 == e.labels.size() ? " or " : ", ") + e.labels[k];
  return e.state + (e.negated ? " is not " : " is ") + list + qualifiers;
}

std::string describe(const FactExpectation& e) {
  if (!e.name.empty()) return e.name;
  std::string series = e.state + (e.partner.empty() ? "" : "→" + e.partner) + " " + e.quantity;
  switch (e.kind) {
    case FactExpectation::Kind::rises_after: return series + " rises after " + e.event;
    case FactExpectation::Kind::falls_after: return series + " falls after " + e.event;
    case FactExpectation::Kind::stays_below: return series + " stays below threshold";
    case FactExpectation::Kind::stays_above: return series + " stays above threshold";
    case FactExpectation::Kind::exceeds:
      return series + " exceeds " + e.than_state + (e.than_partner.empty() ? "" : "→" + e.than_partner);
  }
  return series;
}

}  // namespace alignsim
