#include "model/train/image_ldm_trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/data/image_folder.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/image/image_vae_io.h"
#include "model/train/train_support.h"

namespace fieldscope {

namespace {

double learningRate(const ImageLdmTrainOptions& o, int64_t step) {
  const double warm = std::min(1.0, (step + 1) / 200.0);
  const double cosine = 0.5 * (1 + std::cos(M_PI * std::min(1.0, static_cast<double>(step) / o.steps)));
  return o.lr * warm * (0.1 + 0.9 * cosine);
}

void emaUpdate(UNet& ema, const UNet& live, double decay) {
  torch::NoGradGuard g;
  auto e = ema->parameters();
  auto l = live->parameters();
  for (size_t i = 0; i < e.size(); ++i) e[i].mul_(decay).add_(l[i], 1 - decay);
}

}  // namespace

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& o) {
  if (o.steps <= 0 || o.batch <= 0) throw std::runtime_error("--steps and --batch must be positive");
  Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "image");
  ImageVae vae = restoreVae(vaeCkpt);
  const ImageVaeConfig& vcfg = vae->config();
  checkWritable(o.out);
  auto state = o.out;
  state += ".train";
  const auto logPath = o.log.empty() ? std::filesystem::path(o.out.string() + ".loss.csv") : o.log;
  checkWritable(logPath);
  ImageDataset data = loadImageFolder(o.dataDir, vcfg.resolution);
  const int64_t n = data.train.images.size(0);

  // Encode the training set once: posterior means and standard deviations.
  torch::Tensor means, stds;
  {
    torch::NoGradGuard ng;
    std::vector<torch::Tensor> m, s;
    for (int64_t i = 0; i < n; i += 64) {
      Posterior p = vae->encode(data.train.images.narrow(0, i, std::min<int64_t>(64, n - i)));
      m.push_back(p.mean);
      s.push_back(torch::exp(0.5 * p.logvar));
    }
    means = torch::cat(m);
    stds = torch::cat(s);
  }
  auto g0 = stepGenerator(o.seed, -1);
  const double latentStd = (means + stds * torch::randn(means.sizes(), g0, torch::kFloat32)).std().item<double>();
  const double latentScale = 1.0 / std::max(latentStd, 1e-6);
  if (!o.quiet)
    std::fprintf(stderr, "fieldscope: %lld latents %dx%dx%d, std %.4f (scaled by %.4f)\n", static_cast<long long>(n),
                 vcfg.latentChannels, vcfg.latentResolution(), vcfg.latentResolution(), latentStd, latentScale);

  torch::manual_seed(o.seed);
  const UNetConfig ucfg = UNetConfig::preset_(o.preset, vcfg.latentChannels, vcfg.latentResolution());
  UNet unet(ucfg), ema(ucfg);
  {
    torch::NoGradGuard g;
    auto e = ema->parameters();
    auto l = unet->parameters();
    for (size_t i = 0; i < e.size(); ++i) e[i].copy_(l[i]);
  }
  unet->train();
  const auto sched = DiffusionSchedule::scaledLinear();
  const auto sqrtAbar = sched.alphasCumprod.sqrt().to(torch::kFloat32);
  const auto sqrtOneMinus = (1 - sched.alphasCumprod).sqrt().to(torch::kFloat32);
  torch::optim::Adam adam(unet->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.999}));
  CsvLog log(logPath, "step,loss,lr,seconds");
  int64_t step = 0;
  double secondsBefore = 0;
  if (o.resume) {
    if (!std::filesystem::exists(state))
      throw std::runtime_error("cannot resume: training state '" + state.string() + "' does not exist");
    Checkpoint s = loadCheckpoint(state, "image");
    if (s.config.value("kind", "") != "ldm-train-state" || s.config["unet"] != ucfg.toJson())
      throw std::runtime_error("checkpoint '" + state.string() + "' is not a training state of this image-LDM configuration");
    restoreModule(s, "unet.", *unet);
    restoreModule(s, "ema.", *ema);
    optimizerFromBytes(adam, s.at("optimizer"));
    step = s.config.at("step").get<int64_t>();
    secondsBefore = s.config.value("seconds", 0.0);
    log.load();
    log.truncateFrom(step);
  }
  ProgressBar bar(o.steps, step);
  auto saveState = [&](int64_t atStep) {
    Checkpoint s;
    s.config = {{"domain", "image"}, {"kind", "ldm-train-state"}, {"step", atStep}, {"unet", ucfg.toJson()},
                {"seconds", secondsBefore + bar.elapsedSeconds()}};
    storeModule(s, "unet.", *unet);
    storeModule(s, "ema.", *ema);
    s.tensors["optimizer"] = optimizerToBytes(adam);
    saveCheckpoint(state, s);
    log.flush();
  };
  auto saveModel = [&](int64_t atStep) {
    Checkpoint m;
    m.config = vaeCkpt.config;  // keeps the VAE's data, training record and metrics
    m.config["kind"] = "vae+ldm";
    m.config["preset"] = vcfg.preset;
    m.config["training_vae"] = vaeCkpt.config.value("training", nlohmann::json::object());
    m.config.erase("training");
    m.config["training_ldm"] = {{"command", o.commandLine},
                                {"steps", atStep},
                                {"batch", o.batch},
                                {"lr", o.lr},
                                {"seed", o.seed},
                                {"seconds", secondsBefore + bar.elapsedSeconds()},
                                {"hardware", hardwareDescription()},
                                {"finished", utcTimestamp()},
                                {"ema", "0.999"},
                                {"vae", std::filesystem::absolute(o.vaePath).string()}};
    for (const auto& [k, v] : vaeCkpt.tensors)
      if (k.rfind("vae.", 0) == 0) m.tensors[k] = v;
    m.config.erase("vae");
    m.config["vae"] = vcfg.toJson();
    storeLatentDiffusion(m, ema, latentScale);
    saveCheckpoint(o.out, m);
  };

  installInterruptHandler();
  ImageLdmTrainResult result;
  double emaLoss = 0;
  for (; step < o.steps; ++step) {
    if (interruptRequested()) {
      result.interrupted = true;
      break;
    }
    auto gen = stepGenerator(o.seed, step);
    auto idx = torch::randint(n, {o.batch}, gen, torch::kInt64);
    auto z = (means.index_select(0, idx) + stds.index_select(0, idx) * torch::randn({o.batch, means.size(1), means.size(2), means.size(3)}, gen, torch::kFloat32)) * latentScale;
    auto t = torch::randint(sched.T, {o.batch}, gen, torch::kInt64);
    auto noise = torch::randn(z.sizes(), gen, torch::kFloat32);
    auto a = sqrtAbar.index_select(0, t).view({-1, 1, 1, 1}), b = sqrtOneMinus.index_select(0, t);
    auto xt = a * z + b.view({-1, 1, 1, 1}) * noise;
    for (auto& g : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(learningRate(o, step));
    auto loss = (unet->forward(xt, t, b) - noise).pow(2).mean();
    adam.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(unet->parameters(), 1.0);
    adam.step();
    emaUpdate(ema, unet, std::min(0.999, (1.0 + step) / (10.0 + step)));
    const double lv = loss.item<double>();
    emaLoss = step == 0 ? lv : 0.98 * emaLoss + 0.02 * lv;
    if (step % 10 == 0) {
      char row[128];
      std::snprintf(row, sizeof row, "%.6f,%.3e,%.1f", lv, learningRate(o, step), secondsBefore + bar.elapsedSeconds());
      log.add(step, row);
    }
    if (!o.quiet) {
      char extra[64];
      std::snprintf(extra, sizeof extra, "loss %.4f", emaLoss);
      bar.update(step + 1, extra);
    }
    if ((step + 1) % o.checkpointEvery == 0 && step + 1 < o.steps) {
      saveState(step + 1);
      saveModel(step + 1);
    }
  }
  if (!o.quiet) bar.finish();
  result.stepsDone = step;
  saveState(step);
  saveModel(step);
  result.seconds = secondsBefore + bar.elapsedSeconds();
  clearInterrupt();
  return result;
}

}  // namespace fieldscope
