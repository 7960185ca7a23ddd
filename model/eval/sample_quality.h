#pragma once
// Sample quality in numbers (docs/architecture.md "Sample quality"): sets of pictures scored
// against a reference set (a data set's held-out pictures) in a classifier's feature space
// (model/eval/emoji_classifier.h): the Fréchet distance and improved precision/recall (k = 3).
// Scored beside each other -- the data's own training pictures (the floor: what a perfect model
// would get with this many pictures), the VAE's reconstructions, a model's samples -- the
// numbers have a scale.
#include <torch/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/eval/emoji_classifier.h"

namespace fieldscope {

struct SetScore {
  std::string name;   // "floor: training pictures", "VAE reconstructions", "samples"
  int64_t count = 0;  // pictures in the set
  double frechet = 0;
  double precision = 0, recall = 0;
};

// Scores `features` (N x D) against `reference` (M x D).
SetScore scoreFeatureSet(const std::string& name, const torch::Tensor& reference, const torch::Tensor& features, int k = 3);
// Pictures (N x 3 x R x R in [-1, 1]) through the classifier, then scored.
SetScore scorePictureSet(const std::string& name, EmojiClassifier& classifier, const torch::Tensor& reference,
                         const torch::Tensor& pictures, int k = 3);

nlohmann::json toJson(const SetScore& s);

}  // namespace fieldscope
