#include "model/image/image_eval.h"

#include <torch/torch.h>

namespace fieldscope {

torch::Tensor reconstructImages(ImageVae& vae, const torch::Tensor& images, int64_t batch, const WorkProgress& progress) {
  torch::NoGradGuard ng;
  const bool wasTraining = vae->is_training();
  vae->eval();
  std::vector<torch::Tensor> outs;
  const int64_t r = vae->config().resolution;
  const auto device = vae->parameters().front().device();  // runs where the VAE lives, returns like `images`
  for (int64_t i = 0; i < images.size(0); i += batch) {
    auto x = images.narrow(0, i, std::min(batch, images.size(0) - i)).to(device);
    auto fields = vae->decodeFields(vae->encode(x).mean);
    outs.push_back(vae->renderRegion(fields, 0, 0, 1, 1, r, r).clamp(-1, 1).to(images.device()));
    reportProgress(progress, i + x.size(0), images.size(0));
  }
  if (wasTraining) vae->train();
  return outs.empty() ? images.clone() : torch::cat(outs);
}

}  // namespace fieldscope
