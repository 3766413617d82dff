#include "models/alignment/alignment_model.hpp"
#include "models/landscape/landscape_model.hpp"
#include "sim/model_registry.hpp"

namespace alignsim {

void register_models(ModelRegistry& registry) {
  registry.add(alignment::alignment_model_info());
  registry.add(landscape::landscape_model_info());
}

const ModelRegistry& model_registry() {
  static const ModelRegistry kRegistry = [] {
    ModelRegistry r;
    register_models(r);
    return r;
  }();
  return kRegistry;
}

}  // namespace alignsim
