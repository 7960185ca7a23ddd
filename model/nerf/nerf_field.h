#pragma once
// One NeRF scene as a field (docs/architecture.md "The NeRF domain"): its triplane (3, C, R, R)
// read by the NeRF MLP. `query` is what the volume renderer calls; `bakeVolume` fills the 3D
// view's density + colour grid.
#include <torch/types.h>

#include <array>
#include <functional>

#include "model/nerf/nerf_config.h"
#include "model/nerf/nerf_mlp.h"
#include "model/nerf/volume_render.h"
#include "model/util/work_progress.h"

namespace fieldscope {

struct NerfField {
  NerfConfig config;
  torch::Tensor planes;  // (3, C, R, R)
  NerfMlp mlp{nullptr};

  NerfSamples query(const torch::Tensor& points, const torch::Tensor& directions) const;
  FieldQuery asQuery() const;
  // Rendering options of this field's config (sample counts, box), background white.
  VolumeRenderOptions renderOptions() const;
};

// A fresh field of `config`: planes ~ N(0, 0.1^2), the MLP's default initialisation, seeded.
NerfField makeNerfField(const NerfConfig& config, uint64_t seed);

// Densities and colours at the voxel centres of an n^3 grid over [-bound, bound]^3 (the 3D
// view's layout, [z][y][x]) into `out` (n, n, n, 4) float32: (sigma, r, g, b). Colour is what
// the field shows looking along `viewDirection` (unit). Written slab by slab; `cancelled`
// (polled between slabs) stops it early and returns false. With `yUp` the grid is in the 3D
// view's axes (+Y up) for a scene whose world has +Z up (the NeRF-synthetic convention): grid
// point (x, y, z) shows the scene at (x, -z, y) -- see nerfWorldFromView.
bool bakeVolume(const FieldQuery& field, int64_t n, double bound, const std::array<float, 3>& viewDirection,
                torch::Tensor out, bool yUp, const std::function<bool()>& cancelled = {},
                const WorkProgress& progress = {});

// The 3D view's axes (+Y up) to a NeRF-synthetic world (+Z up): (x, y, z) -> (x, -z, y), a rotation.
inline std::array<float, 3> nerfWorldFromView(const std::array<float, 3>& v) { return {v[0], -v[2], v[1]}; }

}  // namespace fieldscope
