#include "model/sr/photo_tensors.h"

#include <torch/torch.h>

#include <cstring>
#include <stdexcept>

#include "model/sr/sr_degrade.h"
#include "model/train/train_support.h"

namespace fieldscope {

torch::Tensor photosToTensor(const std::vector<Rgb8Image>& images) {
  if (images.empty()) return torch::zeros({0, 3, 0, 0}, torch::kUInt8);
  const int64_t h = images[0].height, w = images[0].width;
  auto out = torch::empty({int64_t(images.size()), h, w, 3}, torch::kUInt8);
  for (size_t i = 0; i < images.size(); ++i) {
    if (images[i].height != h || images[i].width != w) throw std::runtime_error("photosToTensor: images differ in size");
    std::memcpy(out[int64_t(i)].data_ptr<uint8_t>(), images[i].pixels.data(), images[i].pixels.size());
  }
  return out.permute({0, 3, 1, 2}).contiguous();
}

namespace {

void checkCropSize(const torch::Tensor& photos, int64_t side) {
  if (photos.size(0) == 0 || photos.size(2) < side || photos.size(3) < side)
    throw std::runtime_error("drawPhotoBatch: no photos, or photos smaller than a crop");
}

// A random side x side crop of photo i, randomly flipped and turned.
torch::Tensor randomCropOf(const torch::Tensor& photos, int64_t i, int64_t side, const torch::Generator& gen) {
  const int64_t h = photos.size(2), w = photos.size(3);
  const int64_t y = randomIndex(gen, h - side + 1), x = randomIndex(gen, w - side + 1);
  torch::Tensor c = photos[i].narrow(1, y, side).narrow(2, x, side);
  if (randomIndex(gen, 2)) c = c.flip({2});
  return torch::rot90(c, randomIndex(gen, 4), {1, 2});
}

}  // namespace

torch::Tensor drawPhotoBatch(const torch::Tensor& photos, int64_t batch, int64_t side, const torch::Generator& gen) {
  checkCropSize(photos, side);
  std::vector<torch::Tensor> crops;
  for (int64_t b = 0; b < batch; ++b) crops.push_back(randomCropOf(photos, randomIndex(gen, photos.size(0)), side, gen));
  return bytesToUnit(torch::stack(crops));
}

torch::Tensor drawPhotoCrops(const torch::Tensor& photos, const torch::Tensor& which, int64_t side, const torch::Generator& gen) {
  checkCropSize(photos, side);
  std::vector<torch::Tensor> crops;
  const auto idx = which.to(torch::kInt64).contiguous();
  for (int64_t b = 0; b < idx.numel(); ++b) crops.push_back(randomCropOf(photos, idx.data_ptr<int64_t>()[b], side, gen));
  return bytesToUnit(torch::stack(crops));
}

PhotoPlanes photoPlanes(const PhotoPixels& in) {
  const int c = in.channels;
  const double maxValue = in.maxValue();
  // uint16 is not a torch dtype in this LibTorch: the samples are read as int16 and unwrapped.
  const auto all = torch::from_blob(const_cast<std::uint16_t*>(in.samples.data()), {int64_t(in.samples.size())}, torch::kInt16)
                       .to(torch::kInt32)
                       .bitwise_and(0xFFFF)
                       .to(torch::kFloat32)
                       .view({1, in.height, in.width, c})
                       .permute({0, 3, 1, 2});
  PhotoPlanes p;
  p.rgb = (all.narrow(1, 0, 3) / maxValue * 2 - 1).contiguous();
  if (c == 4) p.alpha = (all.narrow(1, 3, 1) / maxValue).contiguous();
  return p;
}

}  // namespace fieldscope
