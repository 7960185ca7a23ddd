#pragma once
// PatternSource: a known integer pattern, written by torch, for the round-trip self-test
// (torch -> SharedTensor -> Vulkan -> read-back). Each decoded pixel gets the value of the
// global texel it falls in (texel = floor(x / pixel size)), so a 1:1 aligned view shows
// exactly patternTexel(...) of the texel under each screen pixel.
#include <array>
#include <cstdint>
#include <memory>

#include "app/gui/field_source.h"

namespace fieldscope {
// Plain-C++ reference of the pattern (independent of the torch implementation).
std::array<uint8_t, 4> patternTexel(int64_t tx, int64_t ty);
std::shared_ptr<FieldSource> makePatternSource();
}  // namespace fieldscope

namespace fieldscope {
class View2D;
// A view whose screen pixel (i, j) shows exactly level-0 texel (tx0 + j, ty0 + i).
View2D alignedPatternView(int width, int height, int64_t tx0, int64_t ty0);
// Pixels of an RGBA8 image (rows strideBytes apart) that differ from the pattern.
int64_t countPatternMismatches(const uint8_t* rgba, int width, int height, int64_t strideBytes, int64_t tx0,
                               int64_t ty0);
}  // namespace fieldscope
