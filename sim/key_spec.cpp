#include "sim/key_spec.hpp"

namespace alignsim {

const KeySpec* find_key(const std::vector<KeySpec>& specs, const std::string& key) {
  for (const auto& s : specs)
    if (s.key == key) return &s;
  return nullptr;
}

}  // namespace alignsim
