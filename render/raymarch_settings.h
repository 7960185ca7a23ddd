#pragma once
// What the 3D view chooses about a ray-marched grid besides the camera: iso-level, step,
// clip plane, background and a studio light. raymarchUniforms() turns them, the camera and the
// grid's geometry into the shader's uniform block (shaders/raymarch_io.h), so that the GPU
// pass and the CPU reference in tests/vulkan/ are fed the very same numbers.
#include <array>
#include <optional>

#include <glm/vec3.hpp>
#include <glm/vec4.hpp>

#include "render/orbit_camera.h"
#include "shaders/raymarch_io.h"

namespace fieldscope {

// Lights fixed to the camera (a turntable studio: the lighting does not change as one orbits).
// Directions towards the lights, in the camera's (right, up, back-towards-the-viewer) axes.
struct StudioLight {
  glm::vec3 keyFromCamera{-0.45f, 0.6f, 0.65f};  // upper left, in front
  float keyIntensity = 0.75f;
  glm::vec3 fillFromCamera{0.7f, -0.1f, 0.5f};   // right, a little low
  float fillIntensity = 0.3f;
  float ambient = 0.15f;
  float specular = 0.25f;    // Blinn-Phong with the key light
  float shininess = 32.0f;
  glm::vec3 albedo{0.80f, 0.77f, 0.72f};
  glm::vec3 cutAlbedo{0.86f, 0.52f, 0.38f};  // faces the clip plane makes: warm, told apart at a glance
};

struct RaymarchSettings {
  float isoLevel = 0.0f;    // inside where field > isoLevel: 0 for logits, 0.5 for probabilities
  float stepVoxels = 0.5f;  // march step; the hit is refined by bisection anyway (the volume march: dt)
  int bisectionSteps = 8;   // step / 2^8: far below a pixel at any sensible zoom
  int maxIterations = 4096; // a bound on the march loop (steps + skipped cells; the volume march: samples) per ray
  bool skipEmptySpace = true;  // jump over coarse cells below the iso-level (off: for measuring it)
  // (n, d): points with dot(n, p) + d > 0 are removed (n is normalised here); the cut face is drawn.
  std::optional<glm::vec4> clipPlane;
  std::array<float, 4> background{0.08f, 0.08f, 0.09f, 1.0f};
  StudioLight light;
  int renderMode = RAYMARCH_MODE_SHADED;  // RAYMARCH_MODE_* (VOLUME_MODE_* for a density + colour grid)
};

// What a grid's voxels hold: one float32 (occupancy logits, a density: the iso-surface march,
// shaders/raymarch_grid.comp) or four, channels last (sigma, r, g, b: NeRF's density and
// colour, the emission-absorption march of render/volume_raymarcher.h).
enum class GridFormat { Scalar, DensityColour };
constexpr int gridChannels(GridFormat f) { return f == GridFormat::DensityColour ? 4 : 1; }

// The baked grid: n^3 float32 values at voxel centres -h + (k + 0.5) 2h / n along each axis,
// stored [z][y][x] (model/shape/occupancy_grid.h's layout), h = halfExtent.
struct RaymarchGridGeometry {
  int n = 0;
  float halfExtent = 0.5f;
  int coarseCells() const { return (n - 1) / RAYMARCH_SKIP_CELL + 1; }  // per axis
};

shaderio::RaymarchUniforms raymarchUniforms(const CameraFrame& camera, const RaymarchSettings& settings,
                                            const RaymarchGridGeometry& grid, int width, int height);

// The uniforms of a width x rows pass whose pixels are rows [row0, row0 + rows) of the
// width x height picture raymarchUniforms() describes: the same rays (an off-centre frustum
// folded into the camera terms the shader reads: forward, tan(fovY/2) and the aspect). Exports
// render large pictures in such bands; a reduced picture shown stretched over a viewport is
// the whole picture (row0 = 0, rows = height) with the viewport's aspect (`aspect` > 0).
shaderio::RaymarchUniforms raymarchUniformsForRows(const CameraFrame& camera, const RaymarchSettings& settings,
                                                   const RaymarchGridGeometry& grid, int width, int height, int row0,
                                                   int rows, float aspect = 0.0f);

}  // namespace fieldscope
