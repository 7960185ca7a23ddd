#include "model/train/nerf_ldm_trainer.h"

#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_vae.h"
#include "model/shape/triplane_vae.h"
#include "model/train/latent_diffusion_trainer.h"

namespace fieldscope {

NerfLdmTrainResult trainNerfLdm(const NerfLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  const Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "nerf");
  checkTrainingRun(o.run);
  const NerfVaeParts parts = restoreNerfVae(vaeCkpt);
  const torch::Tensor& means = vaeCkpt.at("train_latents.mean");
  const torch::Tensor& stds = vaeCkpt.at("train_latents.std");
  const int64_t r = parts.vae->latentResolution(), cz = parts.vae->config().latentChannels;
  const std::vector<int64_t> want{means.size(0), 3, cz, r, r};
  if (means.dim() != 5 || means.sizes() != torch::IntArrayRef(want) || stds.sizes() != means.sizes() ||
      means.scalar_type() != torch::kFloat32 || stds.scalar_type() != torch::kFloat32 || means.size(0) < 1)
    throw std::runtime_error("'" + o.vaePath.string() + "': its training latents do not fit its VAE");
  const EncodedLatents latents = withLatentScale(rollOut(means), rollOut(stds), o.run.seed);

  LatentDiffusionTrainSpec spec;
  spec.domain = "nerf";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, int(cz), int(r));
  spec.vaeFile = std::filesystem::absolute(o.vaePath).string();
  // The training scenes' latents stay with the model (what it was trained on; the encoded scenes a
  // user can compare samples with).
  spec.modelBase = modelBaseFromVae(vaeCkpt, {"vae.", "mlp.", "train_latents."});
  const LatentDiffusionTrainResult res = trainLatentDiffusion(spec, latents);
  return {res.stepsDone, res.interrupted, res.seconds};
}

}  // namespace fieldscope
