#pragma once
// A synthetic density + colour grid for the volume marcher's tests (n^3 x (sigma, r, g, b),
// [z][y][x][c], voxel centres -h + (k + 0.5) 2h / n): two soft coloured spheres and a cube,
// densities exactly 0 away from them (so the skipping has empty cells), one colour channel
// over 1 and a corner of negative densities (both clamped by the marcher). And the PSNR the
// tests compare pictures with.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace fieldscope::testing {

inline std::vector<float> analyticVolume(int n, float h) {
  std::vector<float> v(size_t(n) * n * n * 4, 0.0f);
  struct Ball {
    float cx, cy, cz, r, sigma, red, green, blue;
  };
  const Ball balls[2] = {{-0.5f, 0.1f, 0.0f, 0.8f, 9.0f, 0.95f, 0.3f, 0.2f},
                         {0.6f, -0.25f, 0.3f, 0.6f, 14.0f, 0.2f, 0.45f, 1.2f}};
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const float px = -h + (x + 0.5f) * 2 * h / n, py = -h + (y + 0.5f) * 2 * h / n,
                    pz = -h + (z + 0.5f) * 2 * h / n;
        float sigma = 0, r = 0, g = 0, b = 0;
        for (const Ball& s : balls) {
          const float d = std::sqrt((px - s.cx) * (px - s.cx) + (py - s.cy) * (py - s.cy) + (pz - s.cz) * (pz - s.cz));
          const float w = std::clamp(1.0f - d / s.r, 0.0f, 1.0f);  // soft: 1 at the centre, 0 at the rim
          const float ds = s.sigma * w * w;
          sigma += ds;
          r += ds * s.red;
          g += ds * s.green;
          b += ds * s.blue;
        }
        // A cube of half side 0.4 at (0, 0.75, -0.6), softened over 0.1.
        const float q = std::max({std::abs(px), std::abs(py - 0.75f), std::abs(pz + 0.6f)});
        const float cube = 5.0f * std::clamp((0.4f - q) / 0.1f + 0.5f, 0.0f, 1.0f);
        sigma += cube;
        r += cube * 0.3f;
        g += cube * 0.9f;
        b += cube * 0.35f;
        float* out = &v[((size_t(z) * n + y) * n + x) * 4];
        if (sigma > 0) {
          out[0] = sigma;
          out[1] = r / sigma;
          out[2] = g / sigma;
          out[3] = b / sigma;
        }
        if (px > 1.2f && py > 1.2f && pz > 1.2f) out[0] = -3.0f;  // negative: clamped to 0
      }
  return v;
}

// PSNR of the RGB channels of two RGBA8 pictures of the same size (infinity when equal).
inline double psnrRgb(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  double sum = 0;
  size_t count = 0;
  for (size_t i = 0; i + 3 < std::min(a.size(), b.size()); i += 4)
    for (int k = 0; k < 3; ++k, ++count) {
      const double d = double(a[i + k]) - double(b[i + k]);
      sum += d * d;
    }
  if (sum == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / (sum / double(count)));
}

// The largest difference of any channel between two pictures.
inline int maxChannelDifference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  int m = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) m = std::max(m, std::abs(int(a[i]) - int(b[i])));
  return m;
}

// Pixels whose RGB differs from the background's.
inline int pixelsNotBackground(const std::vector<uint8_t>& img, const uint8_t bg[3]) {
  int c = 0;
  for (size_t i = 0; i + 3 < img.size(); i += 4) c += img[i] != bg[0] || img[i + 1] != bg[1] || img[i + 2] != bg[2];
  return c;
}

}  // namespace fieldscope::testing
