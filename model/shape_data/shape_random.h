#pragma once
// The random numbers of the shape data set, reproducible bit for bit: the same seed gives the same
// shapes and points with any compiler. std::mt19937_64 is specified exactly by the standard, but the
// standard distributions (uniform_real_distribution, normal_distribution) are not, so the
// conversions to doubles and the Gaussian are written here.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace fieldscope {

class ShapeRandom {
 public:
  explicit ShapeRandom(std::uint64_t seed) : engine_(seed) {}

  // An independent stream for item `index` of run `seed` (splitmix64 finaliser: nearby seeds and
  // indices give unrelated streams, so shape 7 is the same whatever the count or thread order).
  static std::uint64_t streamSeed(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + index + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  std::uint64_t bits() { return engine_(); }
  // [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // An integer in [lo, hi] (hi - lo small: the modulo bias of 64 random bits is negligible).
  int integer(int lo, int hi) { return lo + static_cast<int>(engine_() % static_cast<std::uint64_t>(hi - lo + 1)); }
  bool chance(double p) { return uniform() < p; }
  // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    const double u = 1.0 - uniform();  // (0, 1]: log(u) is finite
    const double v = uniform();
    const double r = std::sqrt(-2.0 * std::log(u));
    spare_ = r * std::sin(2 * std::numbers::pi * v);
    hasSpare_ = true;
    return r * std::cos(2 * std::numbers::pi * v);
  }

 private:
  std::mt19937_64 engine_;
  bool hasSpare_ = false;
  double spare_ = 0;
};

}  // namespace fieldscope
