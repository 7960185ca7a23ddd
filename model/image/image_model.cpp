#include "model/image/image_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/diffusion/vae_ldm_file.h"
#include "model/diffusion/ddim.h"
#include "model/image/image_vae_io.h"
#include "model/image/region_decoder.h"
#include "model/nn/half_precision.h"

namespace fieldscope {

std::unique_ptr<ImageModel> ImageModel::load(const std::filesystem::path& path, const ComputeOptions& compute) {
  VaeLdmFile file = openVaeLdmFile(path, "image", "an image model");
  std::unique_ptr<ImageModel> m(new ImageModel());
  m->vae_ = restoreVae(file.ckpt);
  m->ldm_ = file.diffusion(/*allowDdmi=*/true);
  m->card_ = std::move(file.card);
  m->compute_ = compute;
  m->placeOnDevice();
  return m;
}

std::unique_ptr<ImageModel> ImageModel::untrained(const std::string& preset, const ComputeOptions& compute,
                                                  uint64_t seed) {
  torch::manual_seed(seed);
  const ImageVaeConfig vc = ImageVaeConfig::preset_(preset);
  std::unique_ptr<ImageModel> m(new ImageModel());
  m->vae_ = ImageVae(vc);
  m->vae_->eval();
  m->ldm_.schedule = DiffusionSchedule::scaledLinear();
  if (vc.ddmi()) {  // the paper preset: the authors' AFHQ UNet (configs/ldm/afhq.yaml) and timesteps
    m->ldm_.ddmiUnet = DdmiUNet(DdmiUNetConfig::preset_(preset, vc.latentChannels, vc.latentResolution()));
    m->ldm_.ddmiUnet->eval();
    m->ldm_.schedule.spacing = "ddmi";
  } else {
    m->ldm_.unet = UNet(UNetConfig::preset_(preset, vc.latentChannels, vc.latentResolution()));
    m->ldm_.unet->eval();
  }
  m->ldm_.latentScale = 1.0;
  m->card_ = untrainedModelCard("image", preset, seed);
  m->compute_ = compute;
  m->placeOnDevice();
  return m;
}

void ImageModel::placeOnDevice() {
  if (compute_.half && !compute_.device.is_cuda())
    throw std::runtime_error("image model: fp16 runs on CUDA only (the CPU path is fp32)");
  if (compute_.device.is_cpu()) return;  // the CPU path stays exactly as loaded
  vae_->to(compute_.device);  // the VAE stays fp32: fields are converted after makeFields
  if (ldm_.ddmiUnet) {
    ldm_.ddmiUnet->to(compute_.device);
    if (compute_.half) convertToHalfKeepingNorms(*ldm_.ddmiUnet, {"mixing_logit"});
  }
  if (ldm_.unet) {
    ldm_.unet->to(compute_.device);
    // the mixing gate is applied in fp32 by UNetImpl::forward; GroupNorms keep fp32 statistics
    if (compute_.half) convertToHalfKeepingNorms(*ldm_.unet, {"mix_logit"});
  }
  // ldm_.schedule stays on the CPU: the sampler only reads host scalars from it.
}

SeededSampling ImageModel::sampling(int steps, float eta, const ClassGuidance& guidance) {
  if (!canSample())
    throw std::runtime_error("model '" + card_.value("file", "") + "' has no diffusion model: it can only reconstruct");
  const auto& c = vae_->config();
  SeededSampling s{&ldm_, {c.latentChannels, c.latentResolution(), c.latentResolution()}, compute_.device, steps, eta, onStep_};
  s.guidance = guidance;
  return s;
}

torch::Tensor ImageModel::sampleLatents(const std::vector<uint64_t>& seeds, int steps, float eta,
                                        const ClassGuidance& guidance) {
  return sampleSeeds(sampling(steps, eta, guidance), seeds);
}

torch::Tensor ImageModel::sampleLatent(uint64_t seed, int steps, float eta, const ClassGuidance& guidance) {
  return sampleLatents({seed}, steps, eta, guidance);
}

torch::Tensor ImageModel::sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps, float eta,
                                            const ClassGuidance& guidance) {
  return sampleSeedBlend(sampling(steps, eta, guidance), seedA, seedB, t);
}

torch::Tensor ImageModel::sampleLatentMix(const std::vector<uint64_t>& seeds, const std::vector<float>& weights,
                                          int steps, float eta, const ClassGuidance& guidance) {
  return sampleSeedMix(sampling(steps, eta, guidance), seeds, weights);
}

torch::Tensor ImageModel::encode(const torch::Tensor& images) {
  c10::InferenceMode guard;
  return vae_->encode(images.to(compute_.device)).mean;
}

ImageFields ImageModel::makeFields(const torch::Tensor& latent) {
  c10::InferenceMode guard;
  auto z = (latent.dim() == 3 ? latent.unsqueeze(0) : latent).to(compute_.device, torch::kFloat32);
  ImageFields f = vae_->decodeFields(z);
  if (compute_.half)
    for (auto& level : f.levels) level = level.to(torch::kHalf);
  f.channelsLast();
  return f;
}

void ImageModel::decodeRegion(const ImageFields& fields, double x0, double y0, double x1, double y1, int W, int H,
                              torch::Tensor out) {
  decodeRegionRgba8(vae_, fields, x0, y0, x1, y1, W, H, std::move(out));
}

}  // namespace fieldscope
