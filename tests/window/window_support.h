#pragma once
// Shared by the window tests: a private temp folder, the environment every run gets
// (validation on, a private XDG_CONFIG_HOME so a developer's session never leaks in) and
// the shipped model.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "model/io/png_file.h"
#include "../temp_root.h"

namespace fieldscope::testing {

inline std::filesystem::path tempDir(const std::string& name) {
  return test::freshTempSubdir("fieldscope-window", name);
}

inline std::string envWithConfig(const std::filesystem::path& configHome) {
  return "FIELDSCOPE_VALIDATION=1 XDG_CONFIG_HOME='" + configHome.string() + "'";
}

inline std::filesystem::path shippedModel() { return FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm"; }

inline std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Pixels of two pictures whose RGB differ by more than 8 in a channel.
inline int differingPixels(const Rgba8Image& a, const Rgba8Image& b) {
  int n = 0;
  for (size_t i = 0; i + 3 < std::min(a.pixels.size(), b.pixels.size()); i += 4)
    for (int c = 0; c < 3; ++c)
      if (std::abs(int(a.pixels[i + c]) - int(b.pixels[i + c])) > 8) {
        ++n;
        break;
      }
  return n;
}

// PSNR (dB) of two same-sized pictures over their RGB; infinity when equal, 0 for other sizes.
inline double psnrRgb(const Rgba8Image& a, const Rgba8Image& b) {
  if (a.width != b.width || a.height != b.height || a.pixels.size() != b.pixels.size()) return 0;
  double se = 0;
  size_t n = 0;
  for (size_t i = 0; i + 3 < a.pixels.size(); i += 4)
    for (int c = 0; c < 3; ++c, ++n) {
      const double d = double(a.pixels[i + c]) - double(b.pixels[i + c]);
      se += d * d;
    }
  if (se == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / (se / double(n)));
}

}  // namespace fieldscope::testing
