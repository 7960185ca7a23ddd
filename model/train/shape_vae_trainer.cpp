#include "model/train/shape_vae_trainer.h"

#include <torch/torch.h>

#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/shape/shape_eval.h"
#include "model/shape/shape_training_data.h"
#include "model/shape/shape_vae_io.h"
#include "model/train/lr_schedule.h"
#include "model/train/batch_sampler.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace F = torch::nn::functional;

namespace {

ShapeVae seededShapeVae(const ShapeVaeConfig& cfg, uint64_t seed) {
  torch::manual_seed(seed);  // the initial weights are part of the run's determinism
  return ShapeVae(cfg);
}

class ShapeVaeTrainer final : public Trainable {
 public:
  explicit ShapeVaeTrainer(const ShapeVaeTrainOptions& o)
      : o_(o),
        cfg_(ShapeVaeConfig::preset_(o.preset)),
        data_(loadShapeData(o.dataDir)),
        vae_(seededShapeVae(cfg_, o.run.seed)),
        adam_(vae_->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 100, 0.05, o.run.steps} {
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld training shapes, %lld held out; latent 3 x %d x %d² (preset %s)\n",
                   static_cast<long long>(data_.train.size()), static_cast<long long>(data_.heldOut.size()),
                   cfg_.latentChannels, cfg_.latentResolution(), cfg_.preset.c_str());
    vae_->train();
  }

  std::string domain() const override { return "shape"; }
  std::string stateKind() const override { return "vae-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "bce", "kl", "iou_batch"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    auto idx = batchIndices(s, data_.train.size(), o_.batch);
    ShapeBatch b = drawShapeBatch(data_.train, idx, cfg_.pointCount, cfg_.queryPoints, s.gen);
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    Posterior post = vae_->encode(b.surface);
    auto logits = vae_->occupancy(vae_->decodeFields(post.sample(s.gen)), b.queries);
    auto bce = F::binary_cross_entropy_with_logits(logits, b.labels);
    // KL per latent element, so klWeight means the same at every latent size.
    auto kl = post.kl() / post.mean[0].numel();
    auto loss = bce + cfg_.klWeight * kl;
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    torch::nn::utils::clip_grad_norm_(vae_->parameters(), 1.0);
    adam_.step();
    return {{"loss", loss.item<double>()},
            {"bce", bce.item<double>()},
            {"kl", kl.item<double>()},
            {"iou_batch", occupancyIoU(logits.detach(), b.labels).mean().item<double>()}};
  }

  void storeState(Checkpoint& s) override {
    storeShapeVae(s, vae_);
    s.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& s) override {
    if (s.config["vae"] != cfg_.toJson())
      throw std::runtime_error("cannot resume from '" + s.file.string() + "': it was trained with another preset");
    restoreModule(s, "vae.", *vae_);
    optimizerFromBytes(adam_, s.at("optimizer"));
  }

  void evaluate() override {
    const ShapeSet& eval = data_.heldOut.size() > 0 ? data_.heldOut : data_.train;
    heldOutIoU_ = evaluateReconstruction(vae_, eval).meanIoU;
    if (!o_.run.quiet) std::fprintf(stderr, "fieldscope: held-out reconstruction IoU %.4f\n", heldOutIoU_);
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    m.config = {{"domain", "shape"},
                {"kind", "vae"},
                {"preset", cfg_.preset},
                {"data",
                 {{"folder", std::filesystem::absolute(o_.dataDir).string()},
                  {"train_shapes", data_.train.size()},
                  {"held_out_shapes", data_.heldOut.size()},
                  {"held_out_rule", "the dataset's test/ folder"}}},
                {"training", trainingRecord(o_.run, p, o_.batch, o_.lr,
                                             {{"loss", "BCE on " + std::to_string(cfg_.queryPoints) +
                               " labelled points per shape (uniform and near-surface) + KL per latent element x " +
                               std::to_string(cfg_.klWeight)}})},
                {"metrics",
                 {{"held_out_iou", p.final ? heldOutIoU_ : -1.0},
                  {"iou_points", "the dataset's labelled query points, uniform and near-surface"}}}};
    storeShapeVae(m, vae_);
    saveCheckpoint(o_.run.out, m);
  }

  double heldOutIoU() const { return heldOutIoU_; }

 private:
  const ShapeVaeTrainOptions& o_;
  const ShapeVaeConfig cfg_;
  const ShapeData data_;
  ShapeVae vae_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  double heldOutIoU_ = -1;
};

}  // namespace

ShapeVaeTrainResult trainShapeVae(const ShapeVaeTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  checkTrainingRun(o.run);
  ShapeVaeTrainer trainer(o);
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, trainer.heldOutIoU(), r.seconds};
}

}  // namespace fieldscope
