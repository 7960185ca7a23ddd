#pragma once
// One picture of a NeRF scene from a camera (docs/architecture.md "The NeRF domain"): rendered
// through the MLP (the field itself, `exact`) or from a baked density + colour grid marched as
// the viewer's shader marches it (`baked`: render/volume_march_cpu.h, the shader's CPU twin,
// with its empty-space skipping), in bands of rows so progress and cancel work at any size.
// Modes: colour over the background, depth (near = light), opacity. Cameras are the 3D view's
// (+Y up; nerf_camera.h turns them into the scene's rays).
#include <torch/types.h>

#include <algorithm>
#include <array>
#include <memory>
#include <functional>
#include <optional>
#include <string>

#include "model/io/png_file.h"
#include "model/nerf/nerf_field.h"
#include "model/util/work_progress.h"
#include "render/orbit_camera.h"

namespace fieldscope {

enum class NerfRenderMode { Colour, Depth, Opacity };
// "colour" (or "color"), "depth", "opacity"; throws naming the option.
NerfRenderMode parseNerfRenderMode(const std::string& text);

struct NerfPictureSource {
  const NerfField* field = nullptr;  // exact: through the MLP
  torch::Tensor grid;                // baked: (n, n, n, 4) in the view's axes (bakeVolume's yUp), over the field's box
  double stepVoxels = 0.5;
};

// The baked source: the field's grid at n^3 in the view's axes, the colour for the view
// direction (0, 0, -1). Empty when `cancelled` said so.
torch::Tensor bakeForPictures(const NerfField& field, int n, const std::function<bool()>& cancelled = {},
                              const WorkProgress& progress = {});

// The exact picture one band of rows at a time, through the MLP: renderNerfPicture's exact
// path, and the viewer's exact still frame (NerfView), which shows the bands as they finish.
class NerfExactRows {
 public:
  NerfExactRows(const NerfField& field, const CameraFrame& camera, int width, int height, NerfRenderMode mode,
                const std::array<float, 3>& background);
  ~NerfExactRows();
  // Rows [row0, row0 + rows) as RGBA8 (alpha 255), rows * width * 4 bytes at `out`.
  void render(int row0, int rows, uint8_t* out) const;
  // Rows a band of about `rays` rays holds at this width (at least one).
  int rowsPerBand(int rays) const { return std::max(1, rays / std::max(1, width_)); }

 private:
  struct State;
  std::unique_ptr<State> s_;
  int width_;
};

// nullopt when `cancelled` said so between bands.
std::optional<Rgba8Image> renderNerfPicture(const NerfPictureSource& source, const CameraFrame& camera, int width, int height,
                                            NerfRenderMode mode, const std::array<float, 3>& background,
                                            const std::function<bool()>& cancelled = {}, const WorkProgress& progress = {});

}  // namespace fieldscope
