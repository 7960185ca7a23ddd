#include "model/train/video_vae_trainer.h"

#include <torch/torch.h>

#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/train/lr_schedule.h"
#include "model/train/batch_sampler.h"
#include "model/train/train_support.h"
#include "model/video/clip_tensors.h"
#include "model/video/video_eval.h"
#include "model/video/video_vae_io.h"
#include "model/video_data/clip_dataset.h"

namespace fieldscope {
namespace {

constexpr int64_t kEvalClips = 16;

VideoVae seededVideoVae(const VideoVaeConfig& cfg, uint64_t seed) {
  torch::manual_seed(seed);  // the initial weights are part of the run's determinism
  return VideoVae(cfg);
}

VideoVaeConfig configFor(const std::string& preset, const ClipDataset& data) {
  VideoVaeConfig c = VideoVaeConfig::preset_(preset);
  c.frames = data.frames;  // the model takes the data set's clip shape
  c.size = data.size;
  return VideoVaeConfig::fromJson(c.toJson());  // checks it
}

class VideoVaeTrainer final : public Trainable {
 public:
  VideoVaeTrainer(const VideoVaeTrainOptions& o, const ClipDataset& data)
      : o_(o),
        cfg_(configFor(o.preset, data)),
        train_(clipsToTensor(data.train)),
        heldOut_(clipsToTensor(data.test)),
        trainCount_(int64_t(data.train.size())),
        heldOutCount_(int64_t(data.test.size())),
        vae_(seededVideoVae(cfg_, o.run.seed)),
        adam_(vae_->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 100, 0.05, o.run.steps} {
    if (train_.size(0) == 0) throw std::runtime_error("clip data set '" + o.dataDir.string() + "' has no training clips");
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld training clips, %lld held out; %d frames of %d^2; latent %d x %d x %d (preset %s)\n",
                   static_cast<long long>(trainCount_), static_cast<long long>(heldOutCount_), cfg_.frames, cfg_.size,
                   cfg_.latentChannels, cfg_.latentRows(), cfg_.latentWidth(), cfg_.preset.c_str());
    vae_->train();
  }

  std::string domain() const override { return "video"; }
  std::string stateKind() const override { return "vae-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "l1", "kl", "psnr_batch"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    auto idx = batchIndices(s, train_.size(0), o_.batch);
    ClipBatch b = drawClipBatch(train_, idx, cfg_.queryPixels, o_.frameStride, s.gen);
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    Posterior post = vae_->encode(b.clips);
    auto rgb = vae_->colours(vae_->decodeFields(post.sample(s.gen)), b.points);
    auto l1 = (rgb - b.colours).abs().mean();
    auto kl = post.kl() / post.mean[0].numel();  // per latent element
    auto loss = l1 + cfg_.klWeight * kl;
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    torch::nn::utils::clip_grad_norm_(vae_->parameters(), 1.0);
    adam_.step();
    const double mse = ((rgb.detach() - b.colours) * 0.5).pow(2).mean().item<double>();
    return {{"loss", loss.item<double>()},
            {"l1", l1.item<double>()},
            {"kl", kl.item<double>()},
            {"psnr_batch", mse > 1e-10 ? -10.0 * std::log10(mse) : 99.0}};
  }

  void storeState(Checkpoint& s) override {
    storeVideoVae(s, vae_);
    s.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& s) override {
    if (s.config["vae"] != cfg_.toJson())
      throw std::runtime_error("cannot resume from '" + s.file.string() + "': it was trained with another preset or clip size");
    restoreModule(s, "vae.", *vae_);
    optimizerFromBytes(adam_, s.at("optimizer"));
  }

  void evaluate() override {
    const torch::Tensor& clips = heldOut_.size(0) > 0 ? heldOut_ : train_;
    eval_ = evaluateVideoReconstruction(vae_, clips.narrow(0, 0, std::min<int64_t>(kEvalClips, clips.size(0))),
                                        o_.frameStride);
    if (!o_.run.quiet) {
      std::fprintf(stderr, "fieldscope: held-out reconstruction PSNR %.2f dB (%lld clips)\n", eval_.psnr,
                   static_cast<long long>(eval_.clips));
      if (o_.frameStride > 1)
        std::fprintf(stderr, "fieldscope: unseen in-between frames: field %.2f dB, linear blend of neighbours %.2f dB\n",
                     eval_.betweenPsnr, eval_.blendPsnr);
    }
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    m.config = {{"domain", "video"},
                {"kind", "vae"},
                {"preset", cfg_.preset},
                {"data",
                 {{"folder", std::filesystem::absolute(o_.dataDir).string()},
                  {"train_clips", trainCount_},
                  {"held_out_clips", heldOutCount_},
                  {"frames", cfg_.frames},
                  {"size", cfg_.size},
                  {"frame_stride", o_.frameStride},
                  {"held_out_rule", "the data set's test/ folder"}}},
                {"training", trainingRecord(o_.run, p, o_.batch, o_.lr,
                                             {{"loss", "L1 on " + std::to_string(cfg_.queryPixels) +
                               " random (x, y, t) pixel samples per clip + KL per latent element x " +
                               std::to_string(cfg_.klWeight)}})},
                {"metrics",
                 {{"held_out_psnr_db", p.final ? eval_.psnr : -1.0},
                  {"held_out_clips_scored", p.final ? eval_.clips : 0},
                  {"in_between_psnr_db", p.final ? eval_.betweenPsnr : -1.0},
                  {"in_between_blend_psnr_db", p.final ? eval_.blendPsnr : -1.0}}}};
    storeVideoVae(m, vae_);
    saveCheckpoint(o_.run.out, m);
  }

  double heldOutPsnr() const { return eval_.psnr; }

 private:
  const VideoVaeTrainOptions& o_;
  const VideoVaeConfig cfg_;
  const torch::Tensor train_, heldOut_;
  const int64_t trainCount_, heldOutCount_;
  VideoVae vae_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  VideoReconstruction eval_;
};

}  // namespace

VideoVaeTrainResult trainVideoVae(const VideoVaeTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  if (o.frameStride < 1) throw std::runtime_error("--frame-stride must be at least 1");
  checkTrainingRun(o.run);
  VideoVaeTrainer trainer(o, loadClipDataset(o.dataDir));
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, trainer.heldOutPsnr(), r.seconds};
}

}  // namespace fieldscope
