#include "model/video_data/clip_painting.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fieldscope {
namespace {

void paint(FloatFrame& frame, const Rgb& a, const Rgb& b, auto&& where) {
  const int n = frame.size;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const double s = std::clamp(where((x + 0.5) / n, (y + 0.5) / n), 0.0, 1.0);
      double* p = &frame.rgb[(static_cast<std::size_t>(y) * n + x) * 3];
      for (int c = 0; c < 3; ++c) p[c] = a[c] + (b[c] - a[c]) * s;
    }
}

// Premultiplied RGBA of `level` at continuous texel coordinates (u, v) (texel centres at +0.5),
// transparent outside.
std::array<double, 4> bilinear(const SpriteLevel& level, double u, double v) {
  const double fx = u - 0.5, fy = v - 0.5;
  const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
  const double tx = fx - x0, ty = fy - y0;
  std::array<double, 4> out{0, 0, 0, 0};
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 2; ++i) {
      const int x = x0 + i, y = y0 + j;
      if (x < 0 || y < 0 || x >= level.side || y >= level.side) continue;
      const double w = (i ? tx : 1 - tx) * (j ? ty : 1 - ty);
      const std::uint8_t* t = &level.rgba[(static_cast<std::size_t>(y) * level.side + x) * 4];
      for (int c = 0; c < 4; ++c) out[c] += w * t[c];
    }
  for (double& channel : out) channel /= 255;
  return out;
}

}  // namespace

void paintLinearGradient(FloatFrame& frame, const Rgb& a, const Rgb& b, double angle) {
  const double dx = std::cos(angle), dy = std::sin(angle);
  paint(frame, a, b, [&](double x, double y) { return 0.5 + (x - 0.5) * dx + (y - 0.5) * dy; });
}

void paintRadialGradient(FloatFrame& frame, const Rgb& a, const Rgb& b, double cx, double cy, double radius) {
  paint(frame, a, b, [&](double x, double y) { return std::hypot(x - cx, y - cy) / radius; });
}

ColourMatrix hueBrightnessMatrix(double radians, double brightness) {
  // Rodrigues' rotation about the unit grey axis (1, 1, 1) / sqrt(3).
  const double c = std::cos(radians), s = std::sin(radians) / std::numbers::sqrt3, k = (1 - c) / 3;
  const ColourMatrix m{c + k, k - s, k + s,  //
                       k + s, c + k, k - s,  //
                       k - s, k + s, c + k};
  ColourMatrix out;
  for (int i = 0; i < 9; ++i) out[i] = m[i] * brightness;
  return out;
}

void drawSprite(FloatFrame& frame, const Sprite& sprite, double cx, double cy, double side, double angle,
                const ColourMatrix& colour) {
  const int n = frame.size;
  const double pixels = side * n;  // the sprite's width on screen
  if (pixels <= 0) return;
  const SpriteLevel& level = sprite.levelFor(pixels);
  const double toTexel = level.side / pixels;  // texels per screen pixel
  const double cosA = std::cos(angle), sinA = std::sin(angle);
  const double centreX = cx * n, centreY = cy * n, reach = pixels * std::numbers::sqrt2 / 2 + 1;
  const int xLo = std::max(0, static_cast<int>(std::floor(centreX - reach)));
  const int xHi = std::min(n - 1, static_cast<int>(std::ceil(centreX + reach)));
  const int yLo = std::max(0, static_cast<int>(std::floor(centreY - reach)));
  const int yHi = std::min(n - 1, static_cast<int>(std::ceil(centreY + reach)));
  for (int y = yLo; y <= yHi; ++y)
    for (int x = xLo; x <= xHi; ++x) {
      // Screen offset from the centre, turned back by -angle, in texels from the level's centre.
      const double dx = x + 0.5 - centreX, dy = y + 0.5 - centreY;
      const double u = (cosA * dx + sinA * dy) * toTexel + level.side / 2.0;
      const double v = (-sinA * dx + cosA * dy) * toTexel + level.side / 2.0;
      const std::array<double, 4> s = bilinear(level, u, v);
      if (s[3] <= 0) continue;
      double* p = &frame.rgb[(static_cast<std::size_t>(y) * n + x) * 3];
      for (int c = 0; c < 3; ++c) {
        const double tinted = colour[c * 3] * s[0] + colour[c * 3 + 1] * s[1] + colour[c * 3 + 2] * s[2];
        p[c] = std::clamp(tinted, 0.0, s[3]) + p[c] * (1 - s[3]);  // premultiplied: colour <= alpha
      }
    }
}

Rgb hsvToRgb(double hue, double saturation, double value) {
  const double h = std::fmod(std::fmod(hue / (2 * std::numbers::pi), 1.0) + 1.0, 1.0) * 6;
  const int sector = std::min(5, static_cast<int>(h));
  const double f = h - sector, p = value * (1 - saturation), q = value * (1 - saturation * f),
               t = value * (1 - saturation * (1 - f));
  switch (sector) {
    case 0: return {value, t, p};
    case 1: return {q, value, p};
    case 2: return {p, value, t};
    case 3: return {p, q, value};
    case 4: return {t, p, value};
    default: return {value, p, q};
  }
}

}  // namespace fieldscope
