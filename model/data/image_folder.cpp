#include "model/data/image_folder.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "model/io/png_file.h"

namespace fieldscope {
namespace F = torch::nn::functional;

bool isHeldOut(const std::string& fileName) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : fileName) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h % 10 == 0;
}

torch::Tensor loadImageAsTensor(const std::filesystem::path& file, int resolution) {
  Rgba8Image img = readImageRgba8(file);
  auto rgba = torch::from_blob(img.pixels.data(), {img.height, img.width, 4}, torch::kUInt8).to(torch::kFloat32) / 255.f;
  auto alpha = rgba.slice(2, 3, 4);
  auto rgb = rgba.slice(2, 0, 3) * alpha + (kNeutralBackground / 255.f) * (1 - alpha);
  rgb = rgb.permute({2, 0, 1}).unsqueeze(0);  // 1x3xHxW
  const int64_t side = std::min(img.width, img.height);
  rgb = rgb.narrow(2, (img.height - side) / 2, side).narrow(3, (img.width - side) / 2, side);
  if (side > resolution) {
    rgb = F::interpolate(rgb, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{resolution, resolution})
                                  .mode(torch::kBilinear)
                                  .align_corners(false)
                                  .antialias(true));
  } else if (side < resolution) {
    rgb = F::interpolate(rgb, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{resolution, resolution})
                                  .mode(torch::kBicubic)
                                  .align_corners(false));
  }
  return (rgb.clamp(0, 1) * 2 - 1).squeeze(0).contiguous();
}

ImageDataset loadImageFolder(const std::filesystem::path& dir, int resolution) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("data folder '" + dir.string() + "' does not exist or is not a folder");
  std::vector<fs::path> files;
  fs::directory_iterator it(dir, ec);
  if (ec) throw std::runtime_error("cannot read data folder '" + dir.string() + "': " + ec.message());
  for (const auto& e : it) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (e.is_regular_file(ec) && (ext == ".png" || ext == ".jpg" || ext == ".jpeg")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("data folder '" + dir.string() + "' has no PNG or JPEG images");
  std::vector<torch::Tensor> train, held;
  ImageDataset ds;
  int skipped = 0;
  for (const auto& f : files) {
    torch::Tensor t;
    try {
      t = loadImageAsTensor(f, resolution);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fieldscope: warning: skipping %s\n", e.what());
      ++skipped;
      continue;
    }
    const std::string name = f.filename().string();
    if (isHeldOut(name)) {
      held.push_back(t);
      ds.heldOut.names.push_back(name);
    } else {
      train.push_back(t);
      ds.train.names.push_back(name);
    }
  }
  if (train.empty() && held.empty())
    throw std::runtime_error("data folder '" + dir.string() + "': none of its " + std::to_string(files.size()) +
                             " image files could be read");
  if (train.empty()) {  // tiny folders: train on everything rather than on nothing
    train = held;
    ds.train.names = ds.heldOut.names;
  }
  ds.train.images = torch::stack(train);
  if (!held.empty()) ds.heldOut.images = torch::stack(held);
  else ds.heldOut.images = torch::empty({0, 3, resolution, resolution});
  return ds;
}

void writeImageGrid(const std::filesystem::path& path, const torch::Tensor& images, int cols) {
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
  const int gap = 2;
  cols = std::max<int>(1, std::min<int64_t>(cols, n));
  const int64_t rows = (n + cols - 1) / cols;
  Rgba8Image out;
  out.width = static_cast<int>(cols * (w + gap) + gap);
  out.height = static_cast<int>(rows * (h + gap) + gap);
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * 4, 255);
  auto u8 = ((images.detach().to(torch::kFloat32).clamp(-1, 1) + 1) * 127.5f).round().to(torch::kUInt8)
                .permute({0, 2, 3, 1}).contiguous();
  const uint8_t* src = u8.data_ptr<uint8_t>();
  for (int64_t k = 0; k < n; ++k) {
    const int64_t ox = gap + (k % cols) * (w + gap), oy = gap + (k / cols) * (h + gap);
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        for (int c = 0; c < 3; ++c)
          out.pixels[((oy + y) * out.width + ox + x) * 4 + c] = src[((k * h + y) * w + x) * 3 + c];
  }
  writePng(path, out);
}

double psnr(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).pow(2).mean().item<double>();
  return 10.0 * std::log10(4.0 / std::max(mse, 1e-20));
}

}  // namespace fieldscope
