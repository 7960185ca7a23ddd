#pragma once
// One picture of a NeRF scene from a camera (docs/architecture.md "The NeRF domain"): rendered
// through the MLP (the field itself, `exact`) or from a baked density + colour grid marched like
// the viewer's shader (`baked`, model/nerf/grid_volume_render.h), in bands of rows so progress
// and cancel work at any size. Modes: colour over the background, depth (near = light), opacity.
#include <torch/types.h>

#include <array>
#include <functional>
#include <optional>
#include <string>

#include "model/io/png_file.h"
#include "model/nerf/nerf_field.h"
#include "model/util/work_progress.h"

namespace fieldscope {

enum class NerfRenderMode { Colour, Depth, Opacity };
// "colour" (or "color"), "depth", "opacity"; throws naming the option.
NerfRenderMode parseNerfRenderMode(const std::string& text);

struct NerfPictureSource {
  const NerfField* field = nullptr;  // exact: through the MLP
  torch::Tensor grid;                // baked: (n, n, n, 4) in the scene's world axes, over the field's box
  double stepVoxels = 0.5;
};

// nullopt when `cancelled` said so between bands.
std::optional<Rgba8Image> renderNerfPicture(const NerfPictureSource& source, const RayCamera& camera, int width, int height,
                                            NerfRenderMode mode, const std::array<float, 3>& background,
                                            const std::function<bool()>& cancelled = {}, const WorkProgress& progress = {});

}  // namespace fieldscope
