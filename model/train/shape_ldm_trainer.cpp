#include "model/train/shape_ldm_trainer.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/checkpoint/checkpoint.h"
#include "model/shape/shape_training_data.h"
#include "model/shape/shape_vae_io.h"
#include "model/shape/triplane_vae.h"
#include "model/train/latent_diffusion_trainer.h"

namespace fieldscope {

ShapeLdmTrainResult trainShapeLdm(const ShapeLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  const Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "shape");
  checkTrainingRun(o.run);  // before encoding the data set: a bad path should not wait for it
  ShapeVae vae = restoreShapeVae(vaeCkpt);
  const ShapeVaeConfig& vcfg = vae->config();
  EncodedLatents latents;
  {
    torch::NoGradGuard ng;
    const ShapeSet train = loadShapeData(o.dataDir).train;
    const int64_t T = std::min<int64_t>(vcfg.pointCount, train.surface.size(1));
    std::vector<torch::Tensor> m, s;
    for (int64_t i = 0; i < train.size(); i += 32) {
      Posterior p = vae->encode(train.surface.narrow(0, i, std::min<int64_t>(32, train.size() - i)).narrow(1, 0, T));
      m.push_back(rollOut(p.mean));
      s.push_back(rollOut(torch::exp(0.5 * p.logvar)));
    }
    latents = withLatentScale(torch::cat(m), torch::cat(s), o.run.seed);
  }
  LatentDiffusionTrainSpec spec;
  spec.domain = "shape";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
  spec.vaeFile = std::filesystem::absolute(o.vaePath).string();
  spec.modelBase = modelBaseFromVae(vaeCkpt);
  const LatentDiffusionTrainResult r = trainLatentDiffusion(spec, latents);
  return {r.stepsDone, r.interrupted, r.seconds};
}

}  // namespace fieldscope
