#include "model/video/video_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

#include "model/diffusion/vae_ldm_file.h"
#include "model/diffusion/seeded_sampling.h"
#include "model/diffusion/unet.h"
#include "model/video/video_vae_io.h"

namespace fieldscope {

std::unique_ptr<VideoModel> VideoModel::load(const std::filesystem::path& path, const ComputeOptions& compute) {
  VaeLdmFile file = openVaeLdmFile(path, "video", "a video model");
  if (compute.half) throw std::runtime_error("video model: fp16 is not supported yet; use --precision fp32");
  std::unique_ptr<VideoModel> m(new VideoModel());
  m->vae_ = restoreVideoVae(file.ckpt);
  m->ldm_ = file.diffusion();
  m->card_ = std::move(file.card);
  m->compute_ = compute;
  m->vae_->to(compute.device);
  if (m->ldm_.unet) m->ldm_.unet->to(compute.device);
  return m;
}

std::unique_ptr<VideoModel> VideoModel::untrained(const std::string& preset, const ComputeOptions& compute,
                                                  uint64_t seed) {
  torch::manual_seed(seed);
  const VideoVaeConfig vc = VideoVaeConfig::preset_(preset);
  std::unique_ptr<VideoModel> m(new VideoModel());
  m->vae_ = VideoVae(vc);
  m->vae_->eval();
  m->ldm_.unet = UNet(UNetConfig::preset_(preset, vc.latentChannels, vc.latentWidth()));
  m->ldm_.unet->eval();
  m->ldm_.schedule = DiffusionSchedule::scaledLinear();
  m->card_ = untrainedModelCard("video", preset, seed);
  m->compute_ = compute;
  m->vae_->to(compute.device);
  m->ldm_.unet->to(compute.device);
  return m;
}

torch::Tensor VideoModel::sampleLatents(const std::vector<uint64_t>& seeds, int steps, float eta) {
  if (!canSample())
    throw std::runtime_error("model '" + card_.value("file", "") + "' has no diffusion model: it can only encode clips");
  const auto& c = vae_->config();
  const SeededSampling s{&ldm_, {c.latentChannels, c.latentRows(), c.latentWidth()}, compute_.device, steps, eta, onStep_};
  return sampleSeeds(s, seeds);
}

torch::Tensor VideoModel::sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps, float eta) {
  if (!canSample())
    throw std::runtime_error("model '" + card_.value("file", "") + "' has no diffusion model: it can only encode clips");
  const auto& c = vae_->config();
  const SeededSampling s{&ldm_, {c.latentChannels, c.latentRows(), c.latentWidth()}, compute_.device, steps, eta, onStep_};
  return sampleSeedBlend(s, seedA, seedB, t);
}

torch::Tensor VideoModel::encode(const torch::Tensor& clips) {
  c10::InferenceMode guard;
  auto c = (clips.dim() == 4 ? clips.unsqueeze(0) : clips).to(compute_.device, torch::kFloat32);
  return vae_->encode(c * 2 - 1).mean;
}

VideoFields VideoModel::makeFields(const torch::Tensor& latent) {
  c10::InferenceMode guard;
  auto z = (latent.dim() == 3 ? latent.unsqueeze(0) : latent).to(compute_.device, torch::kFloat32);
  return videoFieldsOf(vae_->decodeFields(z.narrow(0, 0, 1)), 0);
}

torch::Tensor VideoModel::decodeFrame(const VideoFields& fields, double t, int width, int height,
                                      const FrameRegion& region) {
  if (width < 1 || height < 1) throw std::invalid_argument("decodeFrame: empty size");
  c10::InferenceMode guard;
  const auto opt = torch::TensorOptions().dtype(torch::kFloat32);
  auto xs = torch::empty({width}, opt), ys = torch::empty({height}, opt);
  for (int i = 0; i < width; ++i) xs[i] = videoUnitPixel(i, width, region.x0, region.x1);
  for (int j = 0; j < height; ++j) ys[j] = videoUnitPixel(j, height, region.y0, region.y1);
  const float u = float(videoUnitTime(std::clamp(t, 0.0, 1.0), frames()));
  auto out = torch::empty({int64_t(height), int64_t(width), 3}, opt);
  // Rows in chunks of about 64k points: bounded memory at 3840 x 2160 as at 64 x 64.
  const int64_t rowsPerChunk = std::max<int64_t>(1, (1 << 16) / width);
  for (int64_t r0 = 0; r0 < height; r0 += rowsPerChunk) {
    const int64_t rows = std::min<int64_t>(rowsPerChunk, height - r0);
    auto grid = torch::stack(torch::meshgrid({ys.narrow(0, r0, rows), xs}, "ij"), -1);  // rows x W x (y, x)
    auto pts = torch::stack({grid.select(2, 1), grid.select(2, 0), torch::full({rows, int64_t(width)}, u, opt)}, -1)
                   .reshape({-1, 3})
                   .to(compute_.device);
    auto rgb = vae_->colours(fields, pts).to(torch::kCPU, torch::kFloat32);
    out.narrow(0, r0, rows).copy_(((rgb + 1) * 0.5).clamp(0, 1).view({rows, int64_t(width), 3}));
  }
  return out;
}

}  // namespace fieldscope
