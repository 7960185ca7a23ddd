#pragma once
// Upscaling one picture file to a PNG (docs/architecture.md "The super-resolution domain"): the
// `upscale` command and the viewer's export share it. The plan is made first -- the exact output
// size round(w * s) x round(h * s) (or the requested size), the tiles and the peak memory -- so a
// request that cannot fit is refused with the numbers before any work. The picture is then
// decoded in tiles (tiled_upscale.h) and streamed to the PNG in row bands: 16-bit inputs give
// 16-bit outputs, alpha is resized on its own (bicubic on the alpha values, never mixed with the
// colours), the ICC profile and the upright (EXIF-applied) orientation are kept. The file appears
// only when complete (temporary file + rename); a cancel or an error leaves nothing.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>

#include "model/photo_data/photo_pixels.h"
#include "model/sr/sr_autoencoder.h"
#include "model/sr/sr_diffusion.h"
#include "model/sr/tiled_upscale.h"

namespace fieldscope {

// The diffusion stage of an upscale (sr_diffusion.h): the model, its sampler settings and the
// sample's seed. Without it (model null) the decoder alone super-resolves.
struct UpscaleDiffusion {
  SrDiffusion* model = nullptr;
  SrSampling sampling;
  uint64_t seed = 0;
  // A sample made already at the plan's size (the viewer's): decoded as it is, nothing sampled.
  torch::Tensor latent;
};

struct UpscaleRequest {
  double scale = 0;                  // > 0 and <= kMaxUpscale; or 0 when width/height are given
  int64_t width = 0, height = 0;     // the output size (both), instead of scale
  TileSpec tiles;
  bool diffusion = false;            // the plan counts the whole latent the sampler holds
};

inline constexpr double kMaxUpscale = 64;

struct UpscalePlan {
  int64_t inW = 0, inH = 0, outW = 0, outH = 0;
  int64_t tileCount = 0;
  uint64_t peakBytes = 0;  // estimated
  int channels = 3, bitDepth = 8;
};

// Throws std::invalid_argument with a clear message: a scale <= 0, NaN or > 64; a size of 0; an
// output over 2^31 - 1 pixels a side.
UpscalePlan planUpscale(const SrAeConfig& config, int64_t inW, int64_t inH, int channels, int bitDepth,
                        const UpscaleRequest& request);

struct UpscaleCallbacks {
  std::function<void(int64_t doneTiles, int64_t totalTiles)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

// Returns false when cancelled (nothing written). Throws naming the file on a write error.
// With diffusion.model: the decoder-only latent of the whole picture, a sample of the diffusion
// stage conditioned on it, then the decoder reads that sample; progress counts the three stages
// together (encode 10 %, sampling 80 %, decode 10 % of `total`).
bool upscaleToPng(SrAutoencoder& ae, const PhotoPixels& in, const UpscalePlan& plan, const TileSpec& tiles,
                  const std::filesystem::path& out, const UpscaleCallbacks& callbacks = {},
                  const UpscaleDiffusion& diffusion = {});

}  // namespace fieldscope
