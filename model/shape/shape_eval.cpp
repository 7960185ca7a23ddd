#include "model/shape/shape_eval.h"

#include <torch/torch.h>

#include <algorithm>

namespace fieldscope {

torch::Tensor occupancyIoU(const torch::Tensor& logits, const torch::Tensor& labels) {
  auto pred = logits > 0, truth = labels > 0.5;
  auto inter = (pred & truth).sum(-1).to(torch::kFloat64), uni = (pred | truth).sum(-1).to(torch::kFloat64);
  return torch::where(uni > 0, inter / uni.clamp_min(1), torch::ones_like(uni));
}

ShapeReconstruction evaluateReconstruction(ShapeVae& vae, const ShapeSet& set) {
  torch::NoGradGuard ng;
  const bool wasTraining = vae->is_training();
  vae->eval();
  ShapeReconstruction r;
  const int64_t T = std::min<int64_t>(vae->config().pointCount, set.surface.size(1));
  for (int64_t i = 0; i < set.size(); i += 8) {
    const int64_t b = std::min<int64_t>(8, set.size() - i);
    auto fields = vae->decodeFields(vae->encode(set.surface.narrow(0, i, b).narrow(1, 0, T)).mean);
    std::vector<torch::Tensor> logits;
    const auto q = set.queries.narrow(0, i, b);
    for (int64_t s = 0; s < q.size(1); s += 8192)
      logits.push_back(vae->occupancy(fields, q.narrow(1, s, std::min<int64_t>(8192, q.size(1) - s))));
    auto iou = occupancyIoU(torch::cat(logits, 1), set.labels.narrow(0, i, b));
    for (int64_t k = 0; k < b; ++k) r.perShape.push_back(iou[k].item<double>());
  }
  if (!r.perShape.empty()) {
    double sum = 0;
    for (double v : r.perShape) sum += v;
    r.meanIoU = sum / r.perShape.size();
  }
  if (wasTraining) vae->train();
  return r;
}

}  // namespace fieldscope
