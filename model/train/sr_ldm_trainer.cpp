#include "model/train/sr_ldm_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/photo_data/photo_dataset.h"
#include "model/sr/cubic_resample.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_degrade.h"
#include "model/sr/sr_diffusion.h"
#include "model/train/latent_diffusion_trainer.h"
#include "model/train/progress_line.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace {

constexpr int64_t kPoolBatch = 64;

struct Pool {
  torch::Tensor cond, target;
  double psnrBefore = 0, psnrAfter = 0;
};

Pool buildPool(SrAutoencoder& ae, const torch::Tensor& crops, const SrLdmTrainOptions& o) {
  const SrAeConfig& cfg = ae->config();
  const int64_t side = o.window;
  std::vector<torch::Tensor> conds, targets;
  double before = 0, after = 0;
  ProgressLine line(o.pool, 0, "pairs");
  for (int64_t done = 0; done < o.pool;) {
    const int64_t n = std::min(kPoolBatch, o.pool - done);
    // A generator per pool batch, none of which a training step uses (those count up from 0).
    const torch::Generator gen = stepGenerator(o.run.seed, -1000 - done / kPoolBatch);
    const torch::Tensor hr = drawPhotoBatch(crops, n, side, gen);
    std::vector<torch::Tensor> ups;
    for (int64_t k = 0; k < n; ++k) {
      const double scale = 1 + randomUniform(gen) * (cfg.maxTrainScale - 1);
      const int64_t lrSide = lowResSide(side, scale);
      const torch::Tensor one = hr.narrow(0, k, 1);
      ups.push_back(lrSide == side ? quantize8(one) : cubicResize(degrade(one, lrSide, lrSide), side, side));
    }
    const InvertedLatents inv = invertSrLatents(ae, hr, torch::cat(ups), o.inversion);
    conds.push_back(inv.cond);
    targets.push_back(inv.target);
    before += inv.psnrBefore * double(n);
    after += inv.psnrAfter * double(n);
    done += n;
    if (!o.run.quiet) {
      char text[96];
      std::snprintf(text, sizeof text, "decoded windows %.2f -> %.2f dB", before / double(done), after / double(done));
      line.update(done, text);
    }
  }
  if (!o.run.quiet) line.finish();
  return {torch::cat(conds), torch::cat(targets), before / double(o.pool), after / double(o.pool)};
}

}  // namespace

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
  const Pool pool = buildPool(ae, crops, opt);

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
