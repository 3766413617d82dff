#include "sim/key_spec.hpp"

namespace alignsim {

const KeySpec* find_key(const std::vector<KeySpec>& specs, const std::string& key) {
  for (const auto& s : specs)
    if (s.key == key) return &s;
  return nullptr;
}

std::vector<std::string> ModelSchema::symmetric_keys() const {
  std::vector<std::string> keys;
  for (const auto& section : pair_sections) keys.insert(keys.end(), section.keys.begin(), section.keys.end());
  return keys;
}

std::size_t kind_index(const ModelSchema& schema, const std::string& kind) {
  for (std::size_t k = 0; k < schema.kinds.kinds.size(); ++k)
    if (schema.kinds.kinds[k] == kind) return k;
  return static_cast<std::size_t>(-1);
}

}  // namespace alignsim
