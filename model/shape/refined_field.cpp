#include "model/shape/refined_field.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace fieldscope {
namespace F = torch::nn::functional;

RefinedFieldPlanes::RefinedFieldPlanes(Evaluate field, int64_t n, double bound, int64_t stride, float lo, float hi,
                                       int64_t chunkPoints)
    : field_(std::move(field)), n_(n), s_(stride), m_(0), chunk_(chunkPoints), lo_(lo), hi_(hi) {
  if (n < 2 || stride < 1 || chunkPoints < 1 || !(lo <= hi))
    throw std::invalid_argument("refined field: n " + std::to_string(n) + ", stride " + std::to_string(stride));
  m_ = (n + stride - 1) / stride;
  const double step = 2.0 * bound / n;
  // Lattice point a sits on voxel centre a * stride (the last may lie just past the box: the
  // decoder reads border values there, and it only feeds the interpolation of the edge voxels).
  lattice_ = (torch::arange(m_ + 1, torch::kFloat64) * stride + 0.5) * step - bound;
  fine_ = (torch::arange(n, torch::kFloat64) + 0.5) * step - bound;
  lattice_ = lattice_.to(torch::kFloat32);
  fine_ = fine_.to(torch::kFloat32);
}

torch::Tensor RefinedFieldPlanes::evaluate(const torch::Tensor& points) {
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < points.size(0); i += chunk_)
    out.push_back(field_(points.narrow(0, i, std::min(chunk_, points.size(0) - i))).to(torch::kCPU, torch::kFloat32).reshape({-1}));
  evaluated_ += points.size(0);
  return out.size() == 1 ? out[0] : torch::cat(out);
}

const torch::Tensor& RefinedFieldPlanes::coarse(int64_t a) {
  auto it = coarse_.find(a);
  if (it != coarse_.end()) return it->second;
  const int64_t k = m_ + 1;
  auto xs = lattice_.view({1, k}).expand({k, k}).reshape({-1}), ys = lattice_.view({k, 1}).expand({k, k}).reshape({-1});
  auto points = torch::stack({xs, ys, torch::full({k * k}, lattice_[a].item<float>())}, 1);
  while (!coarse_.empty() && coarse_.begin()->first < a - 2) coarse_.erase(coarse_.begin());  // a window of 4
  return coarse_.emplace(a, evaluate(points).view({k, k})).first->second;
}

torch::Tensor RefinedFieldPlanes::cellsInBand(int64_t layer) {
  if (layer < 0 || layer >= m_) return torch::zeros({m_, m_}, torch::kBool);
  auto both = torch::stack({coarse(layer), coarse(layer + 1)});  // 2 x (m+1) x (m+1)
  auto lo = both.amin(0), hi = both.amax(0);
  auto cornersMin = torch::min(torch::min(lo.slice(0, 0, m_).slice(1, 0, m_), lo.slice(0, 1).slice(1, 0, m_)),
                               torch::min(lo.slice(0, 0, m_).slice(1, 1), lo.slice(0, 1).slice(1, 1)));
  auto cornersMax = torch::max(torch::max(hi.slice(0, 0, m_).slice(1, 0, m_), hi.slice(0, 1).slice(1, 0, m_)),
                               torch::max(hi.slice(0, 0, m_).slice(1, 1), hi.slice(0, 1).slice(1, 1)));
  return (cornersMin <= hi_) & (cornersMax >= lo_);
}

void RefinedFieldPlanes::buildSlab(int64_t a) {
  const int64_t k = m_ + 1, up = m_ * s_ + 1;
  auto upsample = [&](const torch::Tensor& p) {  // lattice plane -> every voxel of the plane
    return F::interpolate(p.view({1, 1, k, k}), F::InterpolateFuncOptions()
                                                    .size(std::vector<int64_t>{up, up})
                                                    .mode(torch::kBilinear)
                                                    .align_corners(true))
        .view({up, up})
        .slice(0, 0, n_)
        .slice(1, 0, n_);
  };
  auto p0 = upsample(coarse(a)), p1 = upsample(coarse(a + 1));
  const int64_t depth = std::min(s_, n_ - a * s_);
  auto t = (torch::arange(depth, torch::kFloat32) / float(s_)).view({depth, 1, 1});
  slab_ = (p0.unsqueeze(0) * (1 - t) + p1.unsqueeze(0) * t).contiguous();
  if (s_ == 1) return;  // the lattice is every voxel
  // Cells that reach into the band, grown by one cell in each direction.
  auto band = cellsInBand(a - 1) | cellsInBand(a) | cellsInBand(a + 1);
  band = F::max_pool2d(band.to(torch::kFloat32).view({1, 1, m_, m_}), F::MaxPool2dFuncOptions(3).stride(1).padding(1))
             .view({m_, m_}) > 0;
  auto cells = band.nonzero();  // K x 2: (y cell, x cell)
  if (cells.size(0) == 0) return;
  auto o = torch::arange(s_, torch::kInt64);
  auto dz = o.view({s_, 1, 1}).expand({s_, s_, s_}).reshape({-1}), dy = o.view({1, s_, 1}).expand({s_, s_, s_}).reshape({-1}),
       dx = o.view({1, 1, s_}).expand({s_, s_, s_}).reshape({-1});
  const int64_t cellsPerChunk = std::max<int64_t>(1, chunk_ / (s_ * s_ * s_));
  for (int64_t c = 0; c < cells.size(0); c += cellsPerChunk) {
    auto part = cells.narrow(0, c, std::min(cellsPerChunk, cells.size(0) - c));
    auto z = (dz.view({1, -1}) + a * s_).expand({part.size(0), -1}).reshape({-1});
    auto y = (part.select(1, 0).view({-1, 1}) * s_ + dy.view({1, -1})).reshape({-1});
    auto x = (part.select(1, 1).view({-1, 1}) * s_ + dx.view({1, -1})).reshape({-1});
    auto keep = ((z < n_) & (y < n_) & (x < n_)).nonzero().view({-1});
    z = z.index_select(0, keep), y = y.index_select(0, keep), x = x.index_select(0, keep);
    auto points = torch::stack({fine_.index_select(0, x), fine_.index_select(0, y), fine_.index_select(0, z)}, 1);
    slab_.index_put_({z - a * s_, y, x}, evaluate(points));
  }
}

torch::Tensor RefinedFieldPlanes::plane(int64_t z) {
  if (z != next_ || z >= n_) throw std::logic_error("refined field: plane " + std::to_string(z) + " asked out of order");
  ++next_;
  if (z / s_ != slabIndex_) {
    slabIndex_ = z / s_;
    buildSlab(slabIndex_);
  }
  return slab_[z - slabIndex_ * s_];
}

}  // namespace fieldscope
