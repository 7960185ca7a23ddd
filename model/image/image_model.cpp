#include "model/image/image_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/ddim.h"
#include "model/image/image_vae_io.h"
#include "model/image/region_decoder.h"

namespace fieldscope {

std::unique_ptr<ImageModel> ImageModel::load(const std::filesystem::path& path) {
  Checkpoint ckpt = loadCheckpoint(path, "image");
  const std::string kind = ckpt.config.value("kind", "");
  if (kind != "vae+ldm" && kind != "vae")
    throw std::runtime_error("checkpoint '" + path.string() + "' is a '" + kind +
                             "' file, not an image model (expected a VAE or VAE + LDM)");
  std::unique_ptr<ImageModel> m(new ImageModel());
  m->vae_ = restoreVae(ckpt);
  if (kind == "vae+ldm") m->ldm_ = restoreLatentDiffusion(ckpt);
  m->card_ = ckpt.config;
  m->card_["file"] = path.string();
  return m;
}

torch::Tensor ImageModel::run(torch::Tensor noise, std::vector<torch::Generator>& gens, int steps, float eta) {
  if (!canSample())
    throw std::runtime_error("model '" + card_.value("file", "") + "' has no diffusion model: it can only reconstruct");
  c10::InferenceMode guard;
  auto x = ddimSample(ldm_.unet, ldm_.schedule, noise, steps, eta, gens);
  return x / ldm_.latentScale;
}

torch::Tensor ImageModel::sampleLatents(const std::vector<uint64_t>& seeds, int steps, float eta) {
  const auto& c = vae_->config();
  std::vector<torch::Tensor> noises;
  std::vector<torch::Generator> gens(seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i)
    noises.push_back(seedNoise(seeds[i], {c.latentChannels, c.latentResolution(), c.latentResolution()}, &gens[i]));
  return run(torch::stack(noises), gens, steps, eta);
}

torch::Tensor ImageModel::sampleLatent(uint64_t seed, int steps, float eta) { return sampleLatents({seed}, steps, eta); }

torch::Tensor ImageModel::sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps, float eta) {
  const auto& c = vae_->config();
  std::vector<torch::Generator> gens(1);
  torch::Generator unused;
  auto a = seedNoise(seedA, {c.latentChannels, c.latentResolution(), c.latentResolution()}, &gens[0]);
  auto b = seedNoise(seedB, {c.latentChannels, c.latentResolution(), c.latentResolution()}, &unused);
  return run(slerp(a, b, t).unsqueeze(0), gens, steps, eta);
}

torch::Tensor ImageModel::sampleLatentMix(const std::vector<uint64_t>& seeds, const std::vector<float>& weights,
                                          int steps, float eta) {
  if (seeds.empty() || seeds.size() != weights.size())
    throw std::invalid_argument("sampleLatentMix: expected one weight per seed");
  const auto& c = vae_->config();
  const std::vector<int64_t> shape{c.latentChannels, c.latentResolution(), c.latentResolution()};
  // The heaviest seed's generator drives the sampler's own noise (eta > 0).
  const size_t heaviest = size_t(std::max_element(weights.begin(), weights.end()) - weights.begin());
  std::vector<torch::Generator> gens(1);
  torch::Tensor mix;
  double norm = 0;
  for (size_t i = 0; i < seeds.size(); ++i) {
    torch::Generator unused;
    torch::Tensor n = seedNoise(seeds[i], shape, i == heaviest ? &gens[0] : &unused) * weights[i];
    mix = mix.defined() ? mix + n : n;
    norm += double(weights[i]) * weights[i];
  }
  if (!(norm > 0)) throw std::invalid_argument("sampleLatentMix: the weights are all zero");
  return run((mix / std::sqrt(norm)).unsqueeze(0), gens, steps, eta);
}

torch::Tensor ImageModel::encode(const torch::Tensor& images) {
  c10::InferenceMode guard;
  return vae_->encode(images).mean;
}

ImageFields ImageModel::makeFields(const torch::Tensor& latent) {
  c10::InferenceMode guard;
  ImageFields f = vae_->decodeFields(latent.dim() == 3 ? latent.unsqueeze(0) : latent);
  f.channelsLast();
  return f;
}

void ImageModel::decodeRegion(const ImageFields& fields, double x0, double y0, double x1, double y1, int W, int H,
                              torch::Tensor out) {
  decodeRegionRgba8(vae_, fields, x0, y0, x1, y1, W, H, std::move(out));
}

}  // namespace fieldscope
