// Procedural clips: reproducible bytes, sprites that really move, motion continuous in time (a time
// between two frames renders between them), the painting primitives, and the shared glyph code.
#include <gtest/gtest.h>

#include <numbers>

#include "model/video_data/clip_painting.h"
#include "model/video_data/procedural_clips.h"
#include "tests/video_data/test_support.h"

namespace fieldscope {
namespace {

SpriteLibrary& library() {
  static SpriteLibrary sprites(kDefaultEmojiFont);
  return sprites;
}

Clip clipOf(std::uint64_t seed, std::uint64_t index, int frames = 16, int size = 48) {
  return renderClip(drawClipRecipe(seed, index, library()), frames, size, library());
}

TEST(ProceduralClips, SameSeedAndIndexGiveIdenticalBytes) {
  const Clip a = clipOf(7, 3), b = clipOf(7, 3);
  EXPECT_EQ(a.rgb.size(), 16u * 48 * 48 * 3);
  EXPECT_TRUE(a.rgb == b.rgb);
  EXPECT_FALSE(a.rgb == clipOf(8, 3).rgb);
  EXPECT_FALSE(a.rgb == clipOf(7, 4).rgb);
}

TEST(ProceduralClips, RecipesVary) {
  int radial = 0, sprites[4] = {0, 0, 0, 0};
  for (std::uint64_t i = 0; i < 60; ++i) {
    const ClipRecipe r = drawClipRecipe(1, i, library());
    radial += r.background.radial;
    ASSERT_GE(r.sprites.size(), 1u);
    ASSERT_LE(r.sprites.size(), 3u);
    ++sprites[r.sprites.size()];
    for (const SpriteTrack& s : r.sprites) EXPECT_TRUE(library().get(s.glyph)) << s.glyph;
  }
  EXPECT_GT(radial, 5);
  EXPECT_LT(radial, 55);
  EXPECT_GT(sprites[1], 5);
  EXPECT_GT(sprites[2], 5);
  EXPECT_GT(sprites[3], 5);
}

TEST(ProceduralClips, SpritesMoveContinuously) {
  for (std::uint64_t index = 0; index < 8; ++index) {
    const Clip clip = clipOf(0, index, 24);
    double nearSum = 0, farSum = 0;
    for (int k = 0; k < clip.frames; ++k) {
      if (k + 1 < clip.frames) EXPECT_GT(test::frameRms(clip, k, k + 1), 0.0) << "clip " << index << " frame " << k << " does not move";
      // Frame k is closer to its neighbours than to frames 8 away.
      const double near = k + 1 < clip.frames ? test::frameRms(clip, k, k + 1) : test::frameRms(clip, k, k - 1);
      const double far = k + 8 < clip.frames ? test::frameRms(clip, k, k + 8) : test::frameRms(clip, k, k - 8);
      EXPECT_LT(near, far) << "clip " << index << " frame " << k;
      nearSum += near;
      farSum += far;
    }
    EXPECT_LT(nearSum * 2, farSum) << "clip " << index;
  }
}

TEST(ProceduralClips, InBetweenTimesRenderBetweenFrames) {
  const ClipRecipe recipe = drawClipRecipe(3, 5, library());
  const int frames = 16, size = 48;
  const Clip clip = renderClip(recipe, frames, size, library());
  // t halfway between frames 6 and 7: nearer to both of them than to frames 4 or 9.
  const FloatFrame mid = renderClipFrame(recipe, 6.5 / (frames - 1), size, library());
  const auto distance = [&](int k) {
    double se = 0;
    for (std::size_t i = 0; i < mid.rgb.size(); ++i) {
      const double d = mid.rgb[i] * 255 - clip.frame(k)[i];
      se += d * d;
    }
    return std::sqrt(se / double(mid.rgb.size()));
  };
  EXPECT_LT(distance(6), distance(4));
  EXPECT_LT(distance(7), distance(9));
  EXPECT_LT(std::max(distance(6), distance(7)), std::min(distance(4), distance(9)));
  // And t = k / (T - 1) is frame k itself.
  const FloatFrame at7 = renderClipFrame(recipe, 7.0 / (frames - 1), size, library());
  for (std::size_t i = 0; i < at7.rgb.size(); ++i)
    ASSERT_EQ(std::lround(std::clamp(at7.rgb[i], 0.0, 1.0) * 255), clip.frame(7)[i]) << i;
}

TEST(ClipPainting, SpriteLandsWhereAndAsLargeAsAsked) {
  const std::shared_ptr<const Sprite> sprite = library().get(drawClipRecipe(0, 0, library()).sprites[0].glyph);
  ASSERT_TRUE(sprite);
  // On black, with an identity colour matrix, the covered area's centre is the sprite's centre
  // (emoji are roughly centred on their canvas) and the footprint fits its square.
  FloatFrame frame(64);
  drawSprite(frame, *sprite, 0.3, 0.6, 0.25, 0.0, hueBrightnessMatrix(0, 1));
  double sx = 0, sy = 0, sw = 0;
  int minX = 64, maxX = -1;
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      const double* p = &frame.rgb[(std::size_t(y) * 64 + x) * 3];
      const double w = p[0] + p[1] + p[2];
      if (w <= 0) continue;
      sx += w * (x + 0.5), sy += w * (y + 0.5), sw += w;
      minX = std::min(minX, x), maxX = std::max(maxX, x);
    }
  ASSERT_GT(sw, 0);
  EXPECT_NEAR(sx / sw / 64, 0.3, 0.05);
  EXPECT_NEAR(sy / sw / 64, 0.6, 0.05);
  EXPECT_GE(minX, int(64 * (0.3 - 0.125)) - 1);
  EXPECT_LE(maxX, int(64 * (0.3 + 0.125)) + 1);
}

TEST(ClipPainting, ColourMatrixAndGradients) {
  // A full turn of hue is the identity; a third of a turn maps red to green.
  const ColourMatrix full = hueBrightnessMatrix(2 * std::numbers::pi, 1), third = hueBrightnessMatrix(2 * std::numbers::pi / 3, 0.5);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(full[i], i % 4 == 0 ? 1.0 : 0.0, 1e-12);
  EXPECT_NEAR(third[0], 0, 1e-12);  // red -> (third[0], third[3], third[6])
  EXPECT_NEAR(third[3], 0.5, 1e-12);
  EXPECT_NEAR(third[6], 0, 1e-12);
  const Rgb red = hsvToRgb(0, 1, 1), green = hsvToRgb(2 * std::numbers::pi / 3, 1, 1);
  EXPECT_EQ(red, (Rgb{1, 0, 0}));
  EXPECT_NEAR(green[1], 1, 1e-12);
  FloatFrame f(32);
  paintLinearGradient(f, {0, 0, 0}, {1, 1, 1}, 0);  // black on the left, white on the right
  EXPECT_LT(f.rgb[(16 * 32 + 0) * 3], 0.05);
  EXPECT_GT(f.rgb[(16 * 32 + 31) * 3], 0.95);
  paintRadialGradient(f, {1, 0, 0}, {0, 0, 1}, 0.5, 0.5, 0.5);
  EXPECT_GT(f.rgb[(16 * 32 + 16) * 3], 0.95);
  EXPECT_GT(f.rgb[2], 0.99);  // a corner is past the radius
}

TEST(EmojiGlyphs, GlyphCanvasAndBoxFilter) {
  EmojiGlyphs glyphs(kDefaultEmojiFont);
  EXPECT_GT(glyphs.count(), 1000);
  const std::optional<GlyphCanvas> canvas = glyphs.render(drawClipRecipe(0, 0, library()).sprites[0].glyph);
  ASSERT_TRUE(canvas);
  EXPECT_EQ(canvas->rgba.size(), std::size_t(canvas->side) * canvas->side * 4);
  // The box filter keeps the mean of premultiplied colour and alpha.
  const std::vector<double> small = boxResizePremultiplied(canvas->rgba, canvas->side, 17);
  double meanBig = 0, meanSmall = 0;
  for (std::size_t i = 3; i < canvas->rgba.size(); i += 4) meanBig += canvas->rgba[i];
  for (std::size_t i = 3; i < small.size(); i += 4) meanSmall += small[i];
  EXPECT_NEAR(meanBig / (canvas->rgba.size() / 4), meanSmall / (small.size() / 4), 1e-3);
  EXPECT_THROW(EmojiGlyphs("/nonexistent/font.ttf"), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
