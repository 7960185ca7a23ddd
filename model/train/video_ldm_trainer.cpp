#include "model/train/video_ldm_trainer.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/checkpoint/checkpoint.h"
#include "model/train/latent_diffusion_trainer.h"
#include "model/video/clip_tensors.h"
#include "model/video/video_vae_io.h"
#include "model/video_data/clip_dataset.h"

namespace fieldscope {

VideoLdmTrainResult trainVideoLdm(const VideoLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  const Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "video");
  checkTrainingRun(o.run);  // before encoding the data set: a bad path should not wait for it
  VideoVae vae = restoreVideoVae(vaeCkpt);
  const VideoVaeConfig& vcfg = vae->config();
  EncodedLatents latents;
  {
    torch::NoGradGuard ng;
    const torch::Tensor clips = clipsToTensor(loadClipDataset(o.dataDir).train);
    if (clips.size(0) == 0) throw std::runtime_error("clip data set '" + o.dataDir.string() + "' has no training clips");
    if (clips.size(1) != vcfg.frames || clips.size(3) != vcfg.size)
      throw std::runtime_error("clip data set '" + o.dataDir.string() + "' has " + std::to_string(clips.size(1)) +
                               " frames of " + std::to_string(clips.size(3)) + "^2, the VAE '" + o.vaePath.string() +
                               "' was trained on " + std::to_string(vcfg.frames) + " of " + std::to_string(vcfg.size) + "^2");
    std::vector<torch::Tensor> m, s;
    for (int64_t i = 0; i < clips.size(0); i += 16) {
      auto batch = clips.narrow(0, i, std::min<int64_t>(16, clips.size(0) - i)).to(torch::kFloat32) / 127.5 - 1;
      Posterior p = vae->encode(batch);
      m.push_back(p.mean);
      s.push_back(torch::exp(0.5 * p.logvar));
    }
    latents = withLatentScale(torch::cat(m), torch::cat(s), o.run.seed);
  }
  LatentDiffusionTrainSpec spec;
  spec.domain = "video";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentWidth());
  spec.vaeFile = std::filesystem::absolute(o.vaePath).string();
  spec.modelBase = modelBaseFromVae(vaeCkpt);
  const LatentDiffusionTrainResult r = trainLatentDiffusion(spec, latents);
  return {r.stepsDone, r.interrupted, r.seconds};
}

}  // namespace fieldscope
