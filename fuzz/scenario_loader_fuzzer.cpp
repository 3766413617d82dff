// Any bytes as a scenario file: the loader reports InputError (or loads), never crashes, hangs
// or exhausts memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    alignsim::load_scenario_text(text, "fuzz.yaml", alignsim::model_registry());
  } catch (const alignsim::Error&) {
  }
  return 0;
}
