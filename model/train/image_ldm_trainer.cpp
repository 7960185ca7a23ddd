#include "model/train/image_ldm_trainer.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/checkpoint/checkpoint.h"
#include "model/data/image_folder.h"
#include "model/image/image_vae_io.h"
#include "model/train/latent_diffusion_trainer.h"

namespace fieldscope {

namespace {

// The training set as posterior means and standard deviations: encoded once, sampled every step.
EncodedLatents encodeLatents(ImageVae& vae, const torch::Tensor& images, uint64_t seed) {
  torch::NoGradGuard ng;
  const int64_t n = images.size(0);
  std::vector<torch::Tensor> m, s;
  for (int64_t i = 0; i < n; i += 64) {
    Posterior p = vae->encode(images.narrow(0, i, std::min<int64_t>(64, n - i)));
    m.push_back(p.mean);
    s.push_back(torch::exp(0.5 * p.logvar));
  }
  return withLatentScale(torch::cat(m), torch::cat(s), seed);
}

}  // namespace

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  const Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "image");
  checkTrainingRun(o.run);  // before encoding the data set: a bad path should not wait for it
  ImageVae vae = restoreVae(vaeCkpt);
  const ImageVaeConfig& vcfg = vae->config();
  EncodedLatents latents = encodeLatents(vae, loadImageFolder(o.dataDir, vcfg.resolution).train.images, o.run.seed);
  LatentDiffusionTrainSpec spec;
  spec.domain = "image";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
  if (vcfg.ddmi()) {  // a faithful VAE gets the authors' UNet and their unscaled latents
    spec.ddmiUnet = DdmiUNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
    latents.scale = 1.0;
  }
  spec.vaeFile = std::filesystem::absolute(o.vaePath).string();
  spec.modelBase = [&, base = modelBaseFromVae(vaeCkpt)](const TrainingProgress& p) {
    Checkpoint m = base(p);
    m.config["preset"] = vcfg.preset;
    m.config["vae"] = vcfg.toJson();
    return m;
  };
  const LatentDiffusionTrainResult r = trainLatentDiffusion(spec, latents);
  return {r.stepsDone, r.interrupted, r.seconds};
}

}  // namespace fieldscope
