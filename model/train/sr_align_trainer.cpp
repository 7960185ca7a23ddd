#include "model/train/sr_align_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/photo_data/photo_dataset.h"
#include "model/sr/image_quality.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/train/latent_diffusion_trainer.h"
#include "model/train/sr_training_pairs.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace {

// The pairs' windows decoded from x̂₀ of the UNet at t = 100, 300, 500 (one noise draw of a
// generator no training step uses), mean PSNR against the windows.
double x0Psnr(SrDiffusion& d, SrAutoencoder& ae, const SrTrainingPairs& p, uint64_t seed) {
  torch::NoGradGuard noGrad;
  const double scale = d.ldm.latentScale;
  const torch::Tensor detail = (p.target - p.cond) * scale, cond = p.cond * d.condScale;
  const int64_t side = p.hr.size(-1);
  double sum = 0;
  int64_t count = 0;
  for (int64_t t : {100, 300, 500}) {
    const torch::Generator gen = stepGenerator(seed, -2000 - t);
    const double ab = d.ldm.schedule.abar(t), a = std::sqrt(ab), b = std::sqrt(1 - ab);
    for (int64_t i = 0; i < detail.size(0); i += 64) {
      const int64_t n = std::min<int64_t>(64, detail.size(0) - i);
      const torch::Tensor x = detail.narrow(0, i, n);
      const torch::Tensor xt = a * x + b * torch::randn(x.sizes(), gen, torch::kFloat32);
      const torch::Tensor eps = d.ldm.unet->forward(xt, torch::full({n}, t, torch::kInt64),
                                                    torch::full({n}, b, torch::kFloat32), cond.narrow(0, i, n));
      const torch::Tensor z = p.cond.narrow(0, i, n) + (xt - b * eps) / a / scale;
      const torch::Tensor img = ae->render(ae->features(z), p.up.narrow(0, i, n), side, side);
      sum += psnrPerImage(img, p.hr.narrow(0, i, n)).sum().item<double>();
      count += n;
    }
  }
  return sum / double(count);
}

}  // namespace

SrAlignTrainResult trainSrAlign(const SrAlignTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  if (o.pool <= 0) throw std::runtime_error("--pool must be positive");
  const Checkpoint model = loadCheckpoint(o.modelPath, "sr");
  if (!hasSrDiffusion(model))
    throw std::runtime_error("'" + o.modelPath.string() +
                             "' has no diffusion stage to align: train one with `fieldscope train sr-ldm` first");
  checkTrainingRun(o.run);  // before the pairs: a bad path should not wait for them
  SrAutoencoder ae = restoreSrAutoencoder(model);
  ae->eval();
  for (auto& p : ae->parameters()) p.set_requires_grad(false);  // frozen; gradients still flow through it
  SrDiffusion before = restoreSrDiffusion(model);
  const SrAeConfig& cfg = ae->config();
  int64_t window = o.window;
  if (window == 0) window = model.config.value(nlohmann::json::json_pointer("/training_ldm/targets/window"), int64_t(cfg.cropSize));
  if (window < 16 || window % (4 * cfg.downFactor()) != 0)
    throw std::runtime_error("--window must be a multiple of " + std::to_string(4 * cfg.downFactor()) + " pixels");
  const PhotoDataset data = loadPhotoDataset(o.dataDir);
  if (data.cropSize < window)
    throw std::runtime_error("the photo crops in '" + o.dataDir.string() + "' are " + std::to_string(data.cropSize) +
                             " px, smaller than the " + std::to_string(window) + " px windows");
  const torch::Tensor crops = photosToTensor(data.train);
  if (crops.size(0) == 0) throw std::runtime_error("'" + o.dataDir.string() + "' has no training crops");
  if (!o.run.quiet)
    std::fprintf(stderr, "fieldscope: finding the target latents of %lld windows (%d inversion steps each)\n",
                 static_cast<long long>(o.pool), o.inversion.steps);
  const SrTrainingPairs pairs = makeSrTrainingPairs(ae, crops, o.pool, window, o.run.seed, o.inversion, o.run.quiet);

  EncodedLatents latents;  // the model's scales: its UNet was trained at them
  latents.means = pairs.target - pairs.cond;
  latents.stds = torch::zeros_like(latents.means);
  latents.scale = before.ldm.latentScale;
  latents.std = 1.0 / latents.scale;
  latents.cond = pairs.cond * before.condScale;

  LatentDiffusionTrainSpec spec;
  spec.domain = "sr";
  spec.run = &o.run;
  spec.batch = o.batch;
  spec.lr = o.lr;
  spec.unet = before.ldm.unet->config();
  spec.initFrom = o.modelPath;
  spec.vaeFile = std::filesystem::absolute(o.modelPath).string();
  spec.modelBase = modelBaseFromVae(model);
  spec.imageLossWeight = o.imageWeight;
  spec.imageLossSnrCap = o.snrCap;
  const double scale = latents.scale;
  spec.imageLoss = [&](const torch::Tensor& x0, const torch::Tensor& idx) {
    const torch::Tensor z = pairs.cond.index_select(0, idx) + x0 / scale;
    const torch::Tensor img = ae->render(ae->features(z), pairs.up.index_select(0, idx), window, window);
    return (img - pairs.hr.index_select(0, idx)).pow(2).mean({1, 2, 3});
  };
  const double condScale = before.condScale;
  spec.finishModel = [&](Checkpoint& m) {
    storeSrDiffusionCondition(m, condScale);
    // The sr-ldm record stays; this stage gets its own.
    m.config["training_align"] = m.config["training_ldm"];
    m.config["training_align"]["image_weight"] = o.imageWeight;
    m.config["training_align"]["snr_cap"] = o.snrCap;
    m.config["training_align"]["pairs"] = {{"pairs", o.pool},
                                           {"window", window},
                                           {"inversion_steps", o.inversion.steps},
                                           {"inversion_step_size", o.inversion.stepSize},
                                           {"decoded_psnr_db_before", pairs.psnrBefore},
                                           {"decoded_psnr_db_after", pairs.psnrAfter}};
    m.config["training_ldm"] = model.config.value("training_ldm", nlohmann::json::object());
  };
  const LatentDiffusionTrainResult r = trainLatentDiffusion(spec, latents);

  SrAlignTrainResult result{r.stepsDone, r.interrupted, r.seconds, 0, 0};
  if (r.interrupted || o.run.dist.rank != 0) return result;  // the measure goes with the finished file
  Checkpoint aligned = loadCheckpoint(o.run.out, "sr");
  SrDiffusion after = restoreSrDiffusion(aligned);
  result.x0PsnrBefore = x0Psnr(before, ae, pairs, o.run.seed);
  result.x0PsnrAfter = x0Psnr(after, ae, pairs, o.run.seed);
  aligned.config["training_align"]["x0_psnr_db"] = {{"noise_steps", {100, 300, 500}},
                                                    {"before", result.x0PsnrBefore},
                                                    {"after", result.x0PsnrAfter}};
  saveCheckpoint(o.run.out, aligned);
  return result;
}

}  // namespace fieldscope
