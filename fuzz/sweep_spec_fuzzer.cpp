// Any bytes as a sweep spec in scenarios/sweeps/ (so the corpus's relative scenario paths
// resolve): InputError or a spec, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const alignsim::SweepSpec spec = alignsim::load_sweep_spec_text(
        text, ALIGNSIM_SOURCE_DIR "/scenarios/sweeps/fuzz.yaml", alignsim::model_registry());
    // The design must be computable for any spec the loader accepts (small ones only: a fuzzer
    // that finds a 10^7-point design is right, but should not spend its minute on it).
    if (alignsim::design_points(spec) <= 4096) (void)alignsim::design_values(spec);
  } catch (const alignsim::Error&) {
  }
  return 0;
}
