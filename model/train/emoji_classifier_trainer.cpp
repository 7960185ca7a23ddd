#include "model/train/emoji_classifier_trainer.h"

#include <torch/torch.h>

#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/data/image_folder.h"
#include "model/eval/emoji_classifier.h"
#include "model/train/batch_sampler.h"
#include "model/train/lr_schedule.h"
#include "model/train/train_support.h"

namespace fieldscope {

namespace {

// The labelled pictures of one split: images N x 3 x R x R and their subgroup indices.
struct Labelled {
  torch::Tensor images, classes;
};

Labelled labelled(const ImageSet& set, const EmojiLabels& labels) {
  std::vector<int64_t> keep, cls;
  for (size_t i = 0; i < set.names.size(); ++i) {
    const int c = labels.subgroupOfFile(set.names[i]);
    if (c < 0) continue;
    keep.push_back(static_cast<int64_t>(i));
    cls.push_back(c);
  }
  if (keep.empty()) return {torch::zeros({0, 3, set.images.size(2), set.images.size(3)}), torch::zeros({0}, torch::kInt64)};
  return {set.images.index_select(0, torch::tensor(keep)), torch::tensor(cls)};
}

EmojiClassifierConfig configFor(const EmojiClassifierTrainOptions& o, const EmojiLabels& labels) {
  EmojiClassifierConfig c;
  c.resolution = o.resolution;
  c.width = o.width;
  c.classes = labels.subgroups;
  c.groups = labels.groups;
  c.groupOfClass = labels.groupOfSubgroup;
  return c;
}

// A random shift of up to 1/16 of the side (the glyphs sit centred, with margins), edge-padded.
torch::Tensor shifted(const torch::Tensor& x, const torch::Generator& gen) {
  const int64_t r = x.size(-1), m = std::max<int64_t>(1, r / 16);
  const auto padded = torch::nn::functional::pad(
      x, torch::nn::functional::PadFuncOptions({m, m, m, m}).mode(torch::kReplicate));
  const int64_t dx = randomIndex(gen, 2 * m + 1), dy = randomIndex(gen, 2 * m + 1);
  return padded.narrow(2, dy, r).narrow(3, dx, r);
}

class EmojiClassifierTrainer final : public Trainable {
 public:
  explicit EmojiClassifierTrainer(const EmojiClassifierTrainOptions& o)
      : o_(o),
        labels_(readEmojiLabels(o.font, o.emojiTest)),
        data_(loadImageFolder(o.dataDir, o.resolution)),
        train_(labelled(data_.train, labels_)),
        heldOut_(labelled(data_.heldOut, labels_)),
        net_(seeded(configFor(o, labels_), o.run.seed)),
        adam_(net_->parameters(), torch::optim::AdamOptions(o.lr).weight_decay(1e-4)),
        schedule_{o.lr, 100, 0.02, o.run.steps} {
    if (train_.images.size(0) == 0)
      throw std::runtime_error("'" + o.dataDir.string() + "' holds no picture of a labelled emoji glyph (g<index>.png made by `fieldscope data emoji` with the font '" +
                               o.font.string() + "')");
    if (!o.run.quiet)
      std::fprintf(stderr,
                   "fieldscope: %lld labelled training pictures, %lld held out; %zu subgroups in %zu groups "
                   "(%d of %d emoji-test.txt sequences shape to one glyph of the font)\n",
                   static_cast<long long>(train_.images.size(0)), static_cast<long long>(heldOut_.images.size(0)),
                   labels_.subgroups.size(), labels_.groups.size(), labels_.sequences - labels_.unshaped, labels_.sequences);
    net_->train();
  }

  std::string domain() const override { return "classifier"; }
  std::string stateKind() const override { return "emoji-classifier-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "accuracy_batch"}; }
  double learningRate(int64_t step) const override { return schedule_.at(step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(adam_); }

  StepValues step(const TrainStep& s) override {
    const torch::Tensor idx = batchIndices(s, train_.images.size(0), o_.batch);
    torch::Tensor x = train_.images.index_select(0, idx);
    const torch::Tensor y = train_.classes.index_select(0, idx);
    x = shifted(x, s.gen);
    if (randomUniform(s.gen) < 0.5) x = x.flip({3});  // a mirrored emoji is still its subgroup
    for (auto& g : adam_.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    const torch::Tensor logits = net_->forward(x);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        logits, y, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(0.1));
    adam_.zero_grad();
    loss.backward();
    syncGradients(s);
    adam_.step();
    const double acc = (logits.argmax(1) == y).to(torch::kFloat64).mean().item<double>();
    return {{"loss", loss.item<double>()}, {"accuracy_batch", acc}};
  }

  void storeState(Checkpoint& s) override {
    storeEmojiClassifier(s, net_);
    s.tensors["optimizer"] = optimizerToBytes(adam_);
  }

  void restoreState(const Checkpoint& s) override {
    if (s.config.at("classifier") != net_->config().toJson())
      throw std::runtime_error("cannot resume from '" + s.file.string() + "': it was trained with other classes or sizes");
    restoreModule(s, "net.", *net_);
    optimizerFromBytes(adam_, s.at("optimizer"));
  }

  void evaluate() override {
    const Labelled& eval = heldOut_.images.size(0) > 0 ? heldOut_ : train_;
    torch::NoGradGuard noGrad;
    net_->eval();
    std::vector<torch::Tensor> preds;
    for (int64_t i = 0; i < eval.images.size(0); i += 256)
      preds.push_back(net_->forward(eval.images.narrow(0, i, std::min<int64_t>(256, eval.images.size(0) - i))).argmax(1));
    net_->train();
    const torch::Tensor p = torch::cat(preds);
    const torch::Tensor groupOf = torch::tensor(labels_.groupOfSubgroup, torch::kInt64);
    subgroupAccuracy_ = (p == eval.classes).to(torch::kFloat64).mean().item<double>();
    groupAccuracy_ = (groupOf.index_select(0, p) == groupOf.index_select(0, eval.classes)).to(torch::kFloat64).mean().item<double>();
  }

  void saveModel(const TrainingProgress& p) override {
    Checkpoint m;
    m.config = {{"domain", "classifier"},
                {"kind", "emoji-classifier"},
                {"data",
                 {{"folder", std::filesystem::absolute(o_.dataDir).string()},
                  {"train_images", train_.images.size(0)},
                  {"held_out_images", heldOut_.images.size(0)},
                  {"unlabelled_images", data_.train.images.size(0) + data_.heldOut.images.size(0) - train_.images.size(0) -
                                            heldOut_.images.size(0)},
                  {"labels", "Unicode emoji subgroups of " + o_.emojiTest.string() +
                                 ", each fully-qualified sequence shaped with HarfBuzz on " + o_.font.string() +
                                 "; a sequence that makes one glyph labels that glyph"},
                  {"held_out_rule", "FNV-1a(file name) % 10 == 0"}}},
                {"training", trainingRecord(o_.run, p, o_.batch, o_.lr,
                                             {{"loss", "cross-entropy over the subgroups (label smoothing 0.1); shifts up to 1/16 and mirroring"}})},
                {"metrics",
                 {{"held_out_subgroup_accuracy", p.final ? subgroupAccuracy_ : -1.0},
                  {"held_out_group_accuracy", p.final ? groupAccuracy_ : -1.0},
                  {"held_out_images", heldOut_.images.size(0)}}}};
    storeEmojiClassifier(m, net_);
    saveCheckpoint(o_.run.out, m);
  }

  EmojiClassifierTrainResult result() const {
    return {0, false, 0, subgroupAccuracy_, groupAccuracy_, heldOut_.images.size(0)};
  }

 private:
  static EmojiClassifier seeded(const EmojiClassifierConfig& c, uint64_t seed) {
    torch::manual_seed(seed);
    return EmojiClassifier(c);
  }

  const EmojiClassifierTrainOptions& o_;
  const EmojiLabels labels_;
  const ImageDataset data_;
  const Labelled train_, heldOut_;
  EmojiClassifier net_;
  torch::optim::Adam adam_;
  const WarmupCosine schedule_;
  double subgroupAccuracy_ = -1, groupAccuracy_ = -1;
};

}  // namespace

EmojiClassifierTrainResult trainEmojiClassifier(const EmojiClassifierTrainOptions& o) {
  if (o.batch <= 0) throw std::runtime_error("--batch must be positive");
  checkTrainingRun(o.run);
  EmojiClassifierTrainer trainer(o);
  const TrainingRunResult r = runTrainingLoop(trainer, o.run);
  EmojiClassifierTrainResult out = trainer.result();
  out.stepsDone = r.stepsDone;
  out.interrupted = r.interrupted;
  out.seconds = r.seconds;
  return out;
}

}  // namespace fieldscope
