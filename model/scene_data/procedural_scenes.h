#pragma once
// Procedural NeRF scenes (docs/architecture.md "Data", "NeRF scenes"): 2-5 coloured primitives
// (sphere, box, cylinder, torus) with distinct saturated colours, sizes, rotations and positions
// drawn from a seed, each inside [-0.9, 0.9]^3 (a margin in the unit cube [-1, 1]^3), clustered
// loosely around the origin. Rendered like the Blender lego set: a pinhole view of a transparent
// background (alpha = coverage), Lambert shading under a fixed world-space key light plus ambient
// (the colour does not depend on the view), supersampled. Scene i of seed S is the same in a set
// of any size and on any machine (model/shape_data/shape_random.h).
#include <cstdint>
#include <string>
#include <vector>

#include "model/scene_data/ray_caster.h"

namespace fieldscope {

struct ScenePrimitive {
  Primitive shape;
  Vec3 colour;  // RGB in [0, 1]
};

struct ProceduralScene {
  std::vector<ScenePrimitive> primitives;
};

ProceduralScene drawProceduralScene(std::uint64_t seed, std::uint64_t index);

// "sphere", "box", "cylinder", "torus".
const char* primitiveKindName(PrimitiveKind kind);

struct SceneRenderOptions {
  int width = 64, height = 64;
  int supersample = 2;  // n x n rays a pixel
};

// RGBA8, width * height * 4, top row first; colour straight (not premultiplied) alpha.
std::vector<std::uint8_t> renderProceduralView(const ProceduralScene& scene, const Matrix4& cameraToWorld,
                                               float cameraAngleX, const SceneRenderOptions& options);

// The light: world direction towards it (unit), and the ambient share.
Vec3 sceneLightDirection();
inline constexpr double kSceneAmbient = 0.3;

}  // namespace fieldscope
