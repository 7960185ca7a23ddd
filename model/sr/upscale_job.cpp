#include "model/sr/upscale_job.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "model/sr/cubic_resample.h"
#include "model/sr/photo_tensors.h"

namespace fieldscope {

UpscalePlan planUpscale(const SrAeConfig& c, int64_t inW, int64_t inH, int channels, int bitDepth, const UpscaleRequest& r) {
  UpscalePlan p;
  p.inW = inW;
  p.inH = inH;
  p.channels = channels;
  p.bitDepth = bitDepth;
  if (r.width > 0 || r.height > 0) {
    if (r.width <= 0 || r.height <= 0) throw std::invalid_argument("--size needs both a width and a height above 0");
    p.outW = r.width;
    p.outH = r.height;
  } else {
    if (!(r.scale > 0) || !std::isfinite(r.scale))
      throw std::invalid_argument("the scale must be a number above 0 (got " + std::to_string(r.scale) + ")");
    if (r.scale > kMaxUpscale)
      throw std::invalid_argument("the scale " + std::to_string(r.scale) + " is above the limit of " +
                                  std::to_string(int(kMaxUpscale)));
    p.outW = std::max<int64_t>(1, std::llround(double(inW) * r.scale));
    p.outH = std::max<int64_t>(1, std::llround(double(inH) * r.scale));
  }
  if (p.outW > (int64_t(1) << 31) - 1 || p.outH > (int64_t(1) << 31) - 1)
    throw std::invalid_argument("the output would be " + std::to_string(p.outW) + "x" + std::to_string(p.outH) +
                                ": a PNG side holds at most 2^31 - 1 pixels");
  const int64_t tile = r.tiles.tile, margin = r.tiles.margin;
  p.tileCount = ((p.outW + tile - 1) / tile) * ((p.outH + tile - 1) / tile);
  // Peak: the input as samples and as floats, one window's widest activations (full resolution,
  // the first encoder width; a few alive at once), the LIIF head's query chunk, one band of
  // output rows as floats and as samples.
  const uint64_t window = uint64_t(std::min(p.outW, tile + 2 * margin)) * uint64_t(std::min(p.outH, tile + 2 * margin));
  const uint64_t input = uint64_t(inW) * uint64_t(inH) * uint64_t(channels) * (2 + 4);
  const uint64_t activations = window * uint64_t(c.channels[0]) * 4 * 6;
  const uint64_t liif = uint64_t(kSrQueryChunk) * uint64_t(c.mlpWidth) * 4 * 4 * 3;
  const uint64_t band = uint64_t(std::min(p.outH, tile)) * uint64_t(p.outW) * uint64_t(channels) * (4 * 3 + 2);
  p.peakBytes = input + activations + liif + band + (uint64_t(64) << 20);  // + the model and torch's own
  if (r.diffusion) {
    // The sampler holds the whole latent: the condition (plain and scaled), x_t, ε and its
    // window sums, x0, the η noise, and the decoder-only latent it ends with.
    const uint64_t cells = uint64_t((p.outW + c.downFactor() - 1) / c.downFactor()) *
                           uint64_t((p.outH + c.downFactor() - 1) / c.downFactor());
    p.peakBytes += cells * uint64_t(c.latentChannels) * 4 * 8;
    p.peakBytes += uint64_t(32) << 20;  // one UNet call on 256 windows (SrSampling::windowsPerBatch)
  }
  return p;
}

bool upscaleToPng(SrAutoencoder& ae, const PhotoPixels& in, const UpscalePlan& plan, const TileSpec& tiles,
                  const std::filesystem::path& out, const UpscaleCallbacks& cb, const UpscaleDiffusion& diffusion) {
  torch::NoGradGuard noGrad;
  const int c = in.channels;
  const double maxValue = in.maxValue();
  const PhotoPlanes planes = photoPlanes(in);
  // The colours go to the model's device (docs/gpu.md "Super-resolution on CUDA"); alpha and the
  // quantisation of each band stay on the CPU, where the PNG rows are written.
  const torch::Tensor rgb = planes.rgb.to(srDevice(ae));
  const torch::Tensor& alpha = planes.alpha;
  PngRowWriter writer(out, int(plan.outW), int(plan.outH), c, plan.bitDepth, in.icc);
  std::vector<std::uint16_t> rows;
  const auto sink = [&](const torch::Tensor& band, int64_t y0) {
        const int64_t h = band.size(2);
        torch::Tensor v = ((band.clamp(-1, 1) + 1) * 0.5).to(torch::kCPU);
        if (alpha.defined()) v = torch::cat({v, cubicResizeRegion(alpha, plan.outH, plan.outW, y0, 0, h, plan.outW).clamp(0, 1)}, 1);
        const auto q = (v * maxValue).round().to(torch::kInt32).permute({0, 2, 3, 1}).contiguous();
        rows.resize(size_t(q.numel()));
        const int32_t* src = q.data_ptr<int32_t>();
        for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::uint16_t>(src[i]);
        writer.writeRows(rows.data(), int(h));
  };
  bool done = false;
  if (diffusion.latent.defined()) {
    done = upscaleFromLatent(ae, rgb, diffusion.latent, plan.outW, plan.outH, tiles, sink, {cb.progress, cb.cancel});
  } else if (!diffusion.model) {
    done = upscaleDecoderOnly(ae, rgb, plan.outW, plan.outH, tiles, sink, {cb.progress, cb.cancel});
  } else {
    constexpr int64_t kTotal = 1000;
    const auto stage = [&](int64_t from, int64_t width) {
      return [&cb, from, width](int64_t done, int64_t total) {
        if (cb.progress) cb.progress(from + width * done / std::max<int64_t>(1, total), kTotal);
      };
    };
    const torch::Tensor cond = encodeUpsampledTiled(ae, rgb, plan.outW, plan.outH, tiles, {stage(0, 100), cb.cancel});
    if (!cond.defined()) return false;
    SrSampling sampling = diffusion.sampling;
    sampling.cancel = cb.cancel;
    const auto steps = stage(100, 800);
    sampling.onStep = [&](int i, int n) { steps(i, n); };
    const torch::Tensor z = sampleSrLatents(*diffusion.model, cond, {diffusion.seed}, sampling);
    if (!z.defined()) return false;
    done = upscaleFromLatent(ae, rgb, z, plan.outW, plan.outH, tiles, sink, {stage(900, 100), cb.cancel});
  }
  if (!done) return false;  // the writer's destructor removes the temporary file
  writer.finish();
  return true;
}

}  // namespace fieldscope
