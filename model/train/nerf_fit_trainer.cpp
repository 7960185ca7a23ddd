#include "model/train/nerf_fit_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_scene_io.h"
#include "model/nerf/nerf_scene_set.h"
#include "model/nerf/nerf_view_psnr.h"
#include "model/train/lr_schedule.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace {

torch::Tensor totalVariation(const torch::Tensor& p) {
  const int64_t r = p.size(-1);
  return (p.narrow(-1, 1, r - 1) - p.narrow(-1, 0, r - 1)).pow(2).mean() +
         (p.narrow(-2, 1, r - 1) - p.narrow(-2, 0, r - 1)).pow(2).mean();
}

class NerfFitTrainer final : public Trainable {
 public:
  NerfFitTrainer(const NerfFitOptions& o, const std::vector<NerfSceneViews>& scenes)
      : o_(o),
        scenes_(scenes),
        config_(configOf(o)),
        adam_(std::vector<torch::optim::OptimizerParamGroup>{}, torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 50, 0.05, o.run.steps},
        size_{scenes.front().train.width(), scenes.front().train.height()} {
    const NerfField start = makeNerfField(config_, o.run.seed);
    mlp_ = start.mlp;
    planes_ = scenes.size() == 1 ? start.planes.unsqueeze(0).clone()
                                 : torch::randn({int64_t(scenes.size()), 3, config_.planeChannels,
                                                 config_.planeResolution, config_.planeResolution}) * 0.1;
    planes_.set_requires_grad(true);
    for (const NerfSceneViews& s : scenes) {
      batches_.push_back(allRays(s.train));
      views_ += s.train.count();
      testViews_ += s.test.count();
    }
    adam_.add_param_group(torch::optim::OptimizerParamGroup(mlp_->parameters(),
                                                            std::make_unique<torch::optim::AdamOptions>(o.lr)));
    adam_.add_param_group(torch::optim::OptimizerParamGroup(
        {planes_}, std::make_unique<torch::optim::AdamOptions>(o.lr * o.planeLrFactor)));
    mlp_->train();
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %zu scene%s, %lld training views, %lld test views (%d x %d); preset %s, planes %d^2\n",
                   scenes.size(), scenes.size() == 1 ? "" : "s", static_cast<long long>(views_),
                   static_cast<long long>(testViews_), size_[0], size_[1], config_.preset.c_str(), config_.planeResolution);
  }

  std::string domain() const override { return "nerf"; }
  std::string stateKind() const override { return single() ? "scene-fit-state" : "scene-set-fit-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "psnr_batch"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    auto& g = adam_.param_groups();
    static_cast<torch::optim::AdamOptions&>(g[0].options()).lr(s.learningRate);
    static_cast<torch::optim::AdamOptions&>(g[1].options()).lr(s.learningRate * o_.planeLrFactor);
    const int64_t n = planes_.size(0), k = std::min<int64_t>(n, std::max(1, o_.scenesPerStep));
    const torch::Tensor picked = n == 1 ? torch::zeros({1}, torch::kLong) : torch::randperm(n, s.gen, torch::kLong).narrow(0, 0, k);
    const int64_t rays = std::max<int64_t>(1, o_.raysPerStep / k);
    torch::Tensor mse = torch::zeros({});
    for (int64_t j = 0; j < k; ++j) {
      const int64_t i = picked[j].item<int64_t>();
      mse = mse + randomRaysMse(NerfField{config_, planes_[i], mlp_}, batches_[size_t(i)], rays, s.gen) / double(k);
    }
    const torch::Tensor loss = mse + o_.tvWeight * totalVariation(planes_);
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    adam_.step();
    const double m = mse.item<double>();
    lastPsnr_ = m > 1e-12 ? -10.0 * std::log10(m) : 120.0;
    return {{"loss", loss.item<double>()}, {"psnr_batch", lastPsnr_}};
  }

  void storeState(Checkpoint& st) override {
    storeSet(st);
    st.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& st) override {
    if (!st.config.contains("nerf") || st.config["nerf"] != config_.toJson())
      throw std::runtime_error("cannot resume from '" + st.file.string() + "': it was fitted with another preset");
    torch::Tensor saved;
    if (single()) {
      saved = restoreNerfField(st).planes.unsqueeze(0);
    } else {
      const NerfSceneSet set = restoreNerfSceneSet(st);
      if (set.names != names())
        throw std::runtime_error("cannot resume from '" + st.file.string() + "': it was fitted to other scenes");
      saved = set.planes;
    }
    torch::NoGradGuard noGrad;
    planes_.copy_(saved);
    restoreModule(st, "mlp.", *mlp_);
    optimizerFromBytes(adam_, st.at("optimizer"));
  }

  void evaluate() override {
    mlp_->eval();
    double sum = 0;
    int64_t counted = 0;
    for (size_t i = 0; i < scenes_.size(); ++i) {
      if (scenes_[i].test.count() == 0) continue;
      sum += meanViewPsnr(NerfField{config_, planes_[int64_t(i)].detach(), mlp_}, scenes_[i].test, o_.testViewsPerScene);
      ++counted;
    }
    testPsnr_ = counted > 0 ? sum / double(counted) : 0.0;
    mlp_->train();
    if (!o_.run.quiet && counted > 0) std::fprintf(stderr, "fieldscope: test views: %.2f dB PSNR\n", testPsnr_);
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    nlohmann::json metrics = nlohmann::json::object();
    if (p.final) {
      metrics = {{"test_views", testViews_}, {"test_psnr_db", testPsnr_}, {"train_batch_psnr_db", lastPsnr_}};
      if (o_.testViewsPerScene > 0) metrics["test_views_per_scene"] = o_.testViewsPerScene;
    }
    m.config = {{"domain", "nerf"},
                {"kind", single() ? "scene" : "scene-set"},
                {"preset", config_.preset},
                {"data", o_.data},
                {"view_size", {size_[0], size_[1]}},
                {"training",
                 {{"command", o_.run.commandLine},
                  {"steps", p.step},
                  {"rays_per_step", o_.raysPerStep},
                  {"scenes_per_step", single() ? 1 : o_.scenesPerStep},
                  {"lr", o_.lr},
                  {"seed", o_.run.seed},
                  {"seconds", p.seconds},
                  {"training_views", views_},
                  {"hardware", hardwareDescription()},
                  {"finished", utcTimestamp()},
                  {"loss", "MSE of volume-rendered pixels (stratified + importance samples) + TV of the planes"}}},
                {"metrics", metrics}};
    storeSet(m);
    saveCheckpoint(o_.run.out, m);
  }

  double testPsnr() const { return testPsnr_; }
  double trainPsnr() const { return lastPsnr_; }

 private:
  static NerfConfig configOf(const NerfFitOptions& o) {
    NerfConfig c = NerfConfig::preset_(o.preset);
    if (o.planeResolution > 0) c.planeResolution = o.planeResolution;
    return c;
  }
  bool single() const { return scenes_.size() == 1; }
  std::vector<std::string> names() const {
    std::vector<std::string> v;
    for (const NerfSceneViews& s : scenes_) v.push_back(s.name);
    return v;
  }
  void storeSet(Checkpoint& c) const {
    if (single()) storeNerfField(c, NerfField{config_, planes_[0], mlp_});
    else storeNerfSceneSet(c, NerfSceneSet{config_, planes_, mlp_, names()});
  }

  const NerfFitOptions& o_;
  const std::vector<NerfSceneViews>& scenes_;
  const NerfConfig config_;
  std::vector<RayBatch> batches_;
  torch::Tensor planes_;  // (N, 3, C, R, R)
  NerfMlp mlp_{nullptr};
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  int64_t views_ = 0, testViews_ = 0;
  const std::array<int, 2> size_;
  double testPsnr_ = 0, lastPsnr_ = 0;
};

}  // namespace

NerfFitResult fitNerfScenes(const NerfFitOptions& o, const std::vector<NerfSceneViews>& scenes) {
  if (o.raysPerStep <= 0) throw std::runtime_error("--rays must be positive");
  if (scenes.empty()) throw std::runtime_error("no scenes to fit");
  for (const NerfSceneViews& s : scenes) {
    if (s.train.count() == 0) throw std::runtime_error("scene '" + s.name + "' has no training views");
    if (s.train.width() != scenes.front().train.width() || s.train.height() != scenes.front().train.height())
      throw std::runtime_error("scene '" + s.name + "' has pictures of another size than scene '" + scenes.front().name + "'");
  }
  checkTrainingRun(o.run);
  NerfFitTrainer trainer(o, scenes);
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, r.seconds, trainer.testPsnr(), trainer.trainPsnr()};
}

NerfFitResult fitNerfScene(const NerfFitOptions& o, const NerfViews& train, const NerfViews& test) {
  if (train.count() == 0) throw std::runtime_error("no training views");
  return fitNerfScenes(o, {NerfSceneViews{"scene", train, test}});
}

}  // namespace fieldscope
