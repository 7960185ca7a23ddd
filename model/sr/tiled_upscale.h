#pragma once
// Decoder-only super-resolution of an image of any size in overlapping tiles, streamed out in row
// bands (docs/architecture.md "The super-resolution domain"). The output is the image of size
// outW x outH that the whole-image path (bicubic up to the output size, padded by repeating its
// last row and column to a multiple of the down factor, encoded, decoded, read at every output
// pixel) gives; a tile is computed from a window `margin` pixels wider on every side, wider than
// the network's receptive field, so tiled and whole agree to float rounding, with no seams.
// Memory: the low-resolution input, one window's activations and one band of output rows.
#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <functional>

#include "model/sr/sr_autoencoder.h"

namespace fieldscope {

struct TileSpec {
  // Output pixels a tile side (a multiple of the down factor). 256 was the fastest on the 2-core
  // machine (x4 of a 256² picture: 5.0 s against 6.2 s with 512, 5.7 s with 192, for 1 step):
  // smaller windows keep the full-resolution activations nearer the cache, against more margin.
  int64_t tile = 256;
  int64_t margin = 96;  // output pixels of context on each side (a multiple of the down factor)
};

// Rows [y0, y0+h) and columns [x0, x0+w) of the bicubic upsampling of lr to outH x outW, padded
// beyond outH / outW by repeating the last row / column (what the encoder reads).
torch::Tensor paddedUpRegion(const torch::Tensor& lr, int64_t outH, int64_t outW, int64_t y0, int64_t x0, int64_t h,
                             int64_t w);

// The smallest margin that covers the network's receptive field for a config (the decoder-only
// path: encoder, decoder features and LIIF head).
int64_t receptiveMargin(const SrAeConfig& c);
// The tiles `upscale`, the viewer's export and its sampler use: `tile` output pixels a side
// (rounded down to the down factor) with the receptive margin.
TileSpec upscaleTiles(const SrAeConfig& c, int64_t tile = TileSpec{}.tile);
// The same for one stage alone: encoding the upsampling (encodeUpsampledTiled), the decoder's
// features of a given latent (SrField), and those read by the LIIF head (upscaleFromLatent).
// encodeUpsampledTiled and upscaleFromLatent use at most these of a TileSpec's margin: any wider
// context gives the same result, at more cost.
int64_t encoderMargin(const SrAeConfig& c);
int64_t latentFeatureMargin(const SrAeConfig& c);
int64_t latentDecodeMargin(const SrAeConfig& c);

struct UpscaleProgress {
  std::function<void(int64_t doneTiles, int64_t totalTiles)> tiles;  // may be empty
  const std::atomic<bool>* cancel = nullptr;                          // may be null
};

// lr: 1 x 3 x h x w in [-1, 1]. Calls sink(band, y0) with bands of 1 x 3 x rows x outW (in
// [-1, 1], not clamped), top to bottom. Returns false when cancelled (some bands sent).
bool upscaleDecoderOnly(SrAutoencoder& ae, const torch::Tensor& lr, int64_t outW, int64_t outH, const TileSpec& spec,
                        const std::function<void(const torch::Tensor& band, int64_t y0)>& sink,
                        const UpscaleProgress& progress = {});

// The decoder-only latent of the whole picture at outW x outH (the encoding of its padded bicubic
// upsampling): 1 x C x ceil(outH/d) x ceil(outW/d), computed in the same windows as the tiles, so
// it equals the whole-image encoding to float rounding. Undefined when cancelled.
torch::Tensor encodeUpsampledTiled(SrAutoencoder& ae, const torch::Tensor& lr, int64_t outW, int64_t outH,
                                   const TileSpec& spec, const UpscaleProgress& progress = {});

// As upscaleDecoderOnly, but the decoder reads the given latent (1 x C x ceil(outH/d) x
// ceil(outW/d): a sample of the diffusion stage) instead of the encoding of the upsampling.
bool upscaleFromLatent(SrAutoencoder& ae, const torch::Tensor& lr, const torch::Tensor& latent, int64_t outW,
                       int64_t outH, const TileSpec& spec,
                       const std::function<void(const torch::Tensor& band, int64_t y0)>& sink,
                       const UpscaleProgress& progress = {});

// The same output computed whole (tests; small images only).
torch::Tensor upscaleDecoderOnlyWhole(SrAutoencoder& ae, const torch::Tensor& lr, int64_t outW, int64_t outH);

}  // namespace fieldscope
