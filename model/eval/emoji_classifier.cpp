#include "model/eval/emoji_classifier.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/io/json_integer.h"

namespace fieldscope {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

nlohmann::json EmojiClassifierConfig::toJson() const {
  return {{"resolution", resolution}, {"width", width}, {"classes", classes}, {"groups", groups}, {"group_of_class", groupOfClass}};
}

EmojiClassifierConfig EmojiClassifierConfig::fromJson(const nlohmann::json& j, const std::string& file) {
  EmojiClassifierConfig c;
  try {
    c.resolution = jsonInteger<int>(j.at("resolution"), "resolution");
    c.width = jsonInteger<int>(j.at("width"), "width");
    c.classes = j.at("classes").get<std::vector<std::string>>();
    c.groups = j.at("groups").get<std::vector<std::string>>();
    for (const auto& g : j.at("group_of_class")) c.groupOfClass.push_back(jsonInteger<int>(g, "group_of_class"));
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + file + "': the classifier's config is broken: " + e.what());
  }
  if (c.resolution < 8 || c.resolution > 1024 || c.width < 1 || c.width > 512 || c.classes.empty() ||
      c.groupOfClass.size() != c.classes.size())
    throw std::runtime_error("'" + file + "': the classifier's config is out of range");
  for (int g : c.groupOfClass)
    if (g < 0 || g >= static_cast<int>(c.groups.size())) throw std::runtime_error("'" + file + "': a class names no group");
  return c;
}

namespace {

// Two 3x3 convolutions (the first with stride 2 when `down`), each with GroupNorm and SiLU.
void addStage(nn::Sequential& seq, int in, int out, bool down) {
  const int groups = out % 8 == 0 ? 8 : 1;
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(down ? 2 : 1).padding(1)));
  seq->push_back(nn::GroupNorm(nn::GroupNormOptions(groups, out)));
  seq->push_back(nn::SiLU());
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1)));
  seq->push_back(nn::GroupNorm(nn::GroupNormOptions(groups, out)));
  seq->push_back(nn::SiLU());
}

}  // namespace

EmojiClassifierImpl::EmojiClassifierImpl(const EmojiClassifierConfig& c) : config_(c) {
  const int w = c.width;
  nn::Sequential body;
  addStage(body, 3, w, false);
  addStage(body, w, 2 * w, true);
  addStage(body, 2 * w, 4 * w, true);
  addStage(body, 4 * w, 8 * w, true);
  body_ = register_module("body", body);
  head_ = register_module("head", nn::Linear(8 * w, static_cast<int64_t>(c.classes.size())));
}

torch::Tensor EmojiClassifierImpl::features(const torch::Tensor& images) {
  torch::Tensor x = images;
  if (x.size(-1) != config_.resolution || x.size(-2) != config_.resolution)
    x = F::interpolate(x, F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{config_.resolution, config_.resolution})
                              .mode(torch::kBilinear)
                              .align_corners(false)
                              .antialias(true));
  return body_->forward(x).mean({2, 3});
}

torch::Tensor EmojiClassifierImpl::forward(const torch::Tensor& images) { return head_->forward(features(images)); }

torch::Tensor classifierFeatures(EmojiClassifier& net, const torch::Tensor& images, int64_t batch) {
  torch::NoGradGuard noGrad;
  const bool wasTraining = net->is_training();
  net->eval();
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < images.size(0); i += batch)
    parts.push_back(net->features(images.narrow(0, i, std::min(batch, images.size(0) - i))));
  if (wasTraining) net->train();
  return parts.empty() ? torch::zeros({0, net->config().featureDim()}) : torch::cat(parts);
}

EmojiClassifier loadEmojiClassifier(const std::filesystem::path& path) {
  const Checkpoint c = loadCheckpoint(path);
  if (c.config.value("domain", "") != "classifier" || c.config.value("kind", "") != "emoji-classifier")
    throw std::runtime_error("'" + path.string() + "' is not an emoji classifier (it is a " + c.config.value("domain", "?") +
                             " " + c.config.value("kind", "?") + " file): make one with `fieldscope train emoji-classifier`");
  EmojiClassifier net(EmojiClassifierConfig::fromJson(c.config.at("classifier"), path.string()));
  restoreModule(c, "net.", *net);
  net->eval();
  return net;
}

void storeEmojiClassifier(Checkpoint& c, EmojiClassifier& net) {
  c.config["classifier"] = net->config().toJson();
  storeModule(c, "net.", *net);
}

}  // namespace fieldscope
