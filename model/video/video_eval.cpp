#include "model/video/video_eval.h"

#include <torch/torch.h>

#include <cmath>

#include "model/video/clip_tensors.h"
#include "model/video/video_readout.h"

namespace fieldscope {

double psnr01(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).pow(2).mean().item<double>();
  return mse <= 1e-10 ? 99.0 : 10.0 * std::log10(1.0 / mse);
}

VideoReconstruction evaluateVideoReconstruction(VideoVae& vae, const torch::Tensor& clips, int frameStride) {
  c10::InferenceMode guard;
  const bool wasTraining = vae->is_training();
  vae->eval();
  const int64_t N = clips.size(0), T = clips.size(1), S = clips.size(3);
  const auto truth = clips.to(torch::kFloat32) / 255.0;  // N x T x 3 x S x S
  const auto seen = blendSkippedFrames(clips, frameStride).to(torch::kFloat32) / 255.0;
  // Every pixel centre of every frame, in the fields' coordinates.
  auto ax = (2 * torch::arange(S, torch::kFloat32) + 1) / double(S) - 1;
  auto at = (2 * torch::arange(T, torch::kFloat32) + 1) / double(T) - 1;
  auto g = torch::meshgrid({at, ax, ax}, "ij");  // t, y, x
  auto points = torch::stack({g[2], g[1], g[0]}, -1).reshape({-1, 3});
  std::vector<torch::Tensor> decoded;
  for (int64_t i = 0; i < N; ++i) {
    auto fields = videoFieldsOf(vae->decodeFields(vae->encode(seen.narrow(0, i, 1) * 2 - 1).mean), 0);
    auto rgb = ((vae->colours(fields, points) + 1) * 0.5).clamp(0, 1);
    decoded.push_back(rgb.view({T, S, S, 3}).permute({0, 3, 1, 2}));
  }
  const auto out = torch::stack(decoded);  // N x T x 3 x S x S
  VideoReconstruction r;
  r.clips = N;
  auto kept = torch::arange(0, T, std::max(1, frameStride));
  r.psnr = psnr01(out.index_select(1, kept), truth.index_select(1, kept));
  if (frameStride > 1) {
    std::vector<int64_t> skipped;
    for (int64_t k = 0; k < T; ++k)
      if (k % frameStride != 0) skipped.push_back(k);
    auto s = torch::tensor(skipped);
    r.betweenPsnr = psnr01(out.index_select(1, s), truth.index_select(1, s));
    r.blendPsnr = psnr01(seen.index_select(1, s), truth.index_select(1, s));
  }
  if (wasTraining) vae->train();
  return r;
}

}  // namespace fieldscope
