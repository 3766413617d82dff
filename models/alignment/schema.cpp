#include "models/alignment/schema.hpp"

namespace alignsim::alignment {

namespace {

ModelSchema make_schema() {
  ModelSchema s;
  // Global parameters; defaults are the calibration of docs/calibration.md (reasons there).
  s.params = {
      {"foresight", 0.8, 0, 1, "[0,1]", "weight λ a small state puts on the powers' reaction targets when it evaluates a policy"},
      {"irritation_weight_engagement", 0.2, 0, 10, "per unit", "weight of economic engagement with a power's rivals in its irritation"},
      {"irritation_weight_deference", 0.4, 0, 10, "per unit", "weight of deference to a power's rivals in its irritation"},
      {"irritation_weight_security", 0.248, 0, 10, "per unit", "weight of security cooperation with a power's rivals in its irritation"},
      {"reward_deference", 0.306, 0, 10, "fraction of E", "r_δ: inducement a power grants for full exclusive alignment with it"},
      {"pressure_defiance", 0.3, 0, 10, "per unit", "p_φ: pressure per unit of defiance"},
      {"pressure_irritation", 0.254, 0, 10, "per unit", "p_irr: pressure per unit of irritation above tolerance"},
      {"pressure_smoothness", 0.502, 0.001, 1, "irritation units", "width of the smooth threshold (softplus) of irritation above tolerance"},
      {"reassurance", 1.49, 0, 10, "irritation units", "tolerance of a state's ties with its rivals that a power adds for full exclusive alignment with it"},
      {"pressure_bite", 0.3, 0, 1, "[0,1]", "s_π: share of the economic benefit that full pressure removes"},
      {"commitment_response", 0.858, 0, 10, "per unit", "r_c: commitment a power adds per unit of security cooperation"},
      {"threat_weight", 0.691, 0, 100, "share of GDP", "w_sec: weight of threat in utility"},
      {"protection_scale", 0.4, 0.001, 100, "protection units", "scale of protection in the threat-reduction exponential"},
      {"power_exponent", 1, 0, 5, "1", "γ: exponent on a power's share of military capability in threat"},
      {"hostility_pressure", 0.5, 0, 10, "per unit", "hostility added per unit of pressure"},
      {"hostility_defiance", 0.146, 0, 10, "per unit", "hostility added per unit of the target's defiance"},
      {"deference_calming", 0.762, 0, 1, "[0,1]", "share of non-dispute hostility that full exclusive alignment removes"},
      {"concession", 0.12, 0, 10, "per unit", "extra dispute loss per unit of deference to the rival claimant"},
      {"claim_weight", 3.28, 0, 100, "1", "w_claim: weight of a disputed claim's economic value in utility (above 1: sovereignty and prestige)"},
      {"defiance_efficacy", 0.65, 0, 1, "[0,1]", "e_φ: share of a disputed stake that full, fully backed defiance protects"},
      {"unbacked_efficacy", 0.65, 0, 1, "[0,1]", "b0: efficacy of defiance with no outside backing, relative to backed"},
      {"cost_deference", 0.0263, 0, 10, "share of GDP", "autonomy cost of deference (times level squared)"},
      {"cost_defiance", 0.00636, 0, 10, "share of GDP", "cost of defiance (times level squared)"},
      {"cost_security", 0.0125, 0, 10, "share of GDP", "cost of security cooperation (times level squared)"},
      {"dependence_weight", 0.114, 0, 10, "share of GDP", "w_dep: weight of the concentration (HHI) of benefits"},
      {"reaction_rate", 0.7, 0, 1, "per tick", "κ: share of the gap to its targets a power closes each tick"},
      {"step", 0.05, 0, 1, "per tick", "largest change of one policy variable per tick"},
      {"noise", 0.005, 0, 1, "per tick", "standard deviation of the noise added to each policy variable"},
      {"logit_temperature", 0.0005, 1e-9, 10, "utility units", "temperature of the logit (quantal response) rule"},
      {"defence_step", 0.002, 0, 1, "share of GDP per tick", "largest change of the defence share per tick"},
  };
  s.classifier = {
      {"window", 20, 1, 100000, "ticks", "trailing window over which behaviour is averaged"},
      {"alignment_high", 0.3, 0, 1, "[0,1]", "exclusive alignment with the focal power at or above which a state aligns with it"},
      {"deference_hedge", 0.3, 0, 1, "[0,1]", "deference at or above which a defiant state hedges rather than balances"},
      {"defiance_high", 0.3, 0, 1, "[0,1]", "defiance at or above which a state opposes the focal power"},
      {"security_high", 0.3, 0, 1, "[0,1]", "security ties with the focal power's rivals at or above which a state balances externally"},
      {"diversification_min", 0.35, 0, 1, "[0,1]", "share of economic benefit from the focal power's rivals that makes bandwagoning soft"},
      {"internal_margin", 0.005, 0, 1, "share of GDP", "defence share above the floor that counts as internal balancing"},
  };
  s.state_keys = {
      {"gdp", 1.0, 1e-9, 1e9, "USD bn", "economic size Y"},
      {"military", 1.0, 1e-9, 1e9, "USD bn per year", "military capability M (military expenditure)"},
      {"projection", 0.5, 0, 1, "[0,1]", "power projection: ability to bring force to bear abroad"},
      {"assertiveness", 0.0, 0, 1, "[0,1]", "how hard the state presses its disputed claims"},
      {"hostility", 0.1, 0, 1, "[0,1]", "baseline hostility towards others, before pressure and defiance"},
      {"tolerance", 0.3, 0, 10, "irritation units", "how much irritation a power tolerates before it applies pressure"},
      {"defence_share", 0.02, 0, 1, "share of GDP", "initial defence spending"},
      {"defence_floor", 0.01, 0, 1, "share of GDP", "defence spending for non-focal purposes; internal balancing is measured above it"},
      {"dependence_aversion", 1.0, 0, 100, "1", "η: aversion to relying on one partner (historical memory)"},
  };
  s.relation_keys = {
      {"economic_value", 0.0, 0, 10, "share of GDP", "E: value to `from` of full economic engagement with `to`"},
      {"proximity", 0.0, 0, 1, "[0,1]", "closeness (1 = land border)"},
      {"dispute", 0.0, 0, 1, "[0,1]", "X: intensity of the dispute of `from` with `to`"},
      {"stake", 0.0, 0, 10, "share of GDP", "V: value to `from` of its disputed claim against `to`"},
      {"base_inducement", 0.0, 0, 10, "fraction of E", "ρ0: inducement `from` (a power) grants `to` whatever it does"},
      {"base_commitment", 0.0, 0, 1, "[0,1]", "c0: security commitment of `from` (a power) to `to` whatever it does"},
      {"conditional_offer", 0.0, 0, 10, "fraction of E", "ω: inducement `from` (a power) pledges to `to` in proportion to its exclusive alignment with `from`"},
      {"sea_lane_exposure", 0.0, 0, 1, "[0,1]", "share of `from`'s seaborne trade that crosses waters `to` claims"},
      {"rivalry", 0.0, 0, 1, "[0,1]", "R: rivalry between two states (set through `rivalries:`, symmetric)"},
  };
  s.policy_keys = {
      {"deference", 0.2, 0, 1, "[0,1]", "δ: diplomatic support of `to`"},
      {"defiance", 0.0, 0, 1, "[0,1]", "φ: opposition to `to` (protests, internationalising disputes)"},
      {"engagement", 0.5, 0, 1, "[0,1]", "ε: economic openness to `to`"},
      {"security", 0.0, 0, 1, "[0,1]", "σ: security cooperation with `to`"},
      {"inducement", 0.0, 0, 10, "fraction of E", "ρ: inducement of `from` (a power) to `to`"},
      {"pressure", 0.0, 0, 1, "[0,1]", "π: pressure of `from` (a power) on `to`"},
      {"commitment", 0.0, 0, 1, "[0,1]", "c: security commitment of `from` (a power) to `to`"},
  };
  s.choices = {{"decision_rule", {"incremental", "logit", "gradient"},
                 "how small states choose their policies (docs/model.md §5)"}};
  s.kinds = {"role", {"great_power", "small_state"}, "great powers react; small states choose",
             {{"inducement", "pressure"}, {"deference", "defiance", "engagement", "security"}}};
  s.agent_refs = {{"focal_power", "great_power", "the name of the great power whose alignment the scenario studies"}};
  s.pair_sections = {{"rivalries", {"rivalry"}, true, "rivalry between two states, symmetric"}};
  s.outcome_title = "strategies towards {focal_power}";
  s.labels = {"bandwagoning", "soft_bandwagoning", "hedging", "internal_balancing",
              "external_balancing", "soft_balancing", "neutrality"};
  // Warm = leaning towards the focal power, cool = balancing it (purple: by its own arms),
  // grey = neither; every view takes its colours from here.
  s.label_colours = {"#8c2d04", "#e6550d", "#c99700", "#6a3d9a", "#08519c", "#4292c6", "#737373"};
  s.qualifiers = {{"motive", {"profit", "security"},
                   "whether the label's policies pay more in economic gains or in security"}};
  s.features = {"alignment", "rival_alignment", "deference", "defiance", "security_ties",
                "diversification", "rival_engagement", "internal_balancing", "gain_economic",
                "gain_security"};
  s.labelled_kind = "small_state";
  s.explain_units = "utility per tick, GDP-share units";
  s.outputs_towards = "focal_power";
  s.quantities = {"deference", "defiance", "engagement", "security", "alignment", "inducement",
                  "pressure", "commitment", "defence_share"};
  return s;
}

}  // namespace

const ModelSchema& schema() {
  static const ModelSchema kSchema = make_schema();
  return kSchema;
}

}  // namespace alignsim::alignment
