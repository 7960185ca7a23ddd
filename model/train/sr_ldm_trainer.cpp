#include "model/train/sr_ldm_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/photo_data/photo_dataset.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/train/sr_training_pairs.h"
#include "model/train/latent_diffusion_trainer.h"
#include "model/train/train_support.h"

namespace fieldscope {

SrLdmTrainResult trainSrLdm(const SrLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  if (o.pool <= 0) throw std::runtime_error("--pool must be positive");
  const Checkpoint aeCkpt = loadCheckpoint(o.vaePath, "sr");
  checkTrainingRun(o.run);  // before the pool: a bad path should not wait for it
  SrAutoencoder ae = restoreSrAutoencoder(aeCkpt);
  const SrAeConfig& cfg = ae->config();
  SrLdmTrainOptions opt = o;
  if (opt.window == 0) opt.window = cfg.cropSize;
  if (opt.window < 16 || opt.window % (4 * cfg.downFactor()) != 0)
    throw std::runtime_error("--window must be a multiple of " + std::to_string(4 * cfg.downFactor()) + " pixels");
  const PhotoDataset data = loadPhotoDataset(o.dataDir);
  if (data.cropSize < opt.window)
    throw std::runtime_error("the photo crops in '" + o.dataDir.string() + "' are " + std::to_string(data.cropSize) +
                             " px, smaller than the " + std::to_string(opt.window) + " px windows");
  const torch::Tensor crops = photosToTensor(data.train);
  if (crops.size(0) == 0) throw std::runtime_error("'" + o.dataDir.string() + "' has no training crops");
  if (!o.run.quiet)
    std::fprintf(stderr, "fieldscope: finding the target latents of %lld windows (%d inversion steps each)\n",
                 static_cast<long long>(o.pool), o.inversion.steps);
  const SrTrainingPairs pool =
      makeSrTrainingPairs(ae, crops, o.pool, opt.window, o.run.seed, o.inversion, o.run.quiet);

  const torch::Tensor detail = pool.target - pool.cond;
  if (!(detail.abs().max().item<double>() > 1e-6 * std::max(1e-6, pool.cond.abs().max().item<double>())))
    throw std::runtime_error("the decoder of '" + o.vaePath.string() +
                             "' does not respond to its latent (every target latent is the decoder-only one): train it "
                             "longer with `fieldscope train sr-ae` before its diffusion stage");
  const double condScale = 1.0 / std::max(1e-6, pool.cond.std().item<double>());
  EncodedLatents latents = withLatentScale(detail, torch::zeros_like(detail), o.run.seed);
  latents.cond = pool.cond * condScale;

  LatentDiffusionTrainSpec spec;
  spec.domain = "sr";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = UNetConfig::preset_(o.preset, cfg.latentChannels, int(opt.window / cfg.downFactor()));
  spec.unet.condChannels = cfg.latentChannels;
  if (o.unetChannels > 0) spec.unet.baseChannels = o.unetChannels;
  spec.vaeFile = std::filesystem::absolute(o.vaePath).string();
  spec.modelBase = modelBaseFromVae(aeCkpt);
  spec.finishModel = [&](Checkpoint& m) {
    storeSrDiffusionCondition(m, condScale);
    m.config["training_ldm"]["targets"] = {{"pairs", o.pool},
                                           {"window", opt.window},
                                           {"scales", {1.0, cfg.maxTrainScale}},
                                           {"inversion_steps", o.inversion.steps},
                                           {"inversion_step_size", o.inversion.stepSize},
                                           {"inversion_pull", o.inversion.pull},
                                           {"decoded_psnr_db_before", pool.psnrBefore},
                                           {"decoded_psnr_db_after", pool.psnrAfter}};
  };
  const LatentDiffusionTrainResult r = trainLatentDiffusion(spec, latents);
  return {r.stepsDone, r.interrupted, r.seconds, pool.psnrBefore, pool.psnrAfter};
}

}  // namespace fieldscope
