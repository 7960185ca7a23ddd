#include "model/train/nerf_vae_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/nerf/nerf_scene_set.h"
#include "model/nerf/nerf_vae.h"
#include "model/train/lr_schedule.h"
#include "model/train/nerf_fit_trainer.h"
#include "model/train/batch_sampler.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace {

NerfVae seededNerfVae(const NerfConfig& nerf, const NerfVaeConfig& cfg, uint64_t seed) {
  torch::manual_seed(seed);  // the initial weights are part of the run's determinism
  return NerfVae(nerf, cfg);
}

NerfVaeConfig vaeConfigOf(const NerfVaeTrainOptions& o, const NerfSceneSet& set) {
  NerfVaeConfig c;
  c.vaeChannels = o.vaeChannels;
  c.latentChannels = o.latentChannels;
  c.klWeight = o.klWeight;
  c.planeStd = std::max(1e-6, set.planes.std().item<double>());
  return c;
}

class NerfVaeTrainer final : public Trainable {
 public:
  NerfVaeTrainer(const NerfVaeTrainOptions& o, const Checkpoint& setFile, const std::vector<NerfSceneViews>& scenes)
      : o_(o),
        setFile_(setFile),
        set_(restoreNerfSceneSet(setFile)),
        scenes_(scenes),
        vae_(seededNerfVae(set_.config, vaeConfigOf(o, set_), o.run.seed)),
        adam_(vae_->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 100, 0.05, o.run.steps} {
    if (scenes.size() != size_t(set_.count()))
      throw std::runtime_error("'" + o.planesPath.string() + "' holds " + std::to_string(set_.count()) +
                               " scenes, the data " + std::to_string(scenes.size()));
    for (size_t i = 0; i < scenes.size(); ++i) {
      if (scenes[i].name != set_.names[i])
        throw std::runtime_error("'" + o.planesPath.string() + "': scene " + std::to_string(i) + " is '" + set_.names[i] +
                                 "', the data's is '" + scenes[i].name + "'");
      batches_.push_back(allRays(scenes[i].train));
    }
    for (auto& p : set_.mlp->parameters()) p.set_requires_grad(false);  // the set's MLP stays as fitted
    set_.mlp->eval();
    vae_->train();
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld scenes' planes 3 x %d x %d^2 (std %.4f) -> latent 3 x %d x %lld^2\n",
                   static_cast<long long>(set_.count()), set_.config.planeChannels, set_.config.planeResolution,
                   vae_->config().planeStd, vae_->config().latentChannels, static_cast<long long>(vae_->latentResolution()));
  }

  std::string domain() const override { return "nerf"; }
  std::string stateKind() const override { return "vae-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "planes", "render_psnr", "kl"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    const torch::Tensor idx = batchIndices(s, set_.count(), o_.batch);
    const torch::Tensor target = set_.planes.index_select(0, idx);
    const Posterior post = vae_->encode(target);
    const torch::Tensor rec = vae_->decode(post.sample(s.gen));
    const double var = vae_->config().planeStd * vae_->config().planeStd;
    const torch::Tensor planeLoss = (rec - target).pow(2).mean() / var;
    const torch::Tensor kl = post.kl() / post.mean[0].numel();
    torch::Tensor renderMse = torch::zeros({});
    const int64_t k = o_.renderRays > 0 ? std::min<int64_t>(o_.batch, std::max(1, o_.renderScenes)) : 0;
    for (int64_t j = 0; j < k; ++j) {
      const int64_t rays = std::max<int64_t>(1, o_.renderRays / k);
      renderMse = renderMse + randomRaysMse(NerfField{set_.config, rec[j], set_.mlp}, batches_[size_t(idx[j].item<int64_t>())],
                                            rays, s.gen) / double(k);
    }
    const torch::Tensor loss = planeLoss + o_.renderWeight * renderMse + vae_->config().klWeight * kl;
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    torch::nn::utils::clip_grad_norm_(vae_->parameters(), 1.0);
    adam_.step();
    const double m = renderMse.item<double>();
    return {{"loss", loss.item<double>()},
            {"planes", planeLoss.item<double>()},
            {"render_psnr", k > 0 && m > 1e-12 ? -10.0 * std::log10(m) : 0.0},
            {"kl", kl.item<double>()}};
  }

  void storeState(Checkpoint& st) override {
    st.config["nerf_vae"] = vae_->config().toJson();
    storeModule(st, "vae.", *vae_);
    st.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& st) override {
    if (!st.config.contains("nerf_vae") || st.config["nerf_vae"] != vae_->config().toJson())
      throw std::runtime_error("checkpoint '" + st.file.string() + "' is not a training state of this NeRF VAE");
    restoreModule(st, "vae.", *vae_);
    optimizerFromBytes(adam_, st.at("optimizer"));
  }

  void evaluate() override {
    torch::NoGradGuard ng;
    vae_->eval();
    double fitted = 0, rec = 0;
    int64_t counted = 0;
    for (int64_t i = 0; i < set_.count(); ++i) {
      if (scenes_[size_t(i)].test.count() == 0) continue;
      const torch::Tensor planes = vae_->decode(vae_->encode(set_.planes.narrow(0, i, 1)).mean)[0];
      fitted += meanViewPsnr(set_.field(i), scenes_[size_t(i)].test, o_.testViewsPerScene);
      rec += meanViewPsnr(NerfField{set_.config, planes, set_.mlp}, scenes_[size_t(i)].test, o_.testViewsPerScene);
      ++counted;
    }
    fittedPsnr_ = counted ? fitted / double(counted) : 0;
    vaePsnr_ = counted ? rec / double(counted) : 0;
    vae_->train();
    if (!o_.run.quiet)
      std::fprintf(stderr, "fieldscope: test views: fitted planes %.2f dB, VAE reconstructions %.2f dB PSNR\n",
                   fittedPsnr_, vaePsnr_);
  }

  void saveModel(const TrainingProgress& p) override {
    torch::NoGradGuard ng;
    Checkpoint m;
    m.config = {{"domain", "nerf"},
                {"kind", "vae"},
                {"preset", set_.config.preset},
                {"data", setFile_.config.value("data", nlohmann::json::object())},
                {"view_size", setFile_.config.value("view_size", nlohmann::json::array())},
                {"scenes", set_.names},
                {"training_planes", setFile_.config.value("training", nlohmann::json::object())},
                {"training",
                 {{"command", o_.run.commandLine},
                  {"planes", std::filesystem::absolute(o_.planesPath).string()},
                  {"steps", p.step},
                  {"batch", o_.batch},
                  {"render_rays", o_.renderRays},
                  {"lr", o_.lr},
                  {"seed", o_.run.seed},
                  {"seconds", p.seconds},
                  {"hardware", hardwareDescription()},
                  {"finished", utcTimestamp()},
                  {"loss", "planes' MSE / their variance + MSE of volume-rendered pixels through the frozen MLP + KL"}}},
                {"metrics", p.final ? nlohmann::json{{"fitted_test_psnr_db", fittedPsnr_},
                                                     {"vae_test_psnr_db", vaePsnr_},
                                                     {"test_views_per_scene", o_.testViewsPerScene},
                                                     {"fitted_planes_metrics", setFile_.config.value("metrics", nlohmann::json::object())}}
                                    : nlohmann::json::object()}};
    storeNerfVae(m, vae_, set_.mlp);
    const bool wasTraining = vae_->is_training();
    vae_->eval();
    const Posterior post = vae_->encode(set_.planes);
    if (wasTraining) vae_->train();
    m.tensors["train_latents.mean"] = post.mean.contiguous();
    m.tensors["train_latents.std"] = torch::exp(0.5 * post.logvar).contiguous();
    saveCheckpoint(o_.run.out, m);
  }

  double fittedPsnr() const { return fittedPsnr_; }
  double vaePsnr() const { return vaePsnr_; }

 private:
  const NerfVaeTrainOptions& o_;
  const Checkpoint& setFile_;
  NerfSceneSet set_;
  const std::vector<NerfSceneViews>& scenes_;
  std::vector<RayBatch> batches_;
  NerfVae vae_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  double fittedPsnr_ = 0, vaePsnr_ = 0;
};

}  // namespace

NerfVaeTrainResult trainNerfVae(const NerfVaeTrainOptions& o, const Checkpoint& setFile,
                                const std::vector<NerfSceneViews>& scenes) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  checkTrainingRun(o.run);
  NerfVaeTrainer trainer(o, setFile, scenes);
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, r.seconds, trainer.fittedPsnr(), trainer.vaePsnr()};
}

}  // namespace fieldscope
