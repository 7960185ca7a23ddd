#include "model/train/image_ldm_trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/data/image_folder.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/image/image_vae_io.h"
#include "model/train/lr_schedule.h"
#include "model/train/train_support.h"

namespace fieldscope {

namespace {

void emaUpdate(UNet& ema, const UNet& live, double decay) {
  torch::NoGradGuard g;
  auto e = ema->parameters();
  auto l = live->parameters();
  for (size_t i = 0; i < e.size(); ++i) e[i].mul_(decay).add_(l[i], 1 - decay);
}

// The training set as posterior means and standard deviations: encoded once, sampled every step.
struct EncodedLatents {
  torch::Tensor means, stds;
  double std;    // of sampled latents
  double scale;  // 1 / std: the UNet sees unit-variance latents
};

EncodedLatents encodeLatents(ImageVae& vae, const torch::Tensor& images, uint64_t seed) {
  torch::NoGradGuard ng;
  const int64_t n = images.size(0);
  std::vector<torch::Tensor> m, s;
  for (int64_t i = 0; i < n; i += 64) {
    Posterior p = vae->encode(images.narrow(0, i, std::min<int64_t>(64, n - i)));
    m.push_back(p.mean);
    s.push_back(torch::exp(0.5 * p.logvar));
  }
  EncodedLatents e{torch::cat(m), torch::cat(s), 1.0, 1.0};
  auto g0 = stepGenerator(seed, -1);  // step -1: a generator no training step uses
  e.std = (e.means + e.stds * torch::randn(e.means.sizes(), g0, torch::kFloat32)).std().item<double>();
  e.scale = 1.0 / std::max(e.std, 1e-6);
  return e;
}

UNet seededUNet(const UNetConfig& cfg, uint64_t seed) {
  torch::manual_seed(seed);  // the initial weights are part of the run's determinism
  return UNet(cfg);
}

// The latent diffusion UNet's step and state (live weights, EMA, optimizer); the loop around it
// is runTrainingLoop.
class ImageLdmTrainer final : public Trainable {
 public:
  ImageLdmTrainer(const ImageLdmTrainOptions& o, Checkpoint vaeCkpt)
      : o_(o),
        vaeCkpt_(std::move(vaeCkpt)),
        vae_(restoreVae(vaeCkpt_)),
        latents_(encodeLatents(vae_, loadImageFolder(o.dataDir, vae_->config().resolution).train.images, o.run.seed)),
        ucfg_(UNetConfig::preset_(o.preset, vae_->config().latentChannels, vae_->config().latentResolution())),
        unet_(seededUNet(ucfg_, o.run.seed)),
        ema_(ucfg_),
        adam_(unet_->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.999})),
        schedule_{o.lr, 200, 0.1, o.run.steps} {
    const auto& v = vae_->config();
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld latents %dx%dx%d, std %.4f (scaled by %.4f)\n",
                   static_cast<long long>(latents_.means.size(0)), v.latentChannels, v.latentResolution(),
                   v.latentResolution(), latents_.std, latents_.scale);
    torch::NoGradGuard g;
    auto e = ema_->parameters();
    auto l = unet_->parameters();
    for (size_t i = 0; i < e.size(); ++i) e[i].copy_(l[i]);
    unet_->train();
  }

  std::string domain() const override { return "image"; }
  std::string stateKind() const override { return "ldm-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }

  StepValues step(const TrainStep& s) override {
    const auto& means = latents_.means;
    auto idx = torch::randint(means.size(0), {o_.batch}, s.gen, torch::kInt64);
    auto z = (means.index_select(0, idx) +
              latents_.stds.index_select(0, idx) *
                  torch::randn({o_.batch, means.size(1), means.size(2), means.size(3)}, s.gen, torch::kFloat32)) *
             latents_.scale;
    auto t = torch::randint(sched_.T, {o_.batch}, s.gen, torch::kInt64);
    auto noise = torch::randn(z.sizes(), s.gen, torch::kFloat32);
    auto a = sqrtAbar_.index_select(0, t).view({-1, 1, 1, 1}), b = sqrtOneMinus_.index_select(0, t);
    auto xt = a * z + b.view({-1, 1, 1, 1}) * noise;
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    auto loss = (unet_->forward(xt, t, b) - noise).pow(2).mean();
    adam_.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(unet_->parameters(), 1.0);
    adam_.step();
    // A short EMA early on (decay (1+k)/(10+k)), so the early checkpoints are not the random init.
    emaUpdate(ema_, unet_, std::min(0.999, (1.0 + s.index) / (10.0 + s.index)));
    return {{"loss", loss.item<double>()}};
  }

  void storeState(Checkpoint& s) override {
    s.config["unet"] = ucfg_.toJson();
    storeModule(s, "unet.", *unet_);
    storeModule(s, "ema.", *ema_);
    s.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& s) override {
    if (s.config["unet"] != ucfg_.toJson())
      throw std::runtime_error("checkpoint '" + s.file.string() + "' is not a training state of this image-LDM configuration");
    restoreModule(s, "unet.", *unet_);
    restoreModule(s, "ema.", *ema_);
    optimizerFromBytes(adam_, s.at("optimizer"));
  }

  void saveModel(const TrainingProgress& p) override {
    const ImageVaeConfig& vcfg = vae_->config();
    Checkpoint m;
    m.config = vaeCkpt_.config;  // keeps the VAE's data, training record and metrics
    m.config["kind"] = "vae+ldm";
    m.config["preset"] = vcfg.preset;
    m.config["training_vae"] = vaeCkpt_.config.value("training", nlohmann::json::object());
    m.config.erase("training");
    m.config["training_ldm"] = {{"command", o_.run.commandLine},
                                {"steps", p.step},
                                {"batch", o_.batch},
                                {"lr", o_.lr},
                                {"seed", o_.run.seed},
                                {"seconds", p.seconds},
                                {"hardware", hardwareDescription()},
                                {"finished", utcTimestamp()},
                                {"ema", "0.999"},
                                {"vae", std::filesystem::absolute(o_.vaePath).string()}};
    for (const auto& [k, v] : vaeCkpt_.tensors)
      if (k.rfind("vae.", 0) == 0) m.tensors[k] = v;
    m.config.erase("vae");
    m.config["vae"] = vcfg.toJson();
    storeLatentDiffusion(m, ema_, latents_.scale);  // sampling uses the EMA weights (docs/architecture.md "Models")
    saveCheckpoint(o_.run.out, m);
  }

 private:
  const ImageLdmTrainOptions& o_;
  const Checkpoint vaeCkpt_;
  ImageVae vae_;
  const EncodedLatents latents_;
  const UNetConfig ucfg_;
  UNet unet_, ema_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  const DiffusionSchedule sched_ = DiffusionSchedule::scaledLinear();
  const torch::Tensor sqrtAbar_ = sched_.alphasCumprod.sqrt().to(torch::kFloat32);
  const torch::Tensor sqrtOneMinus_ = (1 - sched_.alphasCumprod).sqrt().to(torch::kFloat32);
};

}  // namespace

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  Checkpoint vaeCkpt = loadCheckpoint(o.vaePath, "image");
  checkTrainingRun(o.run);  // before encoding the data set: a bad path should not wait for it
  ImageLdmTrainer trainer(o, std::move(vaeCkpt));
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, r.seconds};
}

}  // namespace fieldscope
