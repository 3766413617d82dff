#pragma once
// Counter-based random streams (Philox4x32-10, Salmon et al. 2011, "Parallel random numbers:
// as easy as 1, 2, 3"). A stream is keyed by (seed, run, tick, agent): its numbers depend on
// nothing else, so results are identical whatever the thread count, rank count or order.
#include <array>
#include <cstdint>

namespace alignsim {

/// One independent stream of random numbers for (seed, run, tick, agent).
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint32_t run, std::uint32_t tick, std::uint32_t agent)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        run_(run), tick_(tick), agent_(agent) {}

  /// Next 32 uniformly distributed bits.
  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  /// Next 64 uniformly distributed bits.
  std::uint64_t next_u64() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Standard normal variate (Box–Muller; both variates of a pair are used).
  double normal();

  /// Uniform integer in [0, n), n > 0 (Lemire's unbiased method).
  std::uint32_t below(std::uint32_t n);

 private:
  void refill();

  std::array<std::uint32_t, 2> key_;
  std::uint32_t run_, tick_, agent_;
  std::uint32_t draw_ = 0;  // fourth counter word: the block index within this stream
  std::array<std::uint32_t, 4> block_{};
  int used_ = 4;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

/// Philox4x32-10 block function: 4 words of output for a 4-word counter and 2-word key.
std::array<std::uint32_t, 4> philox4x32(std::array<std::uint32_t, 4> counter,
                                        std::array<std::uint32_t, 2> key);

/// Mixes a master seed and a run index into a run seed (SplitMix64 finaliser), never the clock.
std::uint64_t derive_seed(std::uint64_t master_seed, std::uint64_t run_index);

}  // namespace alignsim
