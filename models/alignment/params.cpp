#include "models/alignment/params.hpp"

#include <cassert>

namespace alignsim::alignment {

double* param_field(Params& p, const std::string& key) {
  if (key == "foresight") return &p.foresight;
  if (key == "irritation_weight_engagement") return &p.irritation_weight_engagement;
  if (key == "irritation_weight_deference") return &p.irritation_weight_deference;
  if (key == "irritation_weight_security") return &p.irritation_weight_security;
  if (key == "reward_deference") return &p.reward_deference;
  if (key == "pressure_defiance") return &p.pressure_defiance;
  if (key == "pressure_irritation") return &p.pressure_irritation;
  if (key == "pressure_smoothness") return &p.pressure_smoothness;
  if (key == "reassurance") return &p.reassurance;
  if (key == "pressure_bite") return &p.pressure_bite;
  if (key == "commitment_response") return &p.commitment_response;
  if (key == "threat_weight") return &p.threat_weight;
  if (key == "protection_scale") return &p.protection_scale;
  if (key == "power_exponent") return &p.power_exponent;
  if (key == "hostility_pressure") return &p.hostility_pressure;
  if (key == "hostility_defiance") return &p.hostility_defiance;
  if (key == "deference_calming") return &p.deference_calming;
  if (key == "concession") return &p.concession;
  if (key == "claim_weight") return &p.claim_weight;
  if (key == "defiance_efficacy") return &p.defiance_efficacy;
  if (key == "unbacked_efficacy") return &p.unbacked_efficacy;
  if (key == "cost_deference") return &p.cost_deference;
  if (key == "cost_defiance") return &p.cost_defiance;
  if (key == "cost_security") return &p.cost_security;
  if (key == "dependence_weight") return &p.dependence_weight;
  if (key == "reaction_rate") return &p.reaction_rate;
  if (key == "step") return &p.step;
  if (key == "noise") return &p.noise;
  if (key == "logit_temperature") return &p.logit_temperature;
  if (key == "defence_step") return &p.defence_step;
  return nullptr;
}

double* classifier_field(ClassifierParams& c, const std::string& key) {
  if (key == "window") return &c.window;
  if (key == "alignment_high") return &c.alignment_high;
  if (key == "security_high") return &c.security_high;
  if (key == "deference_hedge") return &c.deference_hedge;
  if (key == "defiance_high") return &c.defiance_high;
  if (key == "diversification_min") return &c.diversification_min;
  if (key == "internal_margin") return &c.internal_margin;
  return nullptr;
}

Params params_from(const std::map<std::string, double>& values) {
  Params p{};
  for (const auto& [key, value] : values) {
    double* field = param_field(p, key);
    assert(field && "schema and Params disagree");
    if (field) *field = value;
  }
  return p;
}

ClassifierParams classifier_from(const std::map<std::string, double>& values) {
  ClassifierParams c{};
  for (const auto& [key, value] : values) {
    double* field = classifier_field(c, key);
    assert(field && "schema and ClassifierParams disagree");
    if (field) *field = value;
  }
  return c;
}

}  // namespace alignsim::alignment
