#include "model/nerf/nerf_scene_model.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_scene_io.h"
#include "model/shape/triplane_vae.h"

namespace fieldscope {

std::unique_ptr<NerfSceneModel> NerfSceneModel::load(const std::filesystem::path& path) {
  return fromCheckpoint(loadCheckpoint(path, "nerf"));
}

std::unique_ptr<NerfSceneModel> NerfSceneModel::fromCheckpoint(const Checkpoint& ckpt) {
  const std::string file = ckpt.file.string();
  if (!isGenerative(ckpt.config))
    throw std::runtime_error("'" + file + "' is a NeRF '" + ckpt.config.value("kind", "") +
                             "' file, not a generative NeRF model (a VAE + LDM from `fieldscope train nerf-ldm`)");
  std::unique_ptr<NerfSceneModel> m(new NerfSceneModel());
  NerfVaeParts parts = restoreNerfVae(ckpt);
  m->vae_ = parts.vae;
  m->mlp_ = parts.mlp;
  m->ldm_ = restoreLatentDiffusion(ckpt);
  const int64_t r = m->vae_->latentResolution();
  if (m->ldm_.unet->config().inChannels != m->vae_->config().latentChannels || m->ldm_.unet->config().resolution != r)
    throw std::runtime_error("'" + file + "': its diffusion model does not fit its VAE's latent");
  if (ckpt.tensors.count("train_latents.mean")) m->trainLatents_ = ckpt.at("train_latents.mean");
  m->card_ = ckpt.config;
  m->card_["file"] = file;
  return m;
}

torch::Tensor NerfSceneModel::sampleLatent(uint64_t seed, int steps, float eta) {
  const int64_t r = vae_->latentResolution();
  const SeededSampling s{&ldm_, {vae_->config().latentChannels, r, 3 * r}, torch::kCPU, steps, eta, onStep_};
  return rollIn(sampleSeeds(s, {seed}));
}

NerfField NerfSceneModel::decode(const torch::Tensor& latent) {
  torch::NoGradGuard noGrad;
  NerfField f;
  f.config = vae_->nerfConfig();
  f.planes = vae_->decode(latent.to(torch::kFloat32))[0].contiguous();
  f.mlp = mlp_;
  return f;
}

NerfModelFile openNerfModelFile(const std::filesystem::path& path) {
  const Checkpoint ckpt = loadCheckpoint(path, "nerf");
  const std::string kind = ckpt.config.value("kind", "");
  if (kind == "scene") return {std::make_shared<const NerfField>(restoreNerfField(ckpt)), nullptr};
  if (NerfSceneModel::isGenerative(ckpt.config)) return {nullptr, NerfSceneModel::fromCheckpoint(ckpt)};
  throw std::runtime_error("'" + path.string() + "' is a NeRF '" + kind +
                           "' file: a fitted scene (`fit nerf`) or a generative model (`train nerf-ldm`) is what shows");
}

NerfField nerfFieldOfFile(const std::filesystem::path& path, uint64_t seed, int steps) {
  const NerfModelFile f = openNerfModelFile(path);
  return f.scene ? *f.scene : f.model->sample(seed, steps);
}

}  // namespace fieldscope
