#include "model/train/sr_ae_trainer.h"

#include <torch/torch.h>

#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/io/sha256.h"
#include "model/photo_data/photo_dataset.h"
#include "model/sr/cubic_resample.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_ae_grow.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_degrade.h"
#include "model/train/lr_schedule.h"
#include "model/train/batch_sampler.h"
#include "model/train/train_support.h"

namespace fieldscope {
namespace {

constexpr int64_t kEvalCrops = 64;

SrAutoencoder seededAutoencoder(const SrAeConfig& cfg, uint64_t seed, const torch::Device& device) {
  torch::manual_seed(seed);  // the initial weights are part of the run's determinism
  SrAutoencoder ae(cfg);
  if (cfg.residual) {
    // The head's last layer starts at zero: the decoder starts as the bicubic upsampling it adds
    // to, instead of bicubic plus a random colour offset it first has to unlearn (measured: 150
    // steps went to removing that offset).
    torch::NoGradGuard noGrad;
    for (auto& p : ae->head->named_parameters())
      if (p.key().rfind("out.", 0) == 0) p.value().zero_();
  }
  ae->to(device);  // before the optimizer is made: its state follows the parameters
  return ae;
}

SrAeConfig configFor(const SrAeTrainOptions& o, const PhotoDataset& data) {
  const std::string& preset = o.preset;
  SrAeConfig c = SrAeConfig::preset_(preset);
  if (o.decoderBlocks > 0) c.decoderBlocks = o.decoderBlocks;
  if (data.cropSize < c.cropSize)
    throw std::runtime_error("the photo crops are " + std::to_string(data.cropSize) + " px; preset '" + preset +
                             "' trains on " + std::to_string(c.cropSize) + " px crops (make the data with --crop " +
                             std::to_string(c.cropSize) + " or more)");
  return c;
}

}  // namespace

nlohmann::json srScoresJson(const SrEvaluation& ev) {
  nlohmann::json rows = nlohmann::json::array();
  for (const SrScaleScore& s : ev.scales)
    rows.push_back({{"scale", s.scale},
                    {"bicubic_psnr_db", s.bicubicPsnr},
                    {"bicubic_ssim", s.bicubicSsim},
                    {"decoder_psnr_db", s.decoderPsnr},
                    {"decoder_ssim", s.decoderSsim},
                    {"decoder_lr_consistency_psnr_db", s.decoderLrConsistencyPsnr}});
  return {{"crops", ev.crops}, {"by_scale", rows}};
}

namespace {

class SrAeTrainer final : public Trainable {
 public:
  SrAeTrainer(const SrAeTrainOptions& o, const PhotoDataset& data)
      : o_(o),
        cfg_(configFor(o, data)),
        train_(photosToTensor(data.train)),
        heldOut_(photosToTensor(data.test)),
        ae_(seededAutoencoder(cfg_, o.run.seed, o.run.device)),
        adam_(ae_->parameters(), torch::optim::AdamOptions(o.lr).betas({0.9, 0.99})),
        schedule_{o.lr, 100, 0.05, o.run.steps} {
    if (!o.run.quiet)
      std::fprintf(stderr, "fieldscope: %lld training crops, %lld held out (%d px); preset %s, latent %d ch at 1/%d\n",
                   static_cast<long long>(train_.size(0)), static_cast<long long>(heldOut_.size(0)), data.cropSize,
                   cfg_.preset.c_str(), cfg_.latentChannels, cfg_.downFactor());
    if (!o.initFrom.empty()) {  // before a --resume, which then replaces every weight
      try {
        const Checkpoint from = loadCheckpoint(o.initFrom, "sr");
        if (from.config.value("kind", "") != "ae")
          throw std::runtime_error("it is a '" + from.config.value("kind", "") + "' file, not a trained SR autoencoder (kind 'ae')");
        growSrAutoencoder(ae_, restoreSrAutoencoder(from));
        // What the model started from, kept through --resume (the state holds it) and in the card.
        initRecord_ = {{"file", std::filesystem::absolute(o.initFrom).string()},
                       {"sha256", sha256File(o.initFrom)},
                       {"vae", from.config.at("vae")},
                       {"training", from.config.value("training", nlohmann::json::object())}};
      } catch (const std::exception& e) {
        throw std::runtime_error("--init-from '" + o.initFrom.string() + "': " + e.what());
      }
    }
    ae_->train();
  }

  std::string domain() const override { return "sr"; }
  std::string stateKind() const override { return "ae-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "scale", "out_size", "psnr_batch"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    const int64_t side = cfg_.cropSize, latent = side / cfg_.downFactor();
    const torch::Tensor hr = drawPhotoCrops(train_, batchIndices(s, train_.size(0), o_.batch), side, s.gen);
    const double scale = randomUniform(s.gen) < o_.identityFraction ? 1.0 : 1 + randomUniform(s.gen) * (cfg_.maxTrainScale - 1);
    const int64_t lrSide = lowResSide(side, scale);
    const torch::Tensor lowRes = lrSide == side ? quantize8(hr) : cubicResize(degrade(hr, lrSide, lrSide), side, side);
    const int64_t outSide = randomUniform(s.gen) < 0.5 ? side : latent + randomIndex(s.gen, side - latent + 1);
    // Crops, degradation and targets are made on the CPU (the same on any device), then moved.
    const torch::Tensor target = (outSide == side ? hr : cubicResize(hr, outSide, outSide)).to(o_.run.device);
    const torch::Tensor input = lowRes.to(o_.run.device);
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    const torch::Tensor rgb = ae_->render(ae_->features(ae_->encode(input)), input, outSide, outSide);
    const torch::Tensor loss = o_.loss == "l1" ? (rgb - target).abs().mean() : (rgb - target).pow(2).mean();
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    torch::nn::utils::clip_grad_norm_(ae_->parameters(), 1.0);
    adam_.step();
    const double mse = ((rgb.detach().clamp(-1, 1) - target) * 0.5).pow(2).mean().item<double>();
    return {{"loss", loss.item<double>()},
            {"scale", scale},
            {"out_size", double(outSide)},
            {"psnr_batch", mse > 1e-10 ? -10.0 * std::log10(mse) : 99.0}};
  }

  void storeState(Checkpoint& st) override {
    if (!initRecord_.is_null()) st.config["init_from"] = initRecord_;
    storeSrAutoencoder(st, ae_);
    st.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& st) override {
    if (st.config["vae"] != cfg_.toJson())
      throw std::runtime_error("cannot resume from '" + st.file.string() + "': it was trained with other sizes (" +
                               st.config["vae"].dump() + "; this command's: " + cfg_.toJson().dump() +
                               "; give the same --preset and --decoder-blocks)");
    restoreModule(st, "vae.", *ae_);
    if (st.config.contains("init_from")) initRecord_ = st.config["init_from"];
    optimizerFromBytes(adam_, st.at("optimizer"));
  }

  void evaluate() override {
    const torch::Tensor& crops = heldOut_.size(0) > 0 ? heldOut_ : train_;
    eval_ = evaluateSrDecoder(ae_, crops.narrow(0, 0, std::min<int64_t>(kEvalCrops, crops.size(0))), srEvalScales());
    if (!o_.run.quiet)
      for (const SrScaleScore& sc : eval_.scales)
        std::fprintf(stderr, "fieldscope: held-out x%.1f: bicubic %.2f dB / SSIM %.4f, decoder %.2f dB / SSIM %.4f\n",
                     sc.scale, sc.bicubicPsnr, sc.bicubicSsim, sc.decoderPsnr, sc.decoderSsim);
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    m.config = {{"domain", "sr"},
                {"kind", "ae"},
                {"preset", cfg_.preset},
                {"data",
                 {{"folder", std::filesystem::absolute(o_.dataDir).string()},
                  {"train_crops", train_.size(0)},
                  {"held_out_crops", heldOut_.size(0)},
                  {"crop", train_.size(2)},
                  {"held_out_rule", "the data set's test/ crops (scenes held out by name)"}}},
                {"training", trainingRecord(o_.run, p, o_.batch, o_.lr,
                                             {{"loss", std::string(cfg_.residual ? "(head output added to the bilinearly read input) " : "") + (o_.loss == "l1" ? "L1" : "MSE") + " of the LIIF rendering (random output size 1x-4x the latent) of the encoded bicubic "
                           "upsampling of a random-scale (1-" + std::to_string(int(cfg_.maxTrainScale)) +
                               ") antialiased bicubic downsampling, against the crop resized to that size"}})},
                {"metrics", p.final ? srScoresJson(eval_) : nlohmann::json::object()}};
    if (!initRecord_.is_null()) m.config["training"]["init_from"] = initRecord_;
    storeSrAutoencoder(m, ae_);
    saveCheckpoint(o_.run.out, m);
  }

  const SrEvaluation& heldOut() const { return eval_; }

 private:
  const SrAeTrainOptions& o_;
  const SrAeConfig cfg_;
  const torch::Tensor train_, heldOut_;
  SrAutoencoder ae_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  SrEvaluation eval_;
  nlohmann::json initRecord_;  // --init-from's file, digest, sizes and training record
};

}  // namespace

const std::vector<double>& srEvalScales() {
  static const std::vector<double> scales{2.0, 3.7, 4.0, 8.0};
  return scales;
}

SrAeTrainResult trainSrAutoencoder(const SrAeTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  checkTrainingRun(o.run);
  SrAeTrainer trainer(o, loadPhotoDataset(o.dataDir));
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  return {r.stepsDone, r.interrupted, trainer.heldOut(), r.seconds};
}

}  // namespace fieldscope
