#include "models/landscape/schema.hpp"

namespace alignsim::landscape {

namespace {

ModelSchema make_schema() {
  ModelSchema s;
  // Axelrod & Bennett (1993) weigh their five factors equally; the weights are parameters so a
  // sweep can ask how much each factor matters.
  s.params = {
      {"weight_ethnic_conflict", 1, 0, 10, "1", "weight of ethnic conflict in the propensity"},
      {"weight_religion", 1, 0, 10, "1", "weight of religion in the propensity"},
      {"weight_border_dispute", 1, 0, 10, "1", "weight of border disputes in the propensity"},
      {"weight_government", 1, 0, 10, "1", "weight of the type of government in the propensity"},
      {"weight_war_history", 1, 0, 10, "1", "weight of the history of wars in the propensity"},
  };
  s.state_keys = {
      {"size", 1.0, 1e-12, 1e9, "capability share", "s_i: the actor's size (CINC share of world capability)"},
  };
  s.relation_keys = {
      {"ethnic_conflict", 0, -1, 1, "[-1,1]", "-1: a minority of one in conflict with the other"},
      {"religion", 0, -1, 1, "[-1,1]", "+1 same dominant religion, -1 different"},
      {"border_dispute", 0, -1, 1, "[-1,1]", "-1: one contests the other's territory"},
      {"government", 0, -1, 1, "[-1,1]", "+1 same type of government, -1 different"},
      {"war_history", 0, -1, 1, "[-1,1]", "-1: fought on opposite sides, +1: on the same side"},
      {"propensity", 0, -10, 10, "1", "a direct term added to the weighted factors"},
  };
  s.pair_sections = {{"propensities",
                      {"ethnic_conflict", "religion", "border_dispute", "government", "war_history", "propensity"},
                      false,
                      "p_ij, symmetric: the weighted factors plus the direct term"}};
  s.agent_refs = {{"anchor", "", "the actor whose side is called side_a"}};
  s.outcome_title = "sides (side_a: the side of {anchor})";
  s.labels = {"side_a", "side_b"};
  s.label_colours = {"#1f5fbf", "#c0392b"};
  s.features = {"frustration", "switch_gain", "switches"};
  s.quantities = {"side", "frustration"};
  s.scalars = {"energy", "switches"};
  s.explain_units = "frustration (size × propensity)";
  return s;
}

}  // namespace

const ModelSchema& schema() {
  static const ModelSchema kSchema = make_schema();
  return kSchema;
}

}  // namespace alignsim::landscape
