#include "models/alignment/params.hpp"

#include <cassert>

namespace alignsim::alignment {

const std::vector<Field<Params>>& param_fields() {
  static const std::vector<Field<Params>> kFields = {
    {"foresight", &Params::foresight},
    {"irritation_weight_engagement", &Params::irritation_weight_engagement},
    {"irritation_weight_deference", &Params::irritation_weight_deference},
    {"irritation_weight_security", &Params::irritation_weight_security},
    {"reward_deference", &Params::reward_deference},
    {"pressure_defiance", &Params::pressure_defiance},
    {"pressure_irritation", &Params::pressure_irritation},
    {"pressure_smoothness", &Params::pressure_smoothness},
    {"reassurance", &Params::reassurance},
    {"pressure_bite", &Params::pressure_bite},
    {"commitment_response", &Params::commitment_response},
    {"threat_weight", &Params::threat_weight},
    {"protection_scale", &Params::protection_scale},
    {"power_exponent", &Params::power_exponent},
    {"hostility_pressure", &Params::hostility_pressure},
    {"hostility_defiance", &Params::hostility_defiance},
    {"deference_calming", &Params::deference_calming},
    {"concession", &Params::concession},
    {"claim_weight", &Params::claim_weight},
    {"defiance_efficacy", &Params::defiance_efficacy},
    {"unbacked_efficacy", &Params::unbacked_efficacy},
    {"cost_deference", &Params::cost_deference},
    {"cost_defiance", &Params::cost_defiance},
    {"cost_security", &Params::cost_security},
    {"dependence_weight", &Params::dependence_weight},
    {"reaction_rate", &Params::reaction_rate},
    {"step", &Params::step},
    {"noise", &Params::noise},
    {"logit_temperature", &Params::logit_temperature},
    {"defence_step", &Params::defence_step},
  };
  return kFields;
}

double* param_field(Params& p, const std::string& key) { return find_field(p, param_fields(), key); }

const std::vector<Field<ClassifierParams>>& classifier_fields() {
  static const std::vector<Field<ClassifierParams>> kFields = {
    {"window", &ClassifierParams::window},
    {"alignment_high", &ClassifierParams::alignment_high},
    {"security_high", &ClassifierParams::security_high},
    {"deference_hedge", &ClassifierParams::deference_hedge},
    {"defiance_high", &ClassifierParams::defiance_high},
    {"diversification_min", &ClassifierParams::diversification_min},
    {"internal_margin", &ClassifierParams::internal_margin},
  };
  return kFields;
}

double* classifier_field(ClassifierParams& c, const std::string& key) { return find_field(c, classifier_fields(), key); }

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
