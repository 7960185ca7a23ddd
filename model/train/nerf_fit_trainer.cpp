#include "model/train/nerf_fit_trainer.h"

#include <torch/torch.h>

#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_scene_io.h"
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
  NerfFitTrainer(const NerfFitOptions& o, const NerfViews& train, const NerfViews& test)
      : o_(o),
        test_(test),
        batch_(allRays(train)),
        field_(makeNerfField(NerfConfig::preset_(o.preset), o.run.seed)),
        adam_(std::vector<torch::optim::OptimizerParamGroup>{}, torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 50, 0.05, o.run.steps},
        views_(train.count()),
        size_{train.width(), train.height()} {
    field_.planes.set_requires_grad(true);
    adam_.add_param_group(torch::optim::OptimizerParamGroup(field_.mlp->parameters(),
                                                            std::make_unique<torch::optim::AdamOptions>(o.lr)));
    adam_.add_param_group(torch::optim::OptimizerParamGroup(
        {field_.planes}, std::make_unique<torch::optim::AdamOptions>(o.lr * o.planeLrFactor)));
    field_.mlp->train();
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld training views, %lld test views (%d x %d); preset %s\n",
                   static_cast<long long>(train.count()), static_cast<long long>(test.count()), train.width(),
                   train.height(), field_.config.preset.c_str());
  }

  std::string domain() const override { return "nerf"; }
  std::string stateKind() const override { return "scene-fit-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "psnr_batch"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }

  StepValues step(const TrainStep& s) override {
    auto& g = adam_.param_groups();
    static_cast<torch::optim::AdamOptions&>(g[0].options()).lr(s.learningRate);
    static_cast<torch::optim::AdamOptions&>(g[1].options()).lr(s.learningRate * o_.planeLrFactor);
    const torch::Tensor idx = torch::randint(batch_.colours.size(0), {o_.raysPerStep}, s.gen, torch::kLong);
    VolumeRenderOptions ro = field_.renderOptions();
    ro.jitter = s.gen;
    ro.chunkRays = o_.raysPerStep;
    const RenderedRays out = renderRays(field_.asQuery(), {batch_.rays.origins.index_select(0, idx),
                                                          batch_.rays.directions.index_select(0, idx)}, ro);
    const torch::Tensor target = batch_.colours.index_select(0, idx);
    const torch::Tensor mse = (out.rgb - target).pow(2).mean();
    const torch::Tensor loss = mse + o_.tvWeight * totalVariation(field_.planes);
    adam_.zero_grad();
    loss.backward();
    adam_.step();
    const double m = mse.item<double>();
    lastPsnr_ = m > 1e-12 ? -10.0 * std::log10(m) : 120.0;
    return {{"loss", loss.item<double>()}, {"psnr_batch", lastPsnr_}};
  }

  void storeState(Checkpoint& st) override {
    storeNerfField(st, field_);
    st.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& st) override {
    if (!st.config.contains("nerf") || st.config["nerf"] != field_.config.toJson())
      throw std::runtime_error("cannot resume from '" + st.file.string() + "': it was fitted with another preset");
    const NerfField saved = restoreNerfField(st);
    torch::NoGradGuard noGrad;
    field_.planes.copy_(saved.planes);
    restoreModule(st, "mlp.", *field_.mlp);
    optimizerFromBytes(adam_, st.at("optimizer"));
  }

  void evaluate() override {
    field_.mlp->eval();
    testPsnr_ = test_.count() > 0 ? meanViewPsnr(field_, test_) : 0.0;
    field_.mlp->train();
    if (!o_.run.quiet) std::fprintf(stderr, "fieldscope: test views: %.2f dB PSNR\n", testPsnr_);
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    m.config = {{"domain", "nerf"},
                {"kind", "scene"},
                {"preset", field_.config.preset},
                {"data", o_.data},
                {"view_size", {size_[0], size_[1]}},
                {"training",
                 {{"command", o_.run.commandLine},
                  {"steps", p.step},
                  {"rays_per_step", o_.raysPerStep},
                  {"lr", o_.lr},
                  {"seed", o_.run.seed},
                  {"seconds", p.seconds},
                  {"training_views", views_},
                  {"hardware", hardwareDescription()},
                  {"finished", utcTimestamp()},
                  {"loss", "MSE of volume-rendered pixels (stratified + importance samples) + TV of the planes"}}},
                {"metrics", p.final ? nlohmann::json{{"test_views", test_.count()}, {"test_psnr_db", testPsnr_},
                                                     {"train_batch_psnr_db", lastPsnr_}}
                                    : nlohmann::json::object()}};
    storeNerfField(m, field_);
    saveCheckpoint(o_.run.out, m);
  }

  double testPsnr() const { return testPsnr_; }
  double trainPsnr() const { return lastPsnr_; }

 private:
  const NerfFitOptions& o_;
  const NerfViews& test_;
  const RayBatch batch_;
  NerfField field_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  const int64_t views_;
  const std::array<int, 2> size_;
  double testPsnr_ = 0, lastPsnr_ = 0;
};

}  // namespace

double meanViewPsnr(const NerfField& field, const NerfViews& views) {
  torch::NoGradGuard noGrad;
  double sum = 0;
  for (int64_t v = 0; v < views.count(); ++v) {
    const Rays r = pixelRays(views.cameras[size_t(v)], views.width(), views.height());
    const RenderedRays out = renderRays(field.asQuery(), r, field.renderOptions());
    sum += psnrDb(out.rgb.clamp(0, 1), views.images[v].reshape({-1, 3}));
  }
  return views.count() > 0 ? sum / double(views.count()) : 0.0;
}

NerfFitResult fitNerfScene(const NerfFitOptions& o, const NerfViews& train, const NerfViews& test) {
  if (o.raysPerStep <= 0) throw std::runtime_error("--rays must be positive");
  if (train.count() == 0) throw std::runtime_error("no training views");
  checkTrainingRun(o.run);
  NerfFitTrainer trainer(o, train, test);
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, r.seconds, trainer.testPsnr(), trainer.trainPsnr()};
}

}  // namespace fieldscope
