#pragma once
// Global parameters of the alignment model. Field names equal the YAML keys under `params:`;
// meanings, defaults and sources are in models/alignment/schema.cpp and docs/model.md.
#include <map>
#include <string>
#include <vector>

namespace alignsim::alignment {

struct Params {
  double foresight;                     // λ, docs/model.md §4.5
  double irritation_weight_engagement;  // w_ε
  double irritation_weight_deference;   // w_δ
  double irritation_weight_security;    // w_σ
  double reward_deference;              // r_δ
  double pressure_defiance;             // p_φ
  double pressure_irritation;           // p_irr
  double pressure_smoothness;           // w of softplus
  double reassurance;
  double pressure_bite;                 // s_π
  double commitment_response;           // r_c
  double threat_weight;                 // w_sec
  double protection_scale;
  double power_exponent;                // γ
  double hostility_pressure;            // h_π
  double hostility_defiance;            // h_φ
  double deference_calming;
  double concession;
  double claim_weight;                  // w_claim: weight of a claim's economic value (sovereignty)
  double defiance_efficacy;             // e_φ
  double unbacked_efficacy;             // b0
  double cost_deference;
  double cost_defiance;
  double cost_security;
  double dependence_weight;             // w_dep
  double reaction_rate;                 // κ
  double step;
  double noise;
  double logit_temperature;
  double defence_step;
};

/// Thresholds of the strategy classifier (`classifier:` keys).
struct ClassifierParams {
  double window;
  double alignment_high;
  double security_high;
  double deference_hedge;
  double defiance_high;
  double diversification_min;
  double internal_margin;
};

/// One scenario key and the struct member it sets: each struct's keys are one table, so a
/// key is addressed the same way for loading, events, --set, sweeps and sliders.
template <class Struct, class Member = double>
struct Field {
  const char* key;
  Member Struct::*member;
};

/// The member of `object` that the table names `key`, or nullptr.
template <class Struct, class Member>
Member* find_field(Struct& object, const std::vector<Field<Struct, Member>>& table, const std::string& key) {
  for (const auto& f : table)
    if (key == f.key) return &(object.*f.member);
  return nullptr;
}

/// The tables of Params and ClassifierParams, in the schema's order.
const std::vector<Field<Params>>& param_fields();
const std::vector<Field<ClassifierParams>>& classifier_fields();

/// The address of the Params field called `key`, or nullptr.
double* param_field(Params& p, const std::string& key);
/// The address of the ClassifierParams field called `key`, or nullptr.
double* classifier_field(ClassifierParams& c, const std::string& key);

/// Params from a resolved `params:` map. @pre every field is present (the loader fills defaults).
Params params_from(const std::map<std::string, double>& values);
/// ClassifierParams from a resolved `classifier:` map.
ClassifierParams classifier_from(const std::map<std::string, double>& values);

}  // namespace alignsim::alignment
