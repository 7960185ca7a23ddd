#include "model/video_data/procedural_clips.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "model/shape_data/shape_random.h"

namespace fieldscope {
namespace {

constexpr double kTau = 2 * std::numbers::pi;
constexpr int kGlyphDraws = 200;
constexpr double kMaxSize0 = 0.5, kMaxGrowthLog = 0.5;  // the largest sprite: 0.5 S at t = 0, grown by e^0.5  // Noto Color Emoji: ~99% of glyphs are usable

int drawGlyph(ShapeRandom& random, SpriteLibrary& sprites) {
  for (int i = 0; i < kGlyphDraws; ++i) {
    const int glyph = random.integer(0, sprites.glyphCount() - 1);
    if (sprites.get(glyph)) return glyph;
  }
  throw std::runtime_error("the emoji font has too few colour glyphs for sprites (is it Noto Color Emoji?)");
}

SpriteTrack drawSpriteTrack(ShapeRandom& r, SpriteLibrary& sprites, int count) {
  SpriteTrack s;
  s.glyph = drawGlyph(r, sprites);
  // Start and end inside the frame's middle, so a sprite is seen for most of the clip.
  s.x0 = r.uniform(0.2, 0.8);
  s.y0 = r.uniform(0.2, 0.8);
  s.vx = r.uniform(0.2, 0.8) - s.x0;
  s.vy = r.uniform(0.2, 0.8) - s.y0;
  s.wobble = r.uniform(0.0, 0.08);
  s.cycles = r.uniform(0.3, 1.5);
  s.phaseX = r.uniform(0, kTau);
  s.phaseY = r.uniform(0, kTau);
  const double big = count == 1 ? kMaxSize0 : count == 2 ? 0.42 : 0.36;  // fewer sprites, larger ones
  s.size0 = r.uniform(0.2, big);
  s.growth = std::exp(r.uniform(-kMaxGrowthLog, kMaxGrowthLog));
  s.angle0 = r.uniform(-0.6, 0.6);
  s.spin = r.uniform(-std::numbers::pi, std::numbers::pi);
  s.hueShift = r.chance(0.7) ? r.uniform(-std::numbers::pi, std::numbers::pi) : 0.0;
  s.brightness0 = r.uniform(0.75, 1.15);
  s.brightness1 = r.uniform(0.75, 1.15);
  return s;
}

BackgroundTrack drawBackground(ShapeRandom& r) {
  BackgroundTrack b;
  b.radial = r.chance(0.4);
  b.hueA = r.uniform(0, kTau);
  b.hueB = b.hueA + r.uniform(0.5, 2.5) * (r.chance(0.5) ? 1 : -1);
  b.saturationA = r.uniform(0.25, 0.8);
  b.saturationB = r.uniform(0.25, 0.8);
  b.valueA = r.uniform(0.35, 0.95);
  b.valueB = r.uniform(0.35, 0.95);
  b.hueDrift = r.uniform(-1.0, 1.0);
  b.angle0 = r.uniform(0, kTau);
  b.turn = r.uniform(-0.8, 0.8);
  b.cx = r.uniform(0.25, 0.75);
  b.cy = r.uniform(0.25, 0.75);
  b.vx = r.uniform(-0.2, 0.2);
  b.vy = r.uniform(-0.2, 0.2);
  b.radius = r.uniform(0.5, 0.9);
  return b;
}

std::uint8_t toByte(double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); }

}  // namespace

ClipRecipe drawClipRecipe(std::uint64_t seed, std::uint64_t index, SpriteLibrary& sprites) {
  ShapeRandom random(ShapeRandom::streamSeed(seed, index));
  ClipRecipe recipe;
  recipe.background = drawBackground(random);
  const int count = random.integer(1, 3);
  for (int i = 0; i < count; ++i) recipe.sprites.push_back(drawSpriteTrack(random, sprites, count));
  return recipe;
}

FloatFrame renderClipFrame(const ClipRecipe& recipe, double t, int size, SpriteLibrary& sprites) {
  FloatFrame frame(size);
  const BackgroundTrack& b = recipe.background;
  const Rgb a = hsvToRgb(b.hueA + b.hueDrift * t, b.saturationA, b.valueA);
  const Rgb c = hsvToRgb(b.hueB + b.hueDrift * t, b.saturationB, b.valueB);
  if (b.radial)
    paintRadialGradient(frame, a, c, b.cx + b.vx * t, b.cy + b.vy * t, b.radius);
  else
    paintLinearGradient(frame, a, c, b.angle0 + b.turn * t);
  for (const SpriteTrack& s : recipe.sprites) {
    const std::shared_ptr<const Sprite> sprite = sprites.get(s.glyph);
    if (!sprite) throw std::runtime_error("glyph " + std::to_string(s.glyph) + " of the emoji font is not a colour glyph");
    const double phase = kTau * s.cycles * t;
    const double x = s.x0 + s.vx * t + s.wobble * std::sin(phase + s.phaseX);
    const double y = s.y0 + s.vy * t + s.wobble * std::sin(phase + s.phaseY);
    const double brightness = s.brightness0 + (s.brightness1 - s.brightness0) * t;
    drawSprite(frame, *sprite, x, y, s.size0 * std::pow(s.growth, t), s.angle0 + s.spin * t,
               hueBrightnessMatrix(s.hueShift * t, brightness));
  }
  return frame;
}

Clip renderClip(const ClipRecipe& recipe, int frames, int size, SpriteLibrary& sprites) {
  Clip clip;
  clip.frames = frames;
  clip.size = size;
  clip.rgb.resize(static_cast<std::size_t>(frames) * clip.frameBytes());
  for (int k = 0; k < frames; ++k) {
    const double t = frames > 1 ? static_cast<double>(k) / (frames - 1) : 0.0;
    const FloatFrame frame = renderClipFrame(recipe, t, size, sprites);
    std::transform(frame.rgb.begin(), frame.rgb.end(), clip.frame(k), toByte);
  }
  return clip;
}

double maxSpritePixels(int size) { return kMaxSize0 * std::exp(kMaxGrowthLog) * size; }

nlohmann::ordered_json describeRecipe(const ClipRecipe& recipe) {
  nlohmann::ordered_json glyphs = nlohmann::ordered_json::array();
  for (const SpriteTrack& s : recipe.sprites) glyphs.push_back(s.glyph);
  return {{"background", recipe.background.radial ? "radial" : "linear"}, {"glyphs", std::move(glyphs)}};
}

}  // namespace fieldscope
