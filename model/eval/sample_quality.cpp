#include "model/eval/sample_quality.h"

#include <torch/torch.h>

#include "model/eval/frechet_distance.h"
#include "model/eval/precision_recall.h"

namespace fieldscope {

SetScore scoreFeatureSet(const std::string& name, const torch::Tensor& reference, const torch::Tensor& features, int k) {
  SetScore s;
  s.name = name;
  s.count = features.size(0);
  s.frechet = frechetDistance(reference, features);
  const PrecisionRecall pr = precisionRecall(reference, features, k);
  s.precision = pr.precision;
  s.recall = pr.recall;
  return s;
}

SetScore scorePictureSet(const std::string& name, EmojiClassifier& classifier, const torch::Tensor& reference,
                         const torch::Tensor& pictures, int k) {
  return scoreFeatureSet(name, reference, classifierFeatures(classifier, pictures), k);
}

nlohmann::json toJson(const SetScore& s) {
  return {{"set", s.name}, {"pictures", s.count}, {"frechet_distance", s.frechet}, {"precision", s.precision}, {"recall", s.recall}};
}

}  // namespace fieldscope
