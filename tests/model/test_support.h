#pragma once
// Helpers for the model tests: temporary folders and small synthetic images.
#include <torch/types.h>

#include <filesystem>
#include <string>

namespace fieldscope::test {

// A fresh empty folder under the system temp dir, removed by the destructor.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag);
  ~TempDir();
};

// `count` smooth emoji-like RGB images (a coloured disc with two eyes), N x 3 x size x size in [-1,1].
torch::Tensor syntheticFaces(int count, int size);

// A file's bytes ("" when it cannot be read).
std::string readAll(const std::filesystem::path& p);

// Writes images (N x 3 x H x W in [-1,1]) as <dir>/<prefix><i>.png, choosing names outside the held-out 10%.
void writeImages(const std::filesystem::path& dir, const torch::Tensor& images, const std::string& prefix = "img");

}  // namespace fieldscope::test
