#include "model/train/image_vae_trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/data/image_folder.h"
#include "model/image/image_eval.h"
#include "model/image/image_vae_io.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace F = torch::nn::functional;

namespace {

std::filesystem::path statePath(const std::filesystem::path& out) {
  auto p = out;
  p += ".train";
  return p;
}

// Multi-scale targets (DESIGN.md §5.1): the full image at si 1, or a random training-size crop of
// the image resized x1.5 (si 1/1.5) or x2 (si 1/2); returns the target and the region it covers.
struct ScaleCrop {
  torch::Tensor target;
  double x0, y0, x1, y1;
};

ScaleCrop pickScaleCrop(const torch::Tensor& batch, const torch::Generator& gen) {
  const int64_t r = batch.size(-1);
  const double u = randomUniform(gen);
  const double s = u < 0.5 ? 1.0 : (u < 0.75 ? 1.5 : 2.0);
  if (s == 1.0) return {batch, 0, 0, 1, 1};
  const int64_t big = static_cast<int64_t>(std::lround(r * s));
  auto up = F::interpolate(batch, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{big, big})
                                      .mode(torch::kBicubic)
                                      .align_corners(false))
                .clamp(-1, 1);
  const int64_t ox = randomIndex(gen, big - r + 1), oy = randomIndex(gen, big - r + 1);
  auto target = up.narrow(2, oy, r).narrow(3, ox, r);
  const double b = static_cast<double>(big);
  return {target, ox / b, oy / b, (ox + r) / b, (oy + r) / b};
}

double learningRate(const ImageVaeTrainOptions& o, int64_t step) {
  const double warm = std::min(1.0, (step + 1) / 100.0);
  const double cosine = 0.5 * (1 + std::cos(M_PI * std::min(1.0, static_cast<double>(step) / o.steps)));
  return o.lr * warm * (0.02 + 0.98 * cosine);
}

}  // namespace

ImageVaeTrainResult trainImageVae(const ImageVaeTrainOptions& o) {
  if (o.steps <= 0 || o.batch <= 0) throw std::runtime_error("--steps and --batch must be positive");
  const ImageVaeConfig cfg = ImageVaeConfig::preset_(o.preset);
  checkWritable(o.out);
  const auto state = statePath(o.out);
  const auto logPath = o.log.empty() ? std::filesystem::path(o.out.string() + ".loss.csv") : o.log;
  checkWritable(logPath);
  ImageDataset data = loadImageFolder(o.dataDir, cfg.resolution);
  const int64_t n = data.train.images.size(0);
  if (!o.quiet)
    std::fprintf(stderr, "fieldscope: %lld training images, %lld held out, %dx%d (preset %s)\n", static_cast<long long>(n),
                 static_cast<long long>(data.heldOut.images.size(0)), cfg.resolution, cfg.resolution, cfg.preset.c_str());

  torch::manual_seed(o.seed);
  ImageVae vae(cfg);
  vae->train();
  torch::optim::Adam adam(vae->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.99}));
  CsvLog log(logPath, "step,loss,l1,kl,psnr_batch,scale,lr,seconds");
  int64_t step = 0;
  double secondsBefore = 0;
  nlohmann::json frozenFrom = nullptr;  // step from which the encoder was frozen, if it was
  if (o.resume) {
    if (!std::filesystem::exists(state))
      throw std::runtime_error("cannot resume: training state '" + state.string() + "' does not exist");
    Checkpoint s = loadCheckpoint(state, "image");
    if (s.config.value("kind", "") != "vae-train-state")
      throw std::runtime_error("checkpoint '" + state.string() + "' is not an image-VAE training state");
    if (s.config["vae"] != cfg.toJson())
      throw std::runtime_error("cannot resume from '" + state.string() + "': it was trained with another preset");
    restoreModule(s, "vae.", *vae);
    optimizerFromBytes(adam, s.at("optimizer"));
    step = s.config.at("step").get<int64_t>();
    secondsBefore = s.config.value("seconds", 0.0);
    if (s.config.contains("encoder_frozen_from_step")) frozenFrom = s.config["encoder_frozen_from_step"];
    log.load();
    log.truncateFrom(step);
    if (!o.quiet) std::fprintf(stderr, "fieldscope: resuming from step %lld\n", static_cast<long long>(step));
  }

  auto dataJson = nlohmann::json{{"folder", std::filesystem::absolute(o.dataDir).string()},
                                 {"train_images", n},
                                 {"held_out_images", data.heldOut.images.size(0)},
                                 {"resolution", cfg.resolution},
                                 {"held_out_rule", "FNV-1a(file name) % 10 == 0"}};
  if (o.freezeEncoder && frozenFrom.is_null()) frozenFrom = step;
  ProgressBar bar(o.steps, step);
  auto saveState = [&](int64_t atStep) {
    Checkpoint s;
    s.config = {{"domain", "image"}, {"kind", "vae-train-state"}, {"step", atStep}, {"seed", o.seed},
                {"seconds", secondsBefore + bar.elapsedSeconds()}, {"encoder_frozen_from_step", frozenFrom}};
    storeVae(s, vae);
    s.tensors["optimizer"] = optimizerToBytes(adam);
    saveCheckpoint(state, s);
    log.flush();
  };
  auto saveModel = [&](int64_t atStep, double heldOutPsnr) {
    Checkpoint m;
    m.config = {{"domain", "image"},
                {"kind", "vae"},
                {"preset", cfg.preset},
                {"data", dataJson},
                {"training",
                 {{"command", o.commandLine},
                  {"steps", atStep},
                  {"batch", o.batch},
                  {"lr", o.lr},
                  {"seed", o.seed},
                  {"encoder_frozen_from_step", frozenFrom},
                  {"seconds", secondsBefore + bar.elapsedSeconds()},
                  {"hardware", hardwareDescription()},
                  {"finished", utcTimestamp()},
                  {"loss", "L1 (multi-scale crops at si 1, 1/1.5, 1/2) + KL x " + std::to_string(cfg.klWeight) +
                               "; no LPIPS (no pretrained VGG weights offline)"}}},
                {"metrics", {{"held_out_psnr_db", heldOutPsnr}, {"held_out_images", data.heldOut.images.size(0)}}}};
    storeVae(m, vae);
    saveCheckpoint(o.out, m);
  };

  if (o.freezeEncoder)
    for (auto& p : vae->encoder->parameters()) p.set_requires_grad(false);

  installInterruptHandler();
  ImageVaeTrainResult result;
  double emaLoss = 0;
  for (; step < o.steps; ++step) {
    if (interruptRequested() || step == o.stopAt) {
      result.interrupted = true;
      break;
    }
    auto gen = stepGenerator(o.seed, step);
    auto idx = torch::randint(n, {o.batch}, gen, torch::kInt64);
    auto batch = data.train.images.index_select(0, idx);
    const double lr = learningRate(o, step);
    for (auto& g : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);

    Posterior post = vae->encode(batch);
    ImageFields fields = vae->decodeFields(post.sample(gen));
    ScaleCrop sc = pickScaleCrop(batch, gen);
    auto pred = vae->renderRegion(fields, sc.x0, sc.y0, sc.x1, sc.y1, cfg.resolution, cfg.resolution);
    auto l1 = (pred - sc.target).abs().mean();
    auto kl = post.kl();
    auto loss = l1 + cfg.klWeight * kl / (cfg.resolution * cfg.resolution * 3);
    adam.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(vae->parameters(), 1.0);
    adam.step();

    const double lv = loss.item<double>();
    emaLoss = step == 0 ? lv : 0.98 * emaLoss + 0.02 * lv;
    if (step % 10 == 0) {
      char row[256];
      std::snprintf(row, sizeof row, "%.6f,%.6f,%.3f,%.3f,%.4f,%.3e,%.1f", lv, l1.item<double>(), kl.item<double>(),
                    psnr(pred.detach(), sc.target), cfg.resolution / (sc.x1 - sc.x0) / cfg.resolution, lr,
                    secondsBefore + bar.elapsedSeconds());
      log.add(step, row);
    }
    if (!o.quiet) {
      char extra[64];
      std::snprintf(extra, sizeof extra, "loss %.4f", emaLoss);
      bar.update(step + 1, extra);
    }
    if ((step + 1) % o.checkpointEvery == 0 && step + 1 < o.steps) {
      saveState(step + 1);
      saveModel(step + 1, -1);
    }
  }
  if (!o.quiet) bar.finish();
  result.stepsDone = step;
  if (data.heldOut.images.size(0) > 0) result.heldOutPsnr = psnr(reconstructImages(vae, data.heldOut.images), data.heldOut.images);
  else result.heldOutPsnr = psnr(reconstructImages(vae, data.train.images), data.train.images);
  saveState(step);
  saveModel(step, result.heldOutPsnr);
  result.seconds = secondsBefore + bar.elapsedSeconds();
  clearInterrupt();
  return result;
}

}  // namespace fieldscope
