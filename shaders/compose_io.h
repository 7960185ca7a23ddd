#ifndef FIELDSCOPE_COMPOSE_IO_H
#define FIELDSCOPE_COMPOSE_IO_H
// The compositor's uniform block (std140, binding 3 of compose.comp), declared once for
// GLSL and C++ (render/compositor.cpp).
#include "shader_io.h"

SHADERIO_BEGIN

#define COMPOSE_MAX_TABLE_ENTRIES 512
#define COMPOSE_PIXELS_PER_INVOCATION 8  // along x, 16 apart (compose.comp)

struct ComposeUniforms {
  ivec4 sizeInfo;   // viewport W, H, tile size T, table width
  ivec4 tableInfo;  // table height, exact rows ready, exact row stride (pixels), flags (1 = nearest, 2 = write BGRA)
  vec4 view;        // origin x, y (target-level tile units, relative to the table's first tile), pixel size in tile units, unused
  uvec4 background; // x: packed RGBA8 colour where nothing is decoded yet
  ivec4 entries[COMPOSE_MAX_TABLE_ENTRIES];  // slot (-1 = none), levelDelta, sub-tile x, sub-tile y
};

SHADERIO_END

#ifdef __cplusplus
// std140 offsets of the block as glslc lays it out (16-byte members, no padding).
static_assert(offsetof(fieldscope::shaderio::ComposeUniforms, sizeInfo) == 0);
static_assert(offsetof(fieldscope::shaderio::ComposeUniforms, tableInfo) == 16);
static_assert(offsetof(fieldscope::shaderio::ComposeUniforms, view) == 32);
static_assert(offsetof(fieldscope::shaderio::ComposeUniforms, background) == 48);
static_assert(offsetof(fieldscope::shaderio::ComposeUniforms, entries) == 64);
static_assert(sizeof(fieldscope::shaderio::ComposeUniforms) == 64 + 16 * COMPOSE_MAX_TABLE_ENTRIES);
#endif

#endif
