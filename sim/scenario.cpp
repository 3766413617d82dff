#include "sim/scenario.hpp"

#include <algorithm>
#include <cassert>

#include "sim/key_spec.hpp"
#include "sim/scenario_loader.hpp"  // did_you_mean

namespace alignsim {

namespace {

constexpr const char* kPathGrammar =
    "params.<key>, classifier.<key>, states.<state>.<key>, states.<from>.<key>.<to> or "
    "relations.<from>.<to>.<key>";

std::vector<std::string> split_dots(const std::string& path) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  while (true) {
    auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

template <typename Map>
std::vector<std::string> keys_of(const Map& m) {
  std::vector<std::string> keys;
  for (const auto& kv : m) keys.push_back(kv.first);
  return keys;
}

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

// Looks up a state name; on failure writes "unknown state 'x' (did you mean 'y'?)".
std::optional<std::size_t> state_or_error(const Scenario& s, const std::string& name,
                                          std::string* error) {
  if (auto i = s.find_state(name)) return i;
  fail(error, "unknown state '" + name + "'" + did_you_mean(name, s.state_names));
  return std::nullopt;
}

// Resolves a dyadic key K from `from` to `to`; relation keys win over policy keys.
std::optional<ParamRef> dyadic_ref(const Scenario& s, const std::string& key, std::size_t from,
                                   std::size_t to, std::string* error) {
  ParamRef ref{ParamRef::Kind::relation_key, key, from, to};
  if (s.relation_keys.count(key)) {
    ref.kind = ParamRef::Kind::relation_key;
  } else if (s.policy_keys.count(key)) {
    ref.kind = ParamRef::Kind::policy_key;
  } else {
    std::vector<std::string> candidates = keys_of(s.relation_keys);
    for (const auto& kv : s.policy_keys) candidates.push_back(kv.first);
    fail(error, "unknown relation or policy key '" + key + "'" + did_you_mean(key, candidates));
    return std::nullopt;
  }
  if (from == to) {
    fail(error,
         "'" + s.state_names[from] + "' has no relation with itself; name two different states");
    return std::nullopt;
  }
  return ref;
}

}  // namespace

std::optional<std::size_t> Scenario::find_state(const std::string& name) const {
  for (std::size_t i = 0; i < state_names.size(); ++i)
    if (state_names[i] == name) return i;
  return std::nullopt;
}

std::optional<ParamRef> resolve_path(const Scenario& s, const std::string& path,
                                     std::string* error) {
  const std::vector<std::string> parts = split_dots(path);
  for (const auto& p : parts) {
    if (p.empty()) {
      fail(error, "malformed path '" + path + "' (empty part); expected " + kPathGrammar);
      return std::nullopt;
    }
  }
  const std::string& root = parts[0];

  if (root == "params" || root == "classifier") {
    const bool is_param = root == "params";
    const auto& table = is_param ? s.params : s.classifier;
    if (parts.size() != 2) {
      fail(error, "expected " + root + ".<key>, got '" + path + "'");
      return std::nullopt;
    }
    if (!table.count(parts[1])) {
      fail(error, std::string(is_param ? "unknown parameter '" : "unknown classifier key '") +
                      parts[1] + "'" + did_you_mean(parts[1], keys_of(table)));
      return std::nullopt;
    }
    return ParamRef{is_param ? ParamRef::Kind::param : ParamRef::Kind::classifier, parts[1], 0, 0};
  }

  if (root == "states") {
    if (parts.size() != 3 && parts.size() != 4) {
      fail(error, "expected states.<state>.<key> or states.<from>.<key>.<to>, got '" + path + "'");
      return std::nullopt;
    }
    auto i = state_or_error(s, parts[1], error);
    if (!i) return std::nullopt;
    const std::string& key = parts[2];
    const bool monadic = s.state_keys.count(key) > 0;
    const bool dyadic = s.relation_keys.count(key) > 0 || s.policy_keys.count(key) > 0;
    if (parts.size() == 3) {
      if (monadic) return ParamRef{ParamRef::Kind::state_key, key, *i, 0};
      if (dyadic) {
        fail(error, "'" + key +
                        "' is a relation between two states; name the other state: states." +
                        parts[1] + "." + key + ".<state>");
        return std::nullopt;
      }
      std::vector<std::string> candidates = keys_of(s.state_keys);
      for (const auto& kv : s.relation_keys) candidates.push_back(kv.first);
      for (const auto& kv : s.policy_keys) candidates.push_back(kv.first);
      fail(error, "unknown state key '" + key + "'" + did_you_mean(key, candidates));
      return std::nullopt;
    }
    if (monadic && !dyadic) {
      fail(error, "'" + key + "' belongs to one state and takes no other state; use states." +
                      parts[1] + "." + key);
      return std::nullopt;
    }
    auto j = state_or_error(s, parts[3], error);
    if (!j) return std::nullopt;
    return dyadic_ref(s, key, *i, *j, error);
  }

  if (root == "relations") {
    if (parts.size() != 4) {
      fail(error, "expected relations.<from>.<to>.<key>, got '" + path + "'");
      return std::nullopt;
    }
    auto i = state_or_error(s, parts[1], error);
    if (!i) return std::nullopt;
    auto j = state_or_error(s, parts[2], error);
    if (!j) return std::nullopt;
    if (s.state_keys.count(parts[3]) && !s.relation_keys.count(parts[3]) &&
        !s.policy_keys.count(parts[3])) {
      fail(error, "'" + parts[3] + "' belongs to one state, not to a relation; use states." +
                      parts[1] + "." + parts[3]);
      return std::nullopt;
    }
    return dyadic_ref(s, parts[3], *i, *j, error);
  }

  fail(error, "unknown path start '" + root + "'" +
                  did_you_mean(root, {"params", "classifier", "states", "relations"}) +
                  "; expected " + kPathGrammar);
  return std::nullopt;
}

namespace {

// Works for Scenario and const Scenario, so get_value and apply_op share one lookup.
template <typename S>
auto& value_ref(S& s, const ParamRef& ref) {
  switch (ref.kind) {
    case ParamRef::Kind::param:
      return s.params.at(ref.key);
    case ParamRef::Kind::classifier:
      return s.classifier.at(ref.key);
    case ParamRef::Kind::state_key:
      return s.state_keys.at(ref.key)(static_cast<Eigen::Index>(ref.i));
    case ParamRef::Kind::relation_key:
      return s.relation_keys.at(ref.key)(static_cast<Eigen::Index>(ref.i),
                                         static_cast<Eigen::Index>(ref.j));
    case ParamRef::Kind::policy_key:
      return s.policy_keys.at(ref.key)(static_cast<Eigen::Index>(ref.i),
                                       static_cast<Eigen::Index>(ref.j));
  }
  assert(false && "unhandled ParamRef::Kind");
  return s.params.at(ref.key);
}

}  // namespace

double get_value(const Scenario& s, const ParamRef& ref) { return value_ref(s, ref); }

double operate(double current, EventOp op, double value, const KeySpec* range) {
  double v = current;
  switch (op) {
    case EventOp::set:
      v = value;
      break;
    case EventOp::add:
      v += value;
      break;
    case EventOp::scale:
      v *= value;
      break;
  }
  return range ? std::clamp(v, range->min, range->max) : v;
}

void apply_op(Scenario& s, const ParamRef& ref, EventOp op, double value) {
  double& v = value_ref(s, ref);
  v = operate(v, op, value, nullptr);
}

const KeySpec* spec_of(const ModelSchema& schema, const ParamRef& ref) {
  switch (ref.kind) {
    case ParamRef::Kind::param:
      return find_key(schema.params, ref.key);
    case ParamRef::Kind::classifier:
      return find_key(schema.classifier, ref.key);
    case ParamRef::Kind::state_key:
      return find_key(schema.state_keys, ref.key);
    case ParamRef::Kind::relation_key:
      return find_key(schema.relation_keys, ref.key);
    case ParamRef::Kind::policy_key:
      return find_key(schema.policy_keys, ref.key);
  }
  return nullptr;
}

std::vector<ParamRef> setting_targets(const ModelSchema& schema, const ParamRef& ref) {
  if (ref.kind == ParamRef::Kind::relation_key)
    for (const PairSection& section : schema.pair_sections)
      if (std::find(section.keys.begin(), section.keys.end(), ref.key) != section.keys.end())
        return {ref, ParamRef{ref.kind, ref.key, ref.j, ref.i}};
  return {ref};
}

bool is_labelled(const ModelSchema& schema, const Scenario& s, std::size_t i) {
  return schema.labelled_kind.empty() || (i < s.kinds.size() && s.kinds[i] == kind_index(schema, schema.labelled_kind));
}

std::string outcome_title(const ModelSchema& schema, const Scenario& s) {
  std::string title = schema.outcome_title.empty() ? "labels" : schema.outcome_title;
  for (const AgentRefSpec& ref : schema.agent_refs) {
    const std::string placeholder = "{" + ref.key + "}";
    const auto agent = s.agents.find(ref.key);
    if (agent == s.agents.end()) continue;
    for (auto at = title.find(placeholder); at != std::string::npos; at = title.find(placeholder))
      title.replace(at, placeholder.size(), s.state_names[agent->second]);
  }
  return title;
}

void shorten(Scenario& s, int ticks) {
  s.ticks = ticks;
  // Events and expectations past the new horizon can no longer happen or be checked; dropping
  // them keeps the resolved scenario written next to the outputs loadable.
  auto late_event = [&](const Event& e) { return e.tick >= ticks; };
  s.events.erase(std::remove_if(s.events.begin(), s.events.end(), late_event), s.events.end());
  auto unreachable = [&](const FactExpectation& f) {
    if (f.from_tick >= ticks || f.within > ticks) return true;
    if (f.event.empty()) return false;
    return std::none_of(s.events.begin(), s.events.end(), [&](const Event& e) { return e.name == f.event; });
  };
  auto& facts = s.expect.facts;
  facts.erase(std::remove_if(facts.begin(), facts.end(), unreachable), facts.end());
}

}  // namespace alignsim
