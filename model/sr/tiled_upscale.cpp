#include "model/sr/tiled_upscale.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

#include "model/sr/cubic_resample.h"

namespace fieldscope {
namespace {

int64_t roundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// Output pixels [x0, x1) x [y0, y1) of the image, from the window [wx0, wx1) x [wy0, wy1) of the
// padded upsampling (window edges on the down-factor grid) and of the latent: the given one, or
// (undefined) the encoding of the upsampling.
torch::Tensor decodeTile(SrAutoencoder& ae, const torch::Tensor& lr, const torch::Tensor& latent, int64_t outW,
                         int64_t outH, int64_t wx0, int64_t wy0, int64_t wx1, int64_t wy1, int64_t x0, int64_t y0,
                         int64_t x1, int64_t y1) {
  const int64_t d = ae->config().downFactor();
  const torch::Tensor up = paddedUpRegion(lr, outH, outW, wy0, wx0, wy1 - wy0, wx1 - wx0);
  const torch::Tensor z = latent.defined()
                              ? latent.narrow(2, wy0 / d, (wy1 - wy0) / d).narrow(3, wx0 / d, (wx1 - wx0) / d)
                              : ae->encode(up);
  const torch::Tensor feat = ae->features(z);
  const double ww = double(wx1 - wx0), wh = double(wy1 - wy0);
  // The output pixels' region in the window's [-1, 1] coordinates.
  return ae->render(feat, up, -1 + 2 * double(x0 - wx0) / ww, -1 + 2 * double(y0 - wy0) / wh, -1 + 2 * double(x1 - wx0) / ww,
                    -1 + 2 * double(y1 - wy0) / wh, x1 - x0, y1 - y0);
}

}  // namespace

torch::Tensor paddedUpRegion(const torch::Tensor& lr, int64_t outH, int64_t outW, int64_t y0, int64_t x0, int64_t h,
                             int64_t w) {
  const int64_t ry = std::min(h, outH - y0), rx = std::min(w, outW - x0);  // rows / columns that exist
  torch::Tensor up = cubicResizeRegion(lr, outH, outW, y0, x0, ry, rx);
  if (ry < h) up = torch::cat({up, up.narrow(2, ry - 1, 1).expand({-1, -1, h - ry, -1})}, 2);
  if (rx < w) up = torch::cat({up, up.narrow(3, rx - 1, 1).expand({-1, -1, -1, w - rx})}, 3);
  return up;
}

namespace {

// Output pixels of context each part of the network reaches (each 3x3 convolution reaches one
// cell of its resolution, the stride-2 convolutions one more), unrounded.
int64_t encoderReach(const SrAeConfig& c) {
  int64_t reach = 1;  // conv_in
  int64_t stride = 1;
  for (size_t level = 0; level < c.channels.size(); ++level) {
    reach += 2 * stride * c.encoderBlocks;
    if (level + 1 < c.channels.size()) {
      reach += stride;  // the stride-2 convolution
      stride *= 2;
    }
  }
  return reach + 2 * stride + stride;  // middle block, conv_out
}

int64_t featureReach(const SrAeConfig& c) {  // SrAutoencoder::features() from the latent
  const int64_t stride = c.downFactor();
  return stride + 2 * stride + 2 * stride * c.decoderBlocks * int64_t(c.channels.size()) + stride;
}

int64_t headReach(const SrAeConfig& c) { return 2 * c.downFactor(); }  // the LIIF head's four nearest cells

}  // namespace

int64_t receptiveMargin(const SrAeConfig& c) {
  return roundUp(encoderReach(c) + featureReach(c) + headReach(c), c.downFactor());
}

TileSpec upscaleTiles(const SrAeConfig& c, int64_t tile) {
  const int64_t d = c.downFactor();
  return {std::max(d, tile / d * d), receptiveMargin(c)};
}

int64_t encoderMargin(const SrAeConfig& c) { return roundUp(encoderReach(c), c.downFactor()); }

int64_t latentFeatureMargin(const SrAeConfig& c) { return roundUp(featureReach(c), c.downFactor()); }

int64_t latentDecodeMargin(const SrAeConfig& c) { return roundUp(featureReach(c) + headReach(c), c.downFactor()); }

namespace {

void checkSpec(const SrAutoencoder& ae, int64_t outW, int64_t outH, const TileSpec& spec) {
  const int64_t d = ae->config().downFactor();
  if (spec.tile <= 0 || spec.tile % d != 0 || spec.margin < 0 || spec.margin % d != 0)
    throw std::invalid_argument("upscale: the tile and margin must be multiples of " + std::to_string(d));
  if (outW < 1 || outH < 1) throw std::invalid_argument("upscale: the output has no pixels");
}

bool tiledDecode(SrAutoencoder& ae, const torch::Tensor& lr, const torch::Tensor& latent, int64_t outW, int64_t outH,
                 const TileSpec& spec, const std::function<void(const torch::Tensor& band, int64_t y0)>& sink,
                 const UpscaleProgress& progress) {
  checkSpec(ae, outW, outH, spec);
  const int64_t d = ae->config().downFactor();
  torch::NoGradGuard noGrad;
  const int64_t padW = roundUp(outW, d), padH = roundUp(outH, d);
  const int64_t cols = (outW + spec.tile - 1) / spec.tile, rows = (outH + spec.tile - 1) / spec.tile;
  int64_t done = 0;
  for (int64_t ty = 0; ty < rows; ++ty) {
    const int64_t y0 = ty * spec.tile, y1 = std::min(outH, y0 + spec.tile);
    const int64_t wy0 = std::max<int64_t>(0, y0 - spec.margin), wy1 = std::min(padH, roundUp(y1, d) + spec.margin);
    std::vector<torch::Tensor> parts;
    for (int64_t tx = 0; tx < cols; ++tx) {
      if (progress.cancel && progress.cancel->load()) return false;
      const int64_t x0 = tx * spec.tile, x1 = std::min(outW, x0 + spec.tile);
      const int64_t wx0 = std::max<int64_t>(0, x0 - spec.margin), wx1 = std::min(padW, roundUp(x1, d) + spec.margin);
      parts.push_back(decodeTile(ae, lr, latent, outW, outH, wx0, wy0, wx1, wy1, x0, y0, x1, y1));
      if (progress.tiles) progress.tiles(++done, rows * cols);
    }
    sink(torch::cat(parts, 3), y0);
  }
  return true;
}

}  // namespace

bool upscaleDecoderOnly(SrAutoencoder& ae, const torch::Tensor& lr, int64_t outW, int64_t outH, const TileSpec& spec,
                        const std::function<void(const torch::Tensor& band, int64_t y0)>& sink,
                        const UpscaleProgress& progress) {
  return tiledDecode(ae, lr, torch::Tensor(), outW, outH, spec, sink, progress);
}

bool upscaleFromLatent(SrAutoencoder& ae, const torch::Tensor& lr, const torch::Tensor& latent, int64_t outW,
                       int64_t outH, const TileSpec& spec,
                       const std::function<void(const torch::Tensor& band, int64_t y0)>& sink,
                       const UpscaleProgress& progress) {
  const int64_t d = ae->config().downFactor();
  if (!latent.defined() || latent.dim() != 4 || latent.size(2) != (outH + d - 1) / d || latent.size(3) != (outW + d - 1) / d)
    throw std::invalid_argument("upscale: the latent does not cover the output");
  // Reading a given latent needs no context for the encoder.
  return tiledDecode(ae, lr, latent, outW, outH, {spec.tile, std::min(spec.margin, latentDecodeMargin(ae->config()))},
                     sink, progress);
}

torch::Tensor encodeUpsampledTiled(SrAutoencoder& ae, const torch::Tensor& lr, int64_t outW, int64_t outH,
                                   const TileSpec& given, const UpscaleProgress& progress) {
  checkSpec(ae, outW, outH, given);
  // The encoder alone reaches less far than the whole path the margin was given for.
  const TileSpec spec{given.tile, std::min(given.margin, encoderMargin(ae->config()))};
  torch::NoGradGuard noGrad;
  const int64_t d = ae->config().downFactor();
  const int64_t padW = roundUp(outW, d), padH = roundUp(outH, d);
  const int64_t cols = (padW + spec.tile - 1) / spec.tile, rows = (padH + spec.tile - 1) / spec.tile;
  std::vector<torch::Tensor> bands;
  int64_t done = 0;
  for (int64_t ty = 0; ty < rows; ++ty) {
    const int64_t y0 = ty * spec.tile, y1 = std::min(padH, y0 + spec.tile);
    const int64_t wy0 = std::max<int64_t>(0, y0 - spec.margin), wy1 = std::min(padH, y1 + spec.margin);
    std::vector<torch::Tensor> parts;
    for (int64_t tx = 0; tx < cols; ++tx) {
      if (progress.cancel && progress.cancel->load()) return {};
      const int64_t x0 = tx * spec.tile, x1 = std::min(padW, x0 + spec.tile);
      const int64_t wx0 = std::max<int64_t>(0, x0 - spec.margin), wx1 = std::min(padW, x1 + spec.margin);
      const torch::Tensor z = ae->encode(paddedUpRegion(lr, outH, outW, wy0, wx0, wy1 - wy0, wx1 - wx0));
      parts.push_back(z.narrow(2, (y0 - wy0) / d, (y1 - y0) / d).narrow(3, (x0 - wx0) / d, (x1 - x0) / d));
      if (progress.tiles) progress.tiles(++done, rows * cols);
    }
    bands.push_back(torch::cat(parts, 3));
  }
  return torch::cat(bands, 2);
}

torch::Tensor upscaleDecoderOnlyWhole(SrAutoencoder& ae, const torch::Tensor& lr, int64_t outW, int64_t outH) {
  torch::NoGradGuard noGrad;
  const int64_t d = ae->config().downFactor();
  const int64_t padW = roundUp(outW, d), padH = roundUp(outH, d);
  return decodeTile(ae, lr, torch::Tensor(), outW, outH, 0, 0, padW, padH, 0, 0, outW, outH);
}

}  // namespace fieldscope
