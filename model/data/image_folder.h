#pragma once
// A folder of PNG/JPEG images as a training set (docs/architecture.md "Data"). Every image is converted the
// same way, whatever its size or format: alpha is composited on the neutral background, grey is
// expanded to RGB, the centre square is cropped and resized to `resolution`.
// A fixed 10% is held out: the files whose name hashes (FNV-1a) to 0 mod 10.
#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

// The neutral background every transparent pixel is composited on (sRGB 8-bit).
inline constexpr int kNeutralBackground = 200;

struct ImageSet {
  torch::Tensor images;  // N x 3 x R x R float32 in [-1, 1]
  std::vector<std::string> names;
};

struct ImageDataset {
  ImageSet train;
  ImageSet heldOut;
};

bool isHeldOut(const std::string& fileName);

// Throws std::runtime_error naming `dir` when it is missing, unreadable or has no readable image.
// Unreadable single files are skipped with a warning on stderr.
ImageDataset loadImageFolder(const std::filesystem::path& dir, int resolution);

// One image file converted as above (throws naming the file).
torch::Tensor loadImageAsTensor(const std::filesystem::path& file, int resolution);

// N x 3 x H x W in [-1,1] -> RGBA8 PNG grid with `cols` columns and a 2-pixel gap.
void writeImageGrid(const std::filesystem::path& path, const torch::Tensor& images, int cols);

// Peak signal-to-noise ratio (dB) of images in [-1,1] (peak-to-peak 2).
double psnr(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace fieldscope
