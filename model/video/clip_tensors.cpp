#include "model/video/clip_tensors.h"

#include <torch/torch.h>

#include <cstring>
#include <stdexcept>

#include "model/video/video_readout.h"

namespace fieldscope {

torch::Tensor clipsToTensor(const std::vector<Clip>& clips) {
  if (clips.empty()) return torch::empty({0, 0, 3, 0, 0}, torch::kUInt8);
  const int64_t T = clips[0].frames, S = clips[0].size;
  auto out = torch::empty({int64_t(clips.size()), T, S, S, 3}, torch::kUInt8);
  for (size_t i = 0; i < clips.size(); ++i) {
    const Clip& c = clips[i];
    if (c.frames != T || c.size != S || int64_t(c.rgb.size()) != T * S * S * 3)
      throw std::runtime_error("clip '" + c.name + "' is not " + std::to_string(T) + " frames of " + std::to_string(S) +
                               "^2 like the others");
    std::memcpy(out[int64_t(i)].data_ptr<uint8_t>(), c.rgb.data(), c.rgb.size());
  }
  return out.permute({0, 1, 4, 2, 3}).contiguous();
}

torch::Tensor blendSkippedFrames(const torch::Tensor& clips, int stride) {
  if (stride <= 1) return clips;
  const int64_t T = clips.size(1);
  auto out = clips.clone();
  const auto f = clips.to(torch::kFloat32);
  for (int64_t k = 0; k < T; ++k) {
    if (k % stride == 0) continue;
    const int64_t a = k - k % stride, b = a + stride;
    auto blended = b < T ? f.select(1, a) + (f.select(1, b) - f.select(1, a)) * (double(k - a) / stride) : f.select(1, a);
    out.select(1, k).copy_(clips.is_floating_point() ? blended : blended.round());
  }
  return out;
}

ClipBatch drawClipBatch(const torch::Tensor& all, const torch::Tensor& index, int queries, int frameStride,
                        const torch::Generator& gen) {
  const int64_t B = index.size(0), T = all.size(1), S = all.size(3);
  const int64_t kept = (T + frameStride - 1) / frameStride;
  auto u8 = blendSkippedFrames(all.index_select(0, index), frameStride);
  ClipBatch b;
  b.clips = u8.to(torch::kFloat32) / 127.5 - 1;
  auto k = torch::randint(kept, {B, queries}, gen, torch::kInt64) * frameStride;
  auto y = torch::randint(S, {B, queries}, gen, torch::kInt64);
  auto x = torch::randint(S, {B, queries}, gen, torch::kInt64);
  // Colours: B x T x 3 x S x S -> B x (T S S) x 3, gathered at k S S + y S + x.
  auto flat = all.index_select(0, index).permute({0, 1, 3, 4, 2}).reshape({B, T * S * S, 3});
  auto at = (k * S * S + y * S + x).unsqueeze(2).expand({B, queries, 3});
  b.colours = flat.gather(1, at).to(torch::kFloat32) / 127.5 - 1;
  // Fields' coordinates: pixel centres, frame k at clip time k / (T - 1).
  auto ux = (2 * x.to(torch::kFloat32) + 1) / double(S) - 1;
  auto uy = (2 * y.to(torch::kFloat32) + 1) / double(S) - 1;
  auto ut = (2 * k.to(torch::kFloat32) + 1) / double(T) - 1;  // = videoUnitTime(k / (T - 1), T)
  b.points = torch::stack({ux, uy, ut}, 2);
  return b;
}

}  // namespace fieldscope
