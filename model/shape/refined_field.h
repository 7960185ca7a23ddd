#pragma once
// An occupancy field at the n^3 voxel centres, evaluated coarse to fine (docs/architecture.md "The
// shape domain"): the MLP runs on a lattice every `stride` voxels; a coarse cell whose eight corner
// values reach into the band [lo, hi] (the iso-levels the user can pick), or touches such a cell, is
// evaluated at every voxel; the rest is trilinear from the lattice, far from any surface the band
// can show. With stride 4 a 256^3 bake runs the MLP on a small share of the voxels. A thin part
// that passes between lattice points without bringing a corner into the band stays interpolated
// (measured in bench/results/model_shape.json; docs/architecture.md "The shape domain"). Planes come out in
// increasing z, so memory is a few coarse planes and one slab of `stride` fine planes, whatever n.
#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <map>

namespace fieldscope {

class RefinedFieldPlanes {
 public:
  // P x 3 float points (x, y, z) on the CPU -> P logits (any device or float type).
  using Evaluate = std::function<torch::Tensor(const torch::Tensor& points)>;

  // Voxel centres over [-bound, bound]^3. stride 1 evaluates every voxel (the dense field).
  RefinedFieldPlanes(Evaluate field, int64_t n, double bound, int64_t stride, float lo, float hi,
                     int64_t chunkPoints = 1 << 15);

  // The n x n plane z (y rows, x fastest), float32 on the CPU. Planes must be asked for in
  // increasing z (each once, as marching cubes and the bake do); throws std::logic_error otherwise.
  torch::Tensor plane(int64_t z);

  int64_t pointsEvaluated() const { return evaluated_; }

  // The stride a bake uses: 4 from n = 96, 2 from 48, else 1 (small grids are cheap dense).
  static int64_t autoStride(int64_t n) { return n >= 96 ? 4 : n >= 48 ? 2 : 1; }

 private:
  torch::Tensor evaluate(const torch::Tensor& points);
  const torch::Tensor& coarse(int64_t a);       // lattice plane a: (m+1) x (m+1)
  torch::Tensor cellsInBand(int64_t layer);     // m x m bool: cells between lattice planes layer, layer+1
  void buildSlab(int64_t a);

  Evaluate field_;
  int64_t n_, s_, m_, chunk_;
  float lo_, hi_;
  torch::Tensor lattice_, fine_;  // coordinates: m+1 lattice points, n voxel centres
  std::map<int64_t, torch::Tensor> coarse_;
  torch::Tensor slab_;            // s x n x n
  int64_t slabIndex_ = -1, next_ = 0, evaluated_ = 0;
};

}  // namespace fieldscope
