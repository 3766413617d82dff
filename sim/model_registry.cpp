#include "sim/model_registry.hpp"

#include <cassert>

namespace alignsim {

void ModelRegistry::add(ModelInfo info) {
  assert(find(info.name) == nullptr);
  models_.push_back(std::move(info));
}

const ModelInfo* ModelRegistry::find(const std::string& name) const {
  for (const auto& m : models_)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace alignsim
