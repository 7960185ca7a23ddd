#include "tests/model/test_support.h"

#include <torch/torch.h>

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <random>

#include "model/data/image_folder.h"
#include "model/io/png_file.h"
#include "model/util/allocator_tuning.h"

// The model tests allocate as the app does: glibc's allocator tuned for tensors before the first
// one (model/util/allocator_tuning.h; without it a third of a render went to page faults).
namespace {
const bool kAllocatorTuned = (fieldscope::tuneAllocatorForTensors(), true);
}  // namespace

namespace fieldscope::test {

TempDir::TempDir(const std::string& tag) {
  static int counter = 0;
  path = std::filesystem::temp_directory_path() /
         ("fieldscope_test_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path, ec);
}

torch::Tensor syntheticFaces(int count, int size) {
  auto ys = (torch::arange(size, torch::kFloat32) + 0.5) / size;
  auto yy = ys.view({-1, 1}).expand({size, size}), xx = ys.view({1, -1}).expand({size, size});
  std::vector<torch::Tensor> out;
  const float colours[4][3] = {{1.0f, 0.8f, 0.1f}, {0.9f, 0.3f, 0.2f}, {0.3f, 0.6f, 1.0f}, {0.4f, 0.9f, 0.4f}};
  for (int i = 0; i < count; ++i) {
    const float* c = colours[i % 4];
    const float cx = 0.5f + 0.05f * ((i % 3) - 1), r = 0.34f + 0.03f * (i % 2);
    auto d = ((xx - cx).pow(2) + (yy - 0.5).pow(2)).sqrt();
    auto disc = torch::sigmoid((r - d) * size * 2);  // soft edge, about a pixel wide
    auto eyes = torch::sigmoid((0.06 - ((xx - cx + 0.12).pow(2) + (yy - 0.42).pow(2)).sqrt()) * size * 2) +
                torch::sigmoid((0.06 - ((xx - cx - 0.12).pow(2) + (yy - 0.42).pow(2)).sqrt()) * size * 2);
    std::vector<torch::Tensor> ch;
    for (int k = 0; k < 3; ++k) ch.push_back((0.78f * (1 - disc) + c[k] * disc) * (1 - 0.8 * eyes.clamp(0, 1)));
    out.push_back(torch::stack(ch) * 2 - 1);
  }
  return torch::stack(out);
}

void writeImages(const std::filesystem::path& dir, const torch::Tensor& images, const std::string& prefix) {
  std::filesystem::create_directories(dir);
  int written = 0;
  for (int k = 0; written < images.size(0); ++k) {
    const std::string name = prefix + std::to_string(k) + ".png";
    if (isHeldOut(name)) continue;
    auto u8 = ((images[written].clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    Rgba8Image img;
    img.width = static_cast<int>(images.size(3));
    img.height = static_cast<int>(images.size(2));
    img.pixels.resize(static_cast<size_t>(img.width) * img.height * 4, 255);
    for (int64_t p = 0; p < img.width * img.height; ++p)
      for (int c = 0; c < 3; ++c) img.pixels[p * 4 + c] = u8.data_ptr<uint8_t>()[p * 3 + c];
    writePng(dir / name, img);
    ++written;
  }
}

std::string readAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace fieldscope::test
