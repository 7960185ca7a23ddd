#include "model/train/latent_diffusion_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "model/checkpoint/module_state.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/diffusion/schedule.h"
#include "model/diffusion/unet_grow.h"
#include "model/train/lr_schedule.h"
#include "model/train/batch_sampler.h"
#include "model/train/train_support.h"

namespace fieldscope {

EncodedLatents withLatentScale(torch::Tensor means, torch::Tensor stds, uint64_t seed) {
  EncodedLatents e{std::move(means), std::move(stds), 1.0, 1.0};
  auto g0 = stepGenerator(seed, -1);  // step -1: a generator no training step uses
  e.std = (e.means + e.stds * torch::randn(e.means.sizes(), g0, torch::kFloat32)).std().item<double>();
  e.scale = 1.0 / std::max(e.std, 1e-6);
  return e;
}

namespace {

void emaUpdate(torch::nn::Module& ema, const torch::nn::Module& live, double decay) {
  torch::NoGradGuard g;
  auto e = ema.parameters();
  auto l = live.parameters();
  for (size_t i = 0; i < e.size(); ++i) e[i].mul_(decay).add_(l[i], 1 - decay);
}

// This project's UNet or the authors' (spec.ddmiUnet): one of the two holders is set.
struct TrainedUNet {
  UNet own{nullptr};
  DdmiUNet ddmi{nullptr};
  torch::nn::Module& module() { return ddmi ? static_cast<torch::nn::Module&>(*ddmi) : static_cast<torch::nn::Module&>(*own); }
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s, const torch::Tensor& cond,
                        const torch::Tensor& labels) {
    return ddmi ? ddmi->forward(x, t, s, labels) : own->forward(x, t, s, cond, labels);
  }
};

TrainedUNet makeUNet(const LatentDiffusionTrainSpec& spec, std::optional<uint64_t> seed) {
  if (seed) torch::manual_seed(*seed);  // the initial weights are part of the run's determinism
  TrainedUNet u;
  if (spec.ddmiUnet) {
    u.ddmi = DdmiUNet(*spec.ddmiUnet);
    if (std::isfinite(spec.ddmiGateStart)) {
      torch::NoGradGuard g;
      u.ddmi->named_parameters()["mixing_logit"].fill_(spec.ddmiGateStart);
    }
  } else {
    u.own = UNet(spec.unet);
  }
  u.module().to(spec.run->device);  // before the optimizer is made: its state follows the parameters
  return u;
}

// The growth from the file's UNet to `to` when `to` (this project's UNet) has more residual blocks a
// level than the file's (unet_grow.h); nullopt when they are as deep (or either is the authors').
std::optional<UNetGrowth> growthFrom(const Checkpoint& c, const UNetConfig* to) {
  if (!to || !c.config.contains("ldm") || c.config["ldm"].value("architecture", std::string("fieldscope")) != "fieldscope" ||
      !c.config["ldm"].contains("unet"))
    return std::nullopt;
  try {
    const UNetConfig from = UNetConfig::fromJson(c.config["ldm"]["unet"]);
    if (from.numResBlocks == to->numResBlocks) return std::nullopt;
    return UNetGrowth(from, *to);
  } catch (const std::exception& e) {
    throw std::runtime_error("--init-from '" + c.file.string() + "': " + e.what());
  }
}

// spec.initFrom's diffusion weights into `net` (its class embedding, when the file has none, stays zero).
// With classRows (LatentDiffusionTrainSpec::initClassRows), the class embedding's rows are gathered
// from the file's. With `to` (net's config, this project's UNet) deeper than the file's UNet, the
// trained blocks keep their places and the added ones start as the identity (unet_grow.h).
void initialiseFrom(const std::filesystem::path& file, torch::nn::Module& net, const std::vector<int64_t>& classRows,
                    const UNetConfig* to) {
  const Checkpoint c = loadCheckpoint(file);
  const std::optional<UNetGrowth> growth = growthFrom(c, to);
  torch::NoGradGuard g;
  int copied = 0;
  for (auto& p : net.named_parameters(true)) {
    const std::optional<std::string> source = growth ? growth->sourceOf(p.key()) : std::optional<std::string>(p.key());
    if (!source) continue;  // an added block
    const std::string key = "ldm." + *source;
    const auto it = c.tensors.find(key);
    // this project's UNet's class embedding, or guided-diffusion's name in the authors' UNet
    const bool classEmbedding = p.key().rfind("class_emb.", 0) == 0 || p.key().rfind("label_emb.", 0) == 0;
    if (it == c.tensors.end()) {
      if (classEmbedding && classRows.empty()) continue;
      throw std::runtime_error("--init-from '" + file.string() + "': no tensor '" + key + "' (not a diffusion model of this size)");
    }
    if (classEmbedding && !classRows.empty()) {
      const torch::Tensor rows = torch::tensor(classRows, torch::kInt64);
      if (int64_t(classRows.size()) != p.value().size(0) || it->second.dim() != 2 || it->second.size(1) != p.value().size(1) ||
          rows.min().item<int64_t>() < 0 || rows.max().item<int64_t>() >= it->second.size(0))
        throw std::runtime_error("--init-from '" + file.string() + "': its class embedding '" + key + "' " +
                                 c10::str(it->second.sizes()) + " does not fit the new classes");
      p.value().copy_(it->second.index_select(0, rows));
      ++copied;
      continue;
    }
    if (it->second.sizes() != p.value().sizes())
      throw std::runtime_error("--init-from '" + file.string() + "': tensor '" + key + "' has another shape (a UNet of another size)");
    p.value().copy_(it->second);
    ++copied;
  }
  if (copied == 0) throw std::runtime_error("--init-from '" + file.string() + "': no diffusion weights in it");
  if (growth) growth->startAddedBlocksAsIdentity(net);
}

nlohmann::json unetJson(const LatentDiffusionTrainSpec& spec) {
  return spec.ddmiUnet ? nlohmann::json{{"ddmi", spec.ddmiUnet->toJson()}} : spec.unet.toJson();
}

// The UNet's step and state (live weights, EMA, optimizer); the loop around it is runTrainingLoop.
class LatentDiffusionTrainer final : public Trainable {
 public:
  LatentDiffusionTrainer(const LatentDiffusionTrainSpec& spec, const EncodedLatents& latents)
      : spec_(spec),
        latents_(latents),
        unet_(makeUNet(spec, spec.run->seed)),
        ema_(makeUNet(spec, std::nullopt)),
        adam_(unet_.module().parameters(), torch::optim::AdamOptions(spec.lr).betas({0.9, 0.999})),
        schedule_{spec.lr, 200, 0.1, spec.run->steps} {
    if (!spec.initFrom.empty()) initialiseFrom(spec.initFrom, unet_.module(), spec.initClassRows, spec.ddmiUnet ? nullptr : &spec.unet);
    if (!spec.run->quiet)
      std::fprintf(stderr, "fieldscope: %lld latents %s, std %.4f (scaled by %.4f)\n",
                   static_cast<long long>(latents_.means.size(0)),
                   c10::str(latents_.means.sizes().slice(1)).c_str(), latents_.std, latents_.scale);
    torch::NoGradGuard g;
    auto e = ema_.module().parameters();
    auto l = unet_.module().parameters();
    for (size_t i = 0; i < e.size(); ++i) e[i].copy_(l[i]);
    unet_.module().train();
  }

  std::string domain() const override { return spec_.domain; }
  std::string stateKind() const override { return "ldm-train-state"; }
  std::vector<std::string> logColumns() const override {
    return spec_.imageLoss ? std::vector<std::string>{"loss", "denoise", "image"} : std::vector<std::string>{"loss"};
  }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    const auto& means = latents_.means;
    const int64_t B = spec_.batch;
    auto idx = batchIndices(s, means.size(0), B);
    // Per-item randomness is drawn for the global batch from the stream every rank shares and
    // sliced, so a job of W ranks with batch B trains exactly as one process with batch W·B.
    std::vector<int64_t> global(means.sizes().begin(), means.sizes().end());
    global[0] = B * s.world;
    auto z = (means.index_select(0, idx) +
              latents_.stds.index_select(0, idx) * rankSlice(s, torch::randn(global, s.shared, torch::kFloat32), B)) *
             latents_.scale;
    auto t = rankSlice(s, torch::randint(sched_.T, {B * s.world}, s.shared, torch::kInt64), B);
    auto noise = rankSlice(s, torch::randn(global, s.shared, torch::kFloat32), B);
    auto a = sqrtAbar_.index_select(0, t).view({-1, 1, 1, 1}), b = sqrtOneMinus_.index_select(0, t);
    auto xt = a * z + b.view({-1, 1, 1, 1}) * noise;
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    torch::Tensor cond = latents_.cond.defined() ? latents_.cond.index_select(0, idx) : torch::Tensor();
    torch::Tensor labels;
    if (latents_.labels.defined()) {  // dropped to "no class" with probability labelDropout
      labels = latents_.labels.index_select(0, idx);
      const auto drop = rankSlice(s, torch::rand({B * s.world}, s.shared, torch::kFloat32), B) < spec_.labelDropout;
      labels = torch::where(drop, torch::full_like(labels, kNoClass), labels);
    }
    // Drawn and gathered on the CPU (the same numbers on any device), moved for the UNet.
    const torch::Device dev = spec_.run->device;
    if (!dev.is_cpu()) {
      t = t.to(dev), noise = noise.to(dev), a = a.to(dev), b = b.to(dev), xt = xt.to(dev);
      if (cond.defined()) cond = cond.to(dev);
      if (labels.defined()) labels = labels.to(dev);
    }
    const auto eps = unet_.forward(xt, t, b, cond, labels);
    const auto ab = a.view({-1});
    const auto itemSnr = ab * ab / (b * b);  // ᾱ / (1 − ᾱ) of each item
    auto loss = spec_.weighting.uniform()
                    ? (eps - noise).pow(2).mean()
                    : (spec_.weighting.weights(itemSnr) * (eps - noise).pow(2).mean({1, 2, 3})).mean();
    StepValues values;
    if (spec_.imageLoss) {
      const auto snr = itemSnr.clamp_max(spec_.imageLossSnrCap);
      const auto x0 = (xt - b.view({-1, 1, 1, 1}) * eps) / a;
      const auto image = (snr * spec_.imageLoss(x0, idx)).mean();
      values = {{"loss", 0.0}, {"denoise", loss.item<double>()}, {"image", image.item<double>()}};
      loss = loss + spec_.imageLossWeight * image;
      values[0].second = loss.item<double>();
    }
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    torch::nn::utils::clip_grad_norm_(unet_.module().parameters(), 1.0);
    adam_.step();
    // A short EMA early on (decay (1+k)/(10+k)), so the early checkpoints are not the random init.
    emaUpdate(ema_.module(), unet_.module(), std::min(spec_.emaDecay, (1.0 + s.index) / (10.0 + s.index)));
    if (spec_.imageLoss) return values;
    return {{"loss", loss.item<double>()}};
  }

  void storeState(Checkpoint& s) override {
    s.config["unet"] = unetJson(spec_);
    storeModule(s, "unet.", unet_.module());
    storeModule(s, "ema.", ema_.module());
    s.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& s) override {
    if (s.config["unet"] != unetJson(spec_))
      throw std::runtime_error("checkpoint '" + s.file.string() + "' is not a training state of this " + spec_.domain +
                               "-LDM configuration");
    restoreModule(s, "unet.", unet_.module());
    restoreModule(s, "ema.", ema_.module());
    optimizerFromBytes(adam_, s.at("optimizer"));
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m = spec_.modelBase(p);
    m.config["kind"] = "vae+ldm";
    m.config["training_ldm"] = {{"command", spec_.run->commandLine},
                                {"steps", p.step},
                                {"batch", spec_.batch},
                                {"lr", spec_.lr},
                                {"seed", spec_.run->seed},
                                {"seconds", p.seconds},
                                {"hardware", hardwareDescription()},
                                {"finished", utcTimestamp()},
                                {"ema", spec_.emaDecay},
                                {"loss_weighting", spec_.weighting.toString()},
                                {"vae", spec_.vaeFile}};
    if (!spec_.classes.empty()) {
      m.config["training_ldm"]["classes"] = spec_.classes.kind;
      m.config["training_ldm"]["label_dropout"] = spec_.labelDropout;
    }
    if (std::isfinite(spec_.ddmiGateStart)) m.config["training_ldm"]["mixing_logit_start"] = spec_.ddmiGateStart;
    if (!spec_.initFrom.empty()) m.config["training_ldm"]["init_from"] = std::filesystem::absolute(spec_.initFrom).string();
    // sampling uses the EMA weights (docs/architecture.md "Models")
    if (ema_.ddmi) storeDdmiDiffusion(m, ema_.ddmi, latents_.scale, spec_.classes);
    else storeLatentDiffusion(m, ema_.own, latents_.scale, spec_.classes);
    if (spec_.finishModel) spec_.finishModel(m);
    saveCheckpoint(spec_.run->out, m);
  }

 private:
  const LatentDiffusionTrainSpec& spec_;
  const EncodedLatents& latents_;
  TrainedUNet unet_, ema_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  const DiffusionSchedule sched_ = DiffusionSchedule::scaledLinear();
  const torch::Tensor sqrtAbar_ = sched_.alphasCumprod.sqrt().to(torch::kFloat32);
  const torch::Tensor sqrtOneMinus_ = (1 - sched_.alphasCumprod).sqrt().to(torch::kFloat32);
};

}  // namespace

LatentDiffusionTrainResult trainLatentDiffusion(const LatentDiffusionTrainSpec& spec, const EncodedLatents& latents) {
  if (spec.batch <= 0) throw std::runtime_error("--batch must be positive");
  if (!spec.run || !spec.modelBase) throw std::logic_error("trainLatentDiffusion: incomplete spec");
  if (spec.ddmiUnet && latents.cond.defined()) throw std::logic_error("trainLatentDiffusion: the authors' UNet takes no condition");
  const int numClasses = spec.ddmiUnet ? spec.ddmiUnet->numClasses : spec.unet.numClasses;
  if (latents.labels.defined() != (numClasses > 0) || int(spec.classes.names.size()) != numClasses)
    throw std::logic_error("trainLatentDiffusion: the labels do not match the UNet's numClasses");
  if (!spec.ddmiUnet && latents.cond.defined() != (spec.unet.condChannels > 0))
    throw std::logic_error("trainLatentDiffusion: the condition does not match the UNet's condChannels");
  if (!spec.run->device.is_cpu() && spec.imageLoss)
    throw std::runtime_error("--device " + spec.run->device.str() + ": the alignment fine-tune trains on the CPU only");
  LatentDiffusionTrainer trainer(spec, latents);
  const TrainingRunResult r = runTrainingLoop(trainer, *spec.run);
  return {r.stepsDone, r.interrupted, r.seconds};
}

std::function<Checkpoint(const TrainingProgress&)> modelBaseFromVae(const Checkpoint& vaeCheckpoint,
                                                                    std::vector<std::string> prefixes) {
  return [vaeCheckpoint, prefixes](const TrainingProgress&) {
    Checkpoint m;
    m.config = vaeCheckpoint.config;
    // A VAE file's record is its "training"; a vae+ldm file given as --vae keeps its "training_vae".
    if (vaeCheckpoint.config.contains("training")) m.config["training_vae"] = vaeCheckpoint.config["training"];
    else if (!m.config.contains("training_vae")) m.config["training_vae"] = nlohmann::json::object();
    m.config.erase("training");
    for (const auto& [k, v] : vaeCheckpoint.tensors)
      for (const std::string& p : prefixes)
        if (k.rfind(p, 0) == 0) m.tensors[k] = v;
    return m;
  };
}

}  // namespace fieldscope
