#include "model/sr/sr_field.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/sr/cubic_resample.h"
#include "model/sr/tiled_upscale.h"

namespace fieldscope {
SrField::SrField(SrAutoencoder ae, torch::Tensor lr, int64_t outW, int64_t outH, int64_t budgetBytes, torch::Tensor latent)
    : ae_(std::move(ae)),
      config_(ae_->config()),
      lr_(std::move(lr)),
      latent_(std::move(latent)),
      outW_(outW),
      outH_(outH),
      budget_(budgetBytes) {
  if (lr_.dim() != 4 || lr_.size(0) != 1 || lr_.size(1) != 3 || lr_.size(2) < 1 || lr_.size(3) < 1)
    throw std::invalid_argument("SR field: the input must be 1 x 3 x h x w");
  if (outW < 1 || outH < 1) throw std::invalid_argument("SR field: the output has no pixels");
  const int64_t d = config_.downFactor();
  padW_ = (outW + d - 1) / d * d;  // the encoder's input is padded to the down factor
  padH_ = (outH + d - 1) / d * d;
  cellsW_ = padW_ / d;
  cellsH_ = padH_ / d;
  // The context a block's features need: the decoder's alone when reading a given latent, the
  // encoder's too when the block encodes the upsampling itself.
  margin_ = latent_.defined() ? latentFeatureMargin(config_)
                              : encoderMargin(config_) + latentFeatureMargin(config_);
  if (latent_.defined() && (latent_.dim() != 4 || latent_.size(0) != 1 || latent_.size(1) != config_.latentChannels ||
                            latent_.size(2) != cellsH_ || latent_.size(3) != cellsW_))
    throw std::invalid_argument("SR field: the sampled latent does not cover the output");
}

torch::Tensor SrField::computeBlock(int64_t bx, int64_t by) {
  const int64_t d = config_.downFactor(), side = kBlockCells * d;
  // The block's output pixels, and the window around them (on the down-factor grid).
  const int64_t x0 = bx * side, y0 = by * side;
  const int64_t x1 = std::min(padW_, x0 + side), y1 = std::min(padH_, y0 + side);
  const int64_t wx0 = std::max<int64_t>(0, x0 - margin_), wy0 = std::max<int64_t>(0, y0 - margin_);
  const int64_t wx1 = std::min(padW_, x1 + margin_), wy1 = std::min(padH_, y1 + margin_);
  const torch::Tensor up = paddedUpRegion(lr_, outH_, outW_, wy0, wx0, wy1 - wy0, wx1 - wx0);
  const torch::Tensor z = latent_.defined()
                              ? latent_.narrow(2, wy0 / d, (wy1 - wy0) / d).narrow(3, wx0 / d, (wx1 - wx0) / d)
                              : ae_->encode(up);
  const torch::Tensor feat = ae_->features(z);
  return feat.narrow(2, (y0 - wy0) / d, (y1 - y0) / d).narrow(3, (x0 - wx0) / d, (x1 - x0) / d).contiguous();
}

torch::Tensor SrField::block(int64_t bx, int64_t by) {
  const auto key = std::make_pair(bx, by);
  if (auto it = blocks_.find(key); it != blocks_.end()) {
    lru_.remove(key);
    lru_.push_front(key);
    return it->second;
  }
  torch::Tensor b = computeBlock(bx, by);
  ++computed_;
  const int64_t bytes = b.numel() * int64_t(b.element_size());
  // Make room, but keep at least this block (a region may need more blocks than the budget).
  while (!lru_.empty() && bytes_ + bytes > budget_) {
    const auto old = lru_.back();
    lru_.pop_back();
    auto it = blocks_.find(old);
    bytes_ -= it->second.numel() * int64_t(it->second.element_size());
    blocks_.erase(it);
  }
  blocks_.emplace(key, b);
  lru_.push_front(key);
  bytes_ += bytes;
  return b;
}

torch::Tensor SrField::cells(int64_t cx0, int64_t cy0, int64_t cx1, int64_t cy1) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<torch::Tensor> rows;
  for (int64_t by = cy0 / kBlockCells; by * kBlockCells < cy1; ++by) {
    std::vector<torch::Tensor> cols;
    for (int64_t bx = cx0 / kBlockCells; bx * kBlockCells < cx1; ++bx) {
      const torch::Tensor b = block(bx, by);
      // The part of this block inside [cx0, cx1) x [cy0, cy1).
      const int64_t ax = std::max(cx0, bx * kBlockCells), ay = std::max(cy0, by * kBlockCells);
      const int64_t ex = std::min(cx1, bx * kBlockCells + b.size(3)), ey = std::min(cy1, by * kBlockCells + b.size(2));
      cols.push_back(b.narrow(3, ax - bx * kBlockCells, ex - ax).narrow(2, ay - by * kBlockCells, ey - ay));
    }
    rows.push_back(torch::cat(cols, 3));
  }
  return torch::cat(rows, 2);
}

torch::Tensor SrField::render(double x0, double y0, double x1, double y1, int64_t W, int64_t H) {
  if (W < 1 || H < 1 || !(x1 > x0) || !(y1 > y0)) throw std::invalid_argument("SR field: empty region");
  torch::NoGradGuard noGrad;
  if ((x1 - x0) / double(W) > kDetailStride || (y1 - y0) / double(H) > kDetailStride) return bicubic(x0, y0, x1, y1, W, H);
  const int64_t d = config_.downFactor();
  // The cells the local ensemble reads (each query's four nearest, half a cell either way), and
  // one more ring, so no query reaches the edge of the part unless it is the picture's edge.
  auto cellRange = [&](double a, double b, int64_t n) {
    const int64_t lo = std::clamp<int64_t>(int64_t(std::floor((a - 0.5 * d) / d)) - 1, 0, n - 1);
    const int64_t hi = std::clamp<int64_t>(int64_t(std::floor((b + 0.5 * d) / d)) + 1, 0, n - 1);
    return std::make_pair(lo, hi + 1);
  };
  const auto [cx0, cx1] = cellRange(x0, x1, cellsW_);
  const auto [cy0, cy1] = cellRange(y0, y1, cellsH_);
  const torch::Tensor feat = cells(cx0, cy0, cx1, cy1);
  // The part covers output pixels [px0, px1) x [py0, py1); the residual input is the bicubic
  // upsampling there, as the whole picture's render reads it.
  const int64_t px0 = cx0 * d, py0 = cy0 * d, px1 = cx1 * d, py1 = cy1 * d;
  const torch::Tensor up = config_.residual ? paddedUpRegion(lr_, outH_, outW_, py0, px0, py1 - py0, px1 - px0) : torch::Tensor();
  auto norm = [](double v, int64_t a, int64_t b) { return -1.0 + 2.0 * (v - double(a)) / double(b - a); };
  return ae_->render(feat, up, norm(x0, px0, px1), norm(y0, py0, py1), norm(x1, px0, px1), norm(y1, py0, py1), W, H);
}

torch::Tensor SrField::bicubic(double x0, double y0, double x1, double y1, int64_t W, int64_t H) const {
  torch::NoGradGuard noGrad;
  const double rx = double(lr_.size(3)) / double(outW_), ry = double(lr_.size(2)) / double(outH_);
  return cubicSampleRegion(lr_, x0 * rx, y0 * ry, x1 * rx, y1 * ry, W, H);
}

torch::Tensor SrField::nearest(double x0, double y0, double x1, double y1, int64_t W, int64_t H) const {
  torch::NoGradGuard noGrad;
  const int64_t w = lr_.size(3), h = lr_.size(2);
  const double rx = double(w) / double(outW_), ry = double(h) / double(outH_);
  auto index = [](double a, double b, int64_t n, double r, int64_t size) {
    return ((torch::arange(n, torch::kFloat64) + 0.5) * ((b - a) / double(n)) + a).mul(r).floor().clamp(0, double(size - 1)).to(torch::kInt64);
  };
  return lr_.index_select(2, index(y0, y1, H, ry, h)).index_select(3, index(x0, x1, W, rx, w));
}

int64_t SrField::blocksComputed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return computed_;
}

int64_t SrField::cachedBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

}  // namespace fieldscope
