#include "app/cli/blend_flag.h"

#include <cstdio>
#include <stdexcept>

namespace fieldscope {

std::optional<BlendFlag> parseBlendFlag(const std::string& text) {
  if (text.empty()) return std::nullopt;
  unsigned long long b = 0;
  double t = -1;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%llu,%lf%c", &b, &t, &extra) != 2 || !(t >= 0 && t <= 1))
    throw std::runtime_error("--blend '" + text + "': expected SEED_B,T with T in [0, 1]");
  return BlendFlag{b, t};
}

}  // namespace fieldscope
