#pragma once
// Counter-based random streams (Philox4x64-10, Salmon et al. 2011, "Parallel random numbers:
// as easy as 1, 2, 3"). A stream is keyed by (seed, run, tick, agent): its numbers depend on
// nothing else, so results are identical whatever the thread count, rank count or order.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace alignsim {

__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang: the 64×64 → 128-bit product

/// Philox4x64-10 block function: 4 words of output for a 4-word counter and 2-word key.
inline std::array<std::uint64_t, 4> philox4x64(std::array<std::uint64_t, 4> c, std::array<std::uint64_t, 2> k) {
  // Constants from Salmon et al. (2011) / Random123.
  constexpr std::uint64_t kM0 = 0xD2E7470EE14C6C93ull, kM1 = 0xCA5A826395121157ull;
  constexpr std::uint64_t kW0 = 0x9E3779B97F4A7C15ull, kW1 = 0xBB67AE8584CAA73Bull;
  for (int round = 0; round < 10; ++round) {
    const Uint128 p0 = static_cast<Uint128>(kM0) * c[0];
    const Uint128 p1 = static_cast<Uint128>(kM1) * c[2];
    const auto hi0 = static_cast<std::uint64_t>(p0 >> 64), lo0 = static_cast<std::uint64_t>(p0);
    const auto hi1 = static_cast<std::uint64_t>(p1 >> 64), lo1 = static_cast<std::uint64_t>(p1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
    k[0] += kW0;
    k[1] += kW1;
  }
  return c;
}

/// The 256-layer ziggurat under exp(−x²/2) (Marsaglia and Tsang 2000): layer k spans heights
/// f[k]…f[k+1] at width x[k]; every layer and the base strip (with the tail beyond r) have area v.
struct Ziggurat {
  static constexpr int kLayers = 256;
  static constexpr double kR = 3.6541528853610088;  // start of the tail
  static constexpr double kV = 0.00492867323399;    // area of each layer
  double x[kLayers + 1];
  double f[kLayers + 1];
  double x_scaled[kLayers];  // x[k]·2⁻⁵³ (exact): a 53-bit integer times it is unit_interval·x[k]
  static constexpr double kSigns[2] = {1.0, -1.0};
  Ziggurat();
  /// The one table (constant after its thread-safe initialisation; not a random engine).
  static const Ziggurat& table() {
    static const Ziggurat kTable;
    return kTable;
  }
};

/// A uniform double in [0, 1) from the top 53 bits of a 64-bit word.
inline double unit_interval(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

/// What ziggurat_edge returns: the variate, and the source after the words it drew.
template <typename Source>
struct ZigguratEdge {
  double value;
  Source source;
};
template <typename Source>
ZigguratEdge<Source> ziggurat_edge(Source source, int layer, double sign, double x);

/// Standard normal variate from a source of 64-bit words (`next_u64()`, `uniform()`): the
/// ziggurat method of Marsaglia and Tsang (2000, J. Stat. Softw. 5(8)) with 256 layers, one
/// 64-bit draw in about 99% of calls; layer, sign and abscissa come from disjoint bits of it.
/// The common case is inline; the rest is ziggurat_edge, which takes the source by value and
/// hands it back: the source's address never escapes, so a FastStream's state stays in a
/// register across a loop of draws instead of a store and a load per variate.
/// `z` is Ziggurat::table(), which a source drawing many variates may hold (FastStream does).
template <typename Source>
inline double ziggurat_normal(Source& source, const Ziggurat& z) {
  const std::uint64_t bits = source.next_u64();
  const std::uint64_t layer = bits & 0xFF;
  // unit_interval(bits) · x[layer], the 2⁻⁵³ folded into the table: the same product, since
  // scaling by a power of two is exact.
  const double x = static_cast<double>(bits >> 11) * z.x_scaled[layer];
  // Inside the layer's rectangle; the sign from bit 8, by a multiplication by ±1 (exact, no
  // branch: a predictor misses a random sign half the time).
  if (x < z.x[layer + 1]) return x * Ziggurat::kSigns[(bits >> 8) & 1];
  const ZigguratEdge<Source> edge =
      ziggurat_edge(source, static_cast<int>(layer), Ziggurat::kSigns[(bits >> 8) & 1], x);
  source = edge.source;
  return edge.value;
}
template <typename Source>
inline double ziggurat_normal(Source& source) {
  return ziggurat_normal(source, Ziggurat::table());
}

/// The rare rest of ziggurat_normal: the wedge of `layer` at x, or the tail, or a fresh draw.
template <typename Source>
__attribute__((noinline)) ZigguratEdge<Source> ziggurat_edge(Source source, int layer, double sign, double x) {
  const Ziggurat& z = Ziggurat::table();
  if (layer == 0) {
    // The tail beyond r (Marsaglia 1964): exponential proposals, accepted under the curve.
    double a, b;
    do {
      a = -std::log1p(-source.uniform()) / Ziggurat::kR;
      b = -std::log1p(-source.uniform());
    } while (2.0 * b < a * a);
    return {sign * (Ziggurat::kR + a), source};
  }
  // The wedge between the layer's rectangle and the curve.
  if (z.f[layer] + source.uniform() * (z.f[layer + 1] - z.f[layer]) < std::exp(-0.5 * x * x))
    return {sign * x, source};
  const double again = source.normal();
  return {again, source};
}

/// A fast stream of 64-bit words for many variates at once (the alignment model's policy
/// noise: thousands of normal variates per tick): SplitMix64 (Steele, Lea and Flood 2014,
/// "Fast splittable pseudorandom number generators"), word k = mix(seed + k·γ). It is
/// counter-based like Philox, but a word costs a few instructions instead of a quarter of ten
/// Philox rounds. Its seed comes from a RandomStream (RandomStream::fast()), so it is keyed by
/// (seed, run, tick, agent) like every other number of a run.
class FastStream {
 public:
  explicit FastStream(std::uint64_t seed) : state_(seed), table_(&Ziggurat::table()) {}
  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return unit_interval(next_u64()); }
  double normal() { return ziggurat_normal(*this, *table_); }

 private:
  std::uint64_t state_;
  const Ziggurat* table_;  // held, so that a loop of draws does not check the table's guard each time
};

/// One independent stream of random numbers for (seed, run, tick, agent).
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint32_t run, std::uint32_t tick, std::uint32_t agent)
      : key_{seed, 0}, run_(run), tick_(tick), agent_(agent) {}

  /// Next 64 uniformly distributed bits (a quarter of one Philox block).
  std::uint64_t next_u64() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  /// Next 32 uniformly distributed bits (the high half of the next 64).
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return unit_interval(next_u64()); }

  /// Standard normal variate (ziggurat_normal over this stream's words).
  double normal() { return ziggurat_normal(*this); }

  /// A FastStream seeded by this stream's next word: for many variates at once.
  FastStream fast() { return FastStream(next_u64()); }

  /// Uniform integer in [0, n), n > 0 (Lemire's unbiased method).
  std::uint32_t below(std::uint32_t n);

 private:
  void refill() {
    block_ = philox4x64({run_, tick_, agent_, draw_++}, key_);
    used_ = 0;
  }

  std::array<std::uint64_t, 2> key_;
  std::uint64_t run_, tick_, agent_;
  std::uint64_t draw_ = 0;  // fourth counter word: the block index within this stream
  std::array<std::uint64_t, 4> block_{};
  int used_ = 4;
};

/// Mixes a master seed and a run index into a run seed (SplitMix64 finaliser), never the clock.
std::uint64_t derive_seed(std::uint64_t master_seed, std::uint64_t run_index);

}  // namespace alignsim
