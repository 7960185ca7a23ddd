#pragma once
// A picture super-resolved at a chosen output size, as a continuous field the viewer reads at
// any region and any resolution (docs/architecture.md "The super-resolution domain", "The SR
// view"). The implicit decoder's feature map at the chosen size is computed in blocks, on
// demand, from windows of the bicubic upsampling wide enough to cover the network's reach (the
// same windows as tiled_upscale.h), and kept in a memory budget (least recently used blocks go
// first). A region is then rendered by the LIIF head from the blocks around it: at the chosen
// size it gives the `upscale` output's pixels, and zoomed further in it keeps decoding at the
// finer grid (the cell size shrinks), never enlarging pixels.
//
// Where one view pixel covers more than kDetailStride output pixels (zoomed far out), the
// super-resolved detail is below a view pixel: render() then samples the picture itself with
// the antialiased bicubic kernel instead of decoding blocks the view cannot show.
#include <torch/types.h>

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <utility>

#include "model/sr/sr_autoencoder.h"

namespace fieldscope {

class SrField {
 public:
  static constexpr double kDetailStride = 2.0;
  static constexpr int64_t kBlockCells = 96;  // feature cells a block side (384 output pixels)

  // lr: 1 x 3 x h x w in [-1, 1]; the field is the picture at outW x outH. latent: a sample of the
  // diffusion stage at that size (1 x C x ceil(outH/4) x ceil(outW/4), sr_diffusion.h) that the
  // decoder reads instead of the encoding of the bicubic upsampling; undefined: decoder only.
  SrField(SrAutoencoder ae, torch::Tensor lr, int64_t outW, int64_t outH, int64_t budgetBytes = int64_t(256) << 20,
          torch::Tensor latent = {});

  int64_t outWidth() const { return outW_; }
  int64_t outHeight() const { return outH_; }
  const torch::Tensor& input() const { return lr_; }
  bool sampled() const { return latent_.defined(); }
  const torch::Tensor& latent() const { return latent_; }  // the diffusion sample, or undefined
  const SrAeConfig& config() const { return config_; }

  // The region [x0, x1] x [y0, y1] in output pixels (0 = the left / top edge) at W x H pixel
  // centres -> 1 x 3 x H x W in [-1, 1] (not clamped). Thread-safe.
  torch::Tensor render(double x0, double y0, double x1, double y1, int64_t W, int64_t H);
  // The same region from the input alone: antialiased bicubic, or its nearest pixels.
  torch::Tensor bicubic(double x0, double y0, double x1, double y1, int64_t W, int64_t H) const;
  torch::Tensor nearest(double x0, double y0, double x1, double y1, int64_t W, int64_t H) const;

  int64_t blocksComputed() const;
  int64_t cachedBytes() const;

 private:
  // Feature cells [cx0, cx1) x [cy0, cy1): 1 x C x rows x cols, from the cached blocks.
  torch::Tensor cells(int64_t cx0, int64_t cy0, int64_t cx1, int64_t cy1);
  torch::Tensor block(int64_t bx, int64_t by);  // the caller holds mutex_
  torch::Tensor computeBlock(int64_t bx, int64_t by);

  SrAutoencoder ae_;
  SrAeConfig config_;
  torch::Tensor lr_, latent_;
  int64_t outW_, outH_, padW_, padH_, cellsW_, cellsH_, margin_, budget_;
  mutable std::mutex mutex_;
  std::map<std::pair<int64_t, int64_t>, torch::Tensor> blocks_;
  std::list<std::pair<int64_t, int64_t>> lru_;  // front: most recent
  int64_t bytes_ = 0, computed_ = 0;
};

}  // namespace fieldscope
