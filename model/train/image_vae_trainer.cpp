#include "model/train/image_vae_trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/data/image_folder.h"
#include "model/image/image_eval.h"
#include "model/image/image_vae_io.h"
#include "model/train/lr_schedule.h"
#include "model/train/batch_sampler.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace F = torch::nn::functional;

namespace {

// Multi-scale targets (docs/architecture.md "Models"): the full image at si 1, or a random training-size crop of
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

ImageVae seededVae(const ImageVaeConfig& cfg, uint64_t seed, const torch::Device& device) {
  torch::manual_seed(seed);  // the initial weights are part of the run's determinism
  ImageVae vae(cfg);
  vae->to(device);  // before the optimizer is made: its state follows the parameters
  return vae;
}

}  // namespace

ImageVaeConfig imageVaeTrainConfig(const ImageVaeTrainOptions& o) {
  ImageVaeConfig c = ImageVaeConfig::preset_(o.preset);
  if (o.readoutLayers < 0 || o.readoutLayers > (c.ddmi() ? 3 : 8))
    throw std::runtime_error("--readout-layers must lie in 1.." + std::to_string(c.ddmi() ? 3 : 8) + " for preset " + o.preset);
  if (o.readoutLayers > 0) c.layersPerBlock = o.readoutLayers;
  return c;
}

namespace {

// The image VAE's step and state; the loop around it is runTrainingLoop.
class ImageVaeTrainer final : public Trainable {
 public:
  explicit ImageVaeTrainer(const ImageVaeTrainOptions& o)
      : o_(o),
        cfg_(imageVaeTrainConfig(o)),
        data_(loadImageFolder(o.dataDir, cfg_.resolution)),
        vae_(seededVae(cfg_, o.run.seed, o.run.device)),
        adam_(vae_->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 100, 0.02, o.run.steps} {
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld training images, %lld held out, %dx%d (preset %s)\n",
                   static_cast<long long>(data_.train.images.size(0)), static_cast<long long>(data_.heldOut.images.size(0)),
                   cfg_.resolution, cfg_.resolution, cfg_.preset.c_str());
    vae_->train();
    // The optimizer skips parameters without gradients, so freezing after creating it is enough.
    if (o.freezeEncoder) {
      frozenFrom_ = 0;
      for (auto& p : vae_->encoder->parameters()) p.set_requires_grad(false);
    }
  }

  std::string domain() const override { return "image"; }
  std::string stateKind() const override { return "vae-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "l1", "kl", "psnr_batch", "scale"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    auto idx = batchIndices(s, data_.train.images.size(0), o_.batch);
    auto batch = data_.train.images.index_select(0, idx).to(o_.run.device);
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);

    Posterior post = vae_->encode(batch);
    ImageFields fields = vae_->decodeFields(post.sample(s.gen));
    ScaleCrop sc = pickScaleCrop(batch, s.gen);
    auto pred = vae_->renderRegion(fields, sc.x0, sc.y0, sc.x1, sc.y1, cfg_.resolution, cfg_.resolution);
    auto l1 = (pred - sc.target).abs().mean();
    auto kl = post.kl();
    auto loss = l1 + cfg_.klWeight * kl / (cfg_.resolution * cfg_.resolution * 3);
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    torch::nn::utils::clip_grad_norm_(vae_->parameters(), 1.0);
    adam_.step();
    return {{"loss", loss.item<double>()},
            {"l1", l1.item<double>()},
            {"kl", kl.item<double>()},
            {"psnr_batch", psnr(pred.detach(), sc.target)},
            {"scale", 1.0 / (sc.x1 - sc.x0)}};
  }

  void storeState(Checkpoint& s) override {
    s.config["encoder_frozen_from_step"] = frozenFrom_;
    storeVae(s, vae_);
    s.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& s) override {
    if (s.config["vae"] != cfg_.toJson())
      throw std::runtime_error("cannot resume from '" + s.file.string() + "': it was trained with another preset or --readout-layers");
    restoreModule(s, "vae.", *vae_);
    optimizerFromBytes(adam_, s.at("optimizer"));
    const auto saved = s.config.value("encoder_frozen_from_step", nlohmann::json());
    // An encoder frozen in an earlier session stays recorded from then; one frozen now, from here.
    if (!saved.is_null()) frozenFrom_ = saved;
    else frozenFrom_ = o_.freezeEncoder ? nlohmann::json(s.config.at("step")) : nlohmann::json();
  }

  void evaluate() override {
    const auto& eval = data_.heldOut.images.size(0) > 0 ? data_.heldOut.images : data_.train.images;
    heldOutPsnr_ = psnr(reconstructImages(vae_, eval), eval);
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    m.config = {{"domain", "image"},
                {"kind", "vae"},
                {"preset", cfg_.preset},
                {"data", dataJson()},
                {"training", trainingRecord(o_.run, p, o_.batch, o_.lr,
                                             {{"encoder_frozen_from_step", frozenFrom_},
                                              {"loss", "L1 (multi-scale crops at si 1, 1/1.5, 1/2) + KL x " + std::to_string(cfg_.klWeight) +
                               "; no LPIPS (no pretrained VGG weights offline)"}})},
                {"metrics",
                 {{"held_out_psnr_db", p.final ? heldOutPsnr_ : -1.0}, {"held_out_images", data_.heldOut.images.size(0)}}}};
    storeVae(m, vae_);
    saveCheckpoint(o_.run.out, m);
  }

  double heldOutPsnr() const { return heldOutPsnr_; }

 private:
  nlohmann::json dataJson() const {
    return {{"folder", std::filesystem::absolute(o_.dataDir).string()},
            {"train_images", data_.train.images.size(0)},
            {"held_out_images", data_.heldOut.images.size(0)},
            {"resolution", cfg_.resolution},
            {"held_out_rule", "FNV-1a(file name) % 10 == 0"}};
  }

  const ImageVaeTrainOptions& o_;
  const ImageVaeConfig cfg_;
  const ImageDataset data_;
  ImageVae vae_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  nlohmann::json frozenFrom_ = nullptr;  // the step from which the encoder was frozen, if it was
  double heldOutPsnr_ = -1;
};

}  // namespace

ImageVaeTrainResult trainImageVae(const ImageVaeTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  imageVaeTrainConfig(o);  // a bad --readout-layers before anything is read
  checkTrainingRun(o.run);  // before loading data: a bad path should not wait for it
  ImageVaeTrainer trainer(o);
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, trainer.heldOutPsnr(), r.seconds};
}

}  // namespace fieldscope
