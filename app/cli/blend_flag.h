#pragma once
// `sample --blend SEED_B,T` (shape, video): the sample at t of the way from --seed to SEED_B.
#include <cstdint>
#include <optional>
#include <string>

namespace fieldscope {

struct BlendFlag {
  uint64_t seedB = 0;
  double t = 0;
};

// Empty text: none. Throws naming the flag unless SEED_B,T with T in [0, 1].
std::optional<BlendFlag> parseBlendFlag(const std::string& text);

}  // namespace fieldscope
