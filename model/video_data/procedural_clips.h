#pragma once
// Procedural training clips (docs/architecture.md "Data", "Video clips"; DESIGN.md §5.3): 1-3
// colour emoji sprites that move, turn, grow or shrink and change hue and brightness over a
// linear or radial gradient whose colours drift.
//
// A clip is a recipe of smooth functions of the clip time t in [0, 1] (frame k of T at
// t = k / (T - 1)): position = start + velocity t + amplitude sin(2 pi (cycles t) + phase),
// angle and hue linear in t, size exponential in t, brightness linear. So any t renders, and a time
// between two frames is the picture between them (what a video field is asked for).
//
// Clip i of seed S is drawn from its own random stream (ShapeRandom::streamSeed, bit-reproducible
// with any compiler), so it is the same in a set of any size and with any thread count.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/video_data/clip.h"
#include "model/video_data/clip_painting.h"
#include "model/video_data/sprite_library.h"

namespace fieldscope {

struct SpriteTrack {
  int glyph = 0;
  double x0 = 0.5, y0 = 0.5;           // centre at t = 0 (frame units)
  double vx = 0, vy = 0;               // drift over the whole clip
  double wobble = 0, cycles = 0;       // sinusoid amplitude (frame units), cycles per clip
  double phaseX = 0, phaseY = 0;
  double size0 = 0.3, growth = 1;      // width at t = 0 (frame units); width(t) = size0 growth^t
  double angle0 = 0, spin = 0;         // radians; radians over the clip
  double hueShift = 0;                 // hue rotation at t = 1 (radians)
  double brightness0 = 1, brightness1 = 1;
};

struct BackgroundTrack {
  bool radial = false;
  double hueA = 0, hueB = 0, saturationA = 0.5, saturationB = 0.5, valueA = 0.5, valueB = 0.5;
  double hueDrift = 0;                 // both colours' hue change over the clip (radians)
  double angle0 = 0, turn = 0;         // linear: direction at t = 0, change over the clip
  double cx = 0.5, cy = 0.5, vx = 0, vy = 0, radius = 0.7;  // radial: centre, its drift, radius
};

struct ClipRecipe {
  BackgroundTrack background;
  std::vector<SpriteTrack> sprites;  // back to front
};

// Draws clip `index` of `seed`; glyphs are drawn until a usable one comes up (so `sprites`
// decides which glyph indices exist). Throws std::runtime_error if the font has hardly any.
ClipRecipe drawClipRecipe(std::uint64_t seed, std::uint64_t index, SpriteLibrary& sprites);

// The picture at clip time t (any real t; [0, 1] is the clip), size x size.
FloatFrame renderClipFrame(const ClipRecipe& recipe, double t, int size, SpriteLibrary& sprites);

// T frames at t = k / (T - 1) (t = 0 when T = 1), rounded to RGB8.
Clip renderClip(const ClipRecipe& recipe, int frames, int size, SpriteLibrary& sprites);

// The widest a sprite of a size x size clip is drawn, in pixels (for SpriteLibrary's maxPixels).
double maxSpritePixels(int size);

// What the manifest says about a clip: background kind, glyphs.
nlohmann::ordered_json describeRecipe(const ClipRecipe& recipe);

}  // namespace fieldscope
