#include "sim/random_stream.hpp"

#include <cmath>

namespace alignsim {

Ziggurat::Ziggurat() {
  x[0] = kV / std::exp(-0.5 * kR * kR);
  x[1] = kR;
  for (int k = 1; k < kLayers - 1; ++k) x[k + 1] = std::sqrt(-2.0 * std::log(kV / x[k] + std::exp(-0.5 * x[k] * x[k])));
  x[kLayers] = 0.0;
  for (int k = 0; k <= kLayers; ++k) f[k] = std::exp(-0.5 * x[k] * x[k]);
  for (int k = 0; k < kLayers; ++k) x_scaled[k] = x[k] * 0x1.0p-53;
}

std::uint32_t RandomStream::below(std::uint32_t n) {
  std::uint64_t m = static_cast<std::uint64_t>(next_u32()) * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
    while (low < threshold) {
      m = static_cast<std::uint64_t>(next_u32()) * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

std::uint64_t derive_seed(std::uint64_t master_seed, std::uint64_t run_index) {
  std::uint64_t z = master_seed + 0x9E3779B97F4A7C15ull * (run_index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace alignsim
