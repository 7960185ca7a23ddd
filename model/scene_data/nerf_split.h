#pragma once
// One split of a NeRF-synthetic scene, its pictures decoded (docs/architecture.md "Data",
// "NeRF scenes"): FOLDER/transforms_SPLIT.json (nerf_transforms.h) and the PNGs it names, every
// picture composited over a background colour with its alpha (the Blender renders are RGBA with a
// transparent background), optionally shrunk by an integer factor (box filter), all views in one
// contiguous float buffer. Torch-free: the trainer wraps `rgb` in a tensor without a copy.
#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "model/scene_data/nerf_transforms.h"

namespace fieldscope {

struct NerfLoadOptions {
  std::array<float, 3> background{1, 1, 1};  // RGB in [0, 1]; white as in the NeRF paper's synthetic set
  int downscale = 1;  // k >= 1: each output pixel is the mean of a k x k block (a remainder is cropped)
};

struct NerfSplit {
  std::filesystem::path json;
  float cameraAngleX = 0;
  int width = 0, height = 0;  // after downscale
  std::vector<NerfFrame> views;
  // views x height x width x 3 floats in [0, 1], top row first; empty from checkNerfSplit.
  std::vector<float> rgb;

  // The pinhole's focal length in pixels: 0.5 * width / tan(0.5 * cameraAngleX).
  double focal() const;
  const float* view(std::size_t i) const { return rgb.data() + i * static_cast<std::size_t>(width) * height * 3; }
};

// FOLDER/transforms_SPLIT.json ("train", "test", "val").
std::filesystem::path nerfTransformsPath(const std::filesystem::path& folder, const std::string& split);

// Reads the JSON and every picture. Throws std::runtime_error naming the JSON, and the frame
// (index and file) for a picture that is missing, unreadable, not a picture, or of another size
// than frame 0's; also for a downscale factor below 1 or larger than the pictures.
NerfSplit loadNerfSplit(const std::filesystem::path& folder, const std::string& split, const NerfLoadOptions& options = {});

// The same checks without decoding the pixels (only each picture's header is read): `rgb` stays
// empty; width and height are those of the pictures (no downscale).
NerfSplit checkNerfSplit(const std::filesystem::path& folder, const std::string& split);

}  // namespace fieldscope
