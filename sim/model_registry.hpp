#pragma once
#include <string>
#include <vector>

#include "sim/model.hpp"

namespace alignsim {

/// The explicit list of models (no static self-registration: linkers drop it from archives).
class ModelRegistry {
 public:
  /// Adds a model. @pre its name is not registered yet.
  void add(ModelInfo info);
  /// The model called `name`, or nullptr.
  const ModelInfo* find(const std::string& name) const;
  const std::vector<ModelInfo>& all() const { return models_; }

 private:
  std::vector<ModelInfo> models_;
};

/// Registers every model of this build; defined in models/register_models.cpp.
void register_models(ModelRegistry& registry);

/// The process-wide registry, filled by register_models() on first use; defined with
/// register_models() in the models library.
const ModelRegistry& model_registry();

}  // namespace alignsim
