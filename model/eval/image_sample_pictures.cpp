#include "model/eval/image_sample_pictures.h"

#include <torch/torch.h>

#include "model/image/image_eval.h"
#include "model/image/image_model.h"

namespace fieldscope {

torch::Tensor sampleImagePictures(ImageModel& model, const SamplePicturesOptions& o) {
  torch::NoGradGuard noGrad;
  const int r = model.trainResolution();
  std::vector<torch::Tensor> parts;
  int64_t done = 0;
  reportProgress(o.progress, 0, o.count);
  while (done < o.count) {
    if (o.cancelled && o.cancelled()) break;
    const int64_t n = std::min(o.batch, o.count - done);
    std::vector<uint64_t> seeds;
    for (int64_t i = 0; i < n; ++i) seeds.push_back(o.firstSeed + static_cast<uint64_t>(done + i));
    const torch::Tensor latents = model.sampleLatents(seeds, o.steps, o.eta, o.guidance);
    ImageVae& vae = model.vae();
    ImageFields fields = vae->decodeFields(latents);
    const torch::Tensor pictures = vae->renderRegion(fields, 0, 0, 1, 1, r, r);
    parts.push_back(pictures.clamp(-1, 1).to(torch::kCPU, torch::kFloat32));
    done += n;
    reportProgress(o.progress, done, o.count);
  }
  return parts.empty() ? torch::zeros({0, 3, r, r}) : torch::cat(parts);
}

torch::Tensor reconstructImagePictures(ImageModel& model, const torch::Tensor& images, const WorkProgress& progress) {
  return reconstructImages(model.vae(), images, 64, progress).clamp(-1, 1);
}

}  // namespace fieldscope
