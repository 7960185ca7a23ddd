#pragma once
// The small emoji classifier whose features the sample-quality metric compares
// (model/eval/sample_quality.h): a convolutional net over RGB pictures in [-1, 1] that predicts the
// Unicode emoji subgroup (model/data/emoji_labels.h). Its pooled last-stage activations are the
// feature space of the Fréchet distance and of precision/recall, as Inception's are for FID.
// Trained by `fieldscope train emoji-classifier` (model/train/emoji_classifier_trainer.h); its
// file is an .fsm of domain "classifier".
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fieldscope {

struct Checkpoint;

struct EmojiClassifierConfig {
  int resolution = 64;  // input side (pictures are resized to it)
  int width = 32;       // channels of the first stage; x2 per stage, 4 stages
  std::vector<std::string> classes;  // subgroup names
  std::vector<std::string> groups;   // group names
  std::vector<int> groupOfClass;     // classes[i] lies in groups[groupOfClass[i]]

  int featureDim() const { return width * 8; }
  nlohmann::json toJson() const;
  static EmojiClassifierConfig fromJson(const nlohmann::json& j, const std::string& file);
};

class EmojiClassifierImpl : public torch::nn::Module {
 public:
  explicit EmojiClassifierImpl(const EmojiClassifierConfig& c);
  // N x 3 x R x R in [-1, 1] (any R: resized to the config's) -> N x featureDim.
  torch::Tensor features(const torch::Tensor& images);
  // -> N x classes logits.
  torch::Tensor forward(const torch::Tensor& images);
  const EmojiClassifierConfig& config() const { return config_; }

 private:
  EmojiClassifierConfig config_;
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(EmojiClassifier);

// Features of many pictures, in batches, without gradients, in eval mode.
torch::Tensor classifierFeatures(EmojiClassifier& net, const torch::Tensor& images, int64_t batch = 128);

// The classifier of a checkpoint (domain "classifier", kind "emoji-classifier"); throws naming
// the file otherwise.
EmojiClassifier loadEmojiClassifier(const std::filesystem::path& path);
void storeEmojiClassifier(Checkpoint& c, EmojiClassifier& net);

}  // namespace fieldscope
