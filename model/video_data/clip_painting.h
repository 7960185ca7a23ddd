#pragma once
// Painting one frame of a procedural clip, in floats (RGB in [0, 1], size*size*3, top row first):
// gradient backgrounds and sprites composited over them. Positions are in frame units: (0, 0) is
// the top-left corner, (1, 1) the bottom-right; pixel (x, y) is sampled at its centre.
#include <array>
#include <vector>

#include "model/video_data/sprite_library.h"

namespace fieldscope {

using Rgb = std::array<double, 3>;
using ColourMatrix = std::array<double, 9>;  // row-major 3x3, applied to (premultiplied) RGB

struct FloatFrame {
  int size = 0;
  std::vector<double> rgb;  // size*size*3
  explicit FloatFrame(int side) : size(side), rgb(static_cast<std::size_t>(side) * side * 3, 0.0) {}
};

// Linear gradient: colour a where the direction (cos angle, sin angle) through the centre says
// -0.5, colour b at +0.5.
void paintLinearGradient(FloatFrame& frame, const Rgb& a, const Rgb& b, double angle);
// Radial gradient: colour a at `centre`, b from `radius` outwards.
void paintRadialGradient(FloatFrame& frame, const Rgb& a, const Rgb& b, double cx, double cy, double radius);

// A hue rotation by `radians` about the grey axis, times `brightness` (both linear in RGB, so
// they apply to premultiplied colours and commute with the bilinear lookup).
ColourMatrix hueBrightnessMatrix(double radians, double brightness);

// Draws `sprite` centred at (cx, cy), `side` frame units wide, turned by `angle` radians
// (clockwise on screen), its colours through `colour`: bilinear lookup in the right pyramid
// level, premultiplied "over" compositing.
void drawSprite(FloatFrame& frame, const Sprite& sprite, double cx, double cy, double side, double angle,
                const ColourMatrix& colour);

// HSV (hue in radians, saturation and value in [0, 1]) to RGB.
Rgb hsvToRgb(double hue, double saturation, double value);

}  // namespace fieldscope
