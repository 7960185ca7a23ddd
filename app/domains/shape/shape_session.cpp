#include "app/domains/shape/shape_session.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/shape/mesh_occupancy_grid.h"
#include "model/shape/mesh_surface_points.h"

namespace fieldscope {

std::shared_ptr<const TriplaneFields> ShapeSession::fields(const ShapeSpec& spec, const std::atomic<bool>* cancel,
                                                           const std::function<void(float)>& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  return fieldsLocked(spec, cancel, progress);
}

std::shared_ptr<const TriplaneFields> ShapeSession::fieldsLocked(const ShapeSpec& spec, const std::atomic<bool>* cancel,
                                                                 const std::function<void(float)>& progress) {
  for (auto it = cache_.begin(); it != cache_.end(); ++it)
    if (it->first == spec) {
      auto f = it->second;
      std::rotate(it, it + 1, cache_.end());  // most recently used last
      return f;
    }
  if (spec.kind == ShapeSpec::Kind::Grid)
    throw std::runtime_error("the seed grid shows nine shapes: open one of them (the seed buttons) to export it");
  torch::Tensor latent;
  if (spec.kind == ShapeSpec::Kind::Encoded) {
    latent = model_->encode(meshSurfacePoints(spec.mesh, model_->pointCount(), 0));
  } else {
    struct Cancelled {};
    model_->setSamplerProgress([&](int done, int total) {
      if (progress) progress(float(done) / std::max(1, total));
      if (cancel && cancel->load()) throw Cancelled{};
    });
    try {
      latent = spec.kind == ShapeSpec::Kind::Seed ? model_->sampleLatent(spec.seed, spec.steps)
                                                  : model_->sampleLatentBlend(spec.seed, spec.seedB, spec.t, spec.steps);
    } catch (const Cancelled&) {
      model_->setSamplerProgress({});
      return nullptr;
    }
    model_->setSamplerProgress({});
  }
  auto f = std::make_shared<const TriplaneFields>(model_->makeFields(latent));
  cache_.emplace_back(spec, f);
  if (cache_.size() > 16) cache_.erase(cache_.begin());  // a seed grid's nine and more
  return f;
}

bool ShapeSession::bake(const ShapeSpec& spec, int n, torch::Tensor out, const std::atomic<bool>& cancel,
                        std::atomic<float>& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int cols = spec.cols(), rows = spec.rows(), k = spec.mosaicSide();
  if (k == 1) return bakeCellLocked(spec, n, out, cancel, [&](float p) { progress = p; });
  // A mosaic (ShapeSpec::mosaicN): c^3 blocks with gaps, side by side in the middle z-layer of an
  // n^3 grid, centred; the rest is empty space (far outside every iso-level the slider offers).
  const int c = ShapeSpec::mosaicCellOf(n, k), pitch = n / k;
  out.fill_(-20.0f);
  const int64_t z0 = (n - c) / 2, y0 = (n - rows * pitch) / 2 + (pitch - c) / 2, x0 = (n - cols * pitch) / 2 + (pitch - c) / 2;
  const int cells = cols * rows;
  for (int i = 0; i < cells; ++i) {
    const int col = i % cols, row = i / cols;
    auto cell = torch::empty({c, c, c}, torch::kFloat32);
    auto cellProgress = [&](float p) { progress = (i + p) / cells; };
    bool ok = false;
    if (spec.kind == ShapeSpec::Kind::Grid) {
      ok = bakeCellLocked(spec.gridCell(i), c, cell, cancel, cellProgress);
    } else if (i == 0) {  // Encoded: the user's mesh on the left
      cell = meshOccupancyGrid(spec.mesh, c, model_->bound(), 2, &cancel, cellProgress);
      ok = cell.defined();
    } else {
      ok = bakeCellLocked(spec, c, cell, cancel, cellProgress);
    }
    if (!ok) return false;
    const int64_t y = y0 + int64_t(rows - 1 - row) * pitch, x = x0 + int64_t(col) * pitch;  // row 0 on top: +y is up
    out.slice(0, z0, z0 + c).slice(1, y, y + c).slice(2, x, x + c).copy_(cell);
  }
  progress = 1.0f;
  return true;
}

bool ShapeSession::bakeCellLocked(const ShapeSpec& spec, int n, torch::Tensor out, const std::atomic<bool>& cancel,
                                  const std::function<void(float)>& progress) {
  auto f = fieldsLocked(spec, &cancel, [&](float p) { progress(0.3f * p); });
  if (!f) return false;
  BakeOptions o;
  o.cancel = &cancel;
  o.progress = [&](double p) { progress(0.3f + 0.7f * float(p)); };
  return model_->bake(*f, n, std::move(out), o);
}

}  // namespace fieldscope
