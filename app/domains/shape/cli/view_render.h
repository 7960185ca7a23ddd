#pragma once
// `fieldscope sample --model SHAPE.fsm -o view.png --camera AZ,EL,DIST`: the sample baked to a grid
// and ray-marched on the CPU (render/raymarch_cpu.h) with the viewer's camera, iso-level and studio
// light, written as a PNG (docs/architecture.md "The shape domain").
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/shape/shape_model.h"
#include "render/orbit_camera.h"

namespace fieldscope {

// The memory a view needs (the grid and the picture).
uint64_t shapeViewBytes(int n, int width, int height);

// Bakes `fields` at n^3 (refused with the numbers when it will not fit in memory), marches and
// writes `out` atomically. Ctrl-C cancels (nothing is written). Throws naming the file.
void renderShapeView(ShapeModel& model, const TriplaneFields& fields, int n, double iso, const OrbitCameraState& camera,
                     int width, int height, const std::filesystem::path& out, int threads);

}  // namespace fieldscope
