#pragma once
// Shared by the video_io tests: a synthetic clip whose frames carry their own number, PSNR,
// and a scratch folder per test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "model/video_io/frame_source.h"

namespace fieldscope::test {
namespace fs = std::filesystem;

// Frame k: smooth colour gradients that move with k (what a video INR looks like to an
// encoder) and, in the top-left corner, k in binary as 8 black/white 16x16 blocks, so a
// decoded frame can be matched to the frame it came from.
class SyntheticClip {
 public:
  static constexpr int kBits = 8;
  SyntheticClip(int width, int height, PixelLayout layout = PixelLayout::Rgba8)
      : width_(width), height_(height), layout_(layout) {}

  std::vector<uint8_t> rgba(int k) const {
    std::vector<uint8_t> px(static_cast<size_t>(width_) * height_ * 4);
    const double pi2 = 2 * std::numbers::pi;
    for (int y = 0; y < height_; ++y)
      for (int x = 0; x < width_; ++x) {
        uint8_t* p = &px[(static_cast<size_t>(y) * width_ + x) * 4];
        p[0] = static_cast<uint8_t>(128 + 100 * std::sin(pi2 * (double(x) / width_ + k / 64.0)));
        p[1] = static_cast<uint8_t>(128 + 100 * std::sin(pi2 * double(y) / height_ + k * 0.1));
        p[2] = static_cast<uint8_t>(20 + 200.0 * (x + y) / (width_ + height_));
        p[3] = static_cast<uint8_t>(255 - (x % 7));  // alpha the MP4 writer must ignore
      }
    // Small frames get as many blocks as fit.
    for (int bit = 0; bit < kBits; ++bit) {
      const uint8_t v = (k >> bit) & 1 ? 235 : 16;
      for (int y = 8; y < std::min(24, height_); ++y)
        for (int x = 8 + bit * 20; x < std::min(24 + bit * 20, width_); ++x)
          for (int c = 0; c < 3; ++c) px[(static_cast<size_t>(y) * width_ + x) * 4 + c] = v;
    }
    return px;
  }

  // The same frame as packed RGB8.
  std::vector<uint8_t> rgb(int k) const {
    const std::vector<uint8_t> a = rgba(k);
    std::vector<uint8_t> out(static_cast<size_t>(width_) * height_ * 3);
    for (size_t i = 0, n = static_cast<size_t>(width_) * height_; i < n; ++i)
      for (int c = 0; c < 3; ++c) out[i * 3 + c] = a[i * 4 + c];
    return out;
  }

  // A provider that keeps the current frame alive in `buffer_` (FrameView does not own).
  FrameProvider provider() {
    return [this](int k) {
      buffer_ = layout_ == PixelLayout::Rgba8 ? rgba(k) : rgb(k);
      FrameView v;
      v.pixels = buffer_.data();
      v.width = width_;
      v.height = height_;
      v.layout = layout_;
      ++calls;
      return v;
    };
  }

  // Reads the frame number back from decoded RGB8 pixels (stride width*3); needs a frame at
  // least 164x24.
  static int frameNumber(const std::vector<uint8_t>& rgb, int width) {
    int k = 0;
    for (int bit = 0; bit < kBits; ++bit) {
      const size_t i = (static_cast<size_t>(16) * width + 16 + bit * 20) * 3;
      if (rgb[i] > 128) k |= 1 << bit;
    }
    return k;
  }

  int calls = 0;

 private:
  int width_, height_;
  PixelLayout layout_;
  std::vector<uint8_t> buffer_;
};

// PSNR over the RGB channels of `decoded` (w x h RGB8) against the top-left w x h of
// `reference` (refWidth wide, RGBA8): an odd-sized source is compared on what was encoded.
inline double psnr(const std::vector<uint8_t>& decoded, int w, int h, const std::vector<uint8_t>& reference,
                   int refWidth) {
  double se = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) {
        const double d = double(decoded[(static_cast<size_t>(y) * w + x) * 3 + c]) -
                         double(reference[(static_cast<size_t>(y) * refWidth + x) * 4 + c]);
        se += d * d;
      }
  const double mse = se / (3.0 * w * h);
  return mse == 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

// A fresh folder per test, removed afterwards.
class ScratchDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() /
          ("fieldscope-video-io-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  // FIELDSCOPE_KEEP_TEST_FILES=1 keeps the files for a look with ffprobe.
  void TearDown() override {
    if (!std::getenv("FIELDSCOPE_KEEP_TEST_FILES")) fs::remove_all(dir);
  }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
  }

  fs::path dir;
};

}  // namespace fieldscope::test
