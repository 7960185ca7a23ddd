#pragma once
// The photo crop data set for super-resolution (docs/architecture.md "Photo crops"; issue 11,
// item 2):
//
//   DIR/manifest.json        format, version, crop size, seed, the photos (file, scene, split,
//                            crops, or why it was skipped) and per crop its file and origin
//   DIR/train/<scene>_<k>.png  crops of the training scenes (RGB8, crop x crop)
//   DIR/test/...             crops of the held-out scenes (photo_sources.h: split by scene)
//
// Each photo is first shrunk (antialiased bicubic) so that its shorter side is `shortSide` (never
// enlarged), then crops are drawn at random places; crops without fine detail (sky, a plain
// wall, a smooth gradient) are redrawn, up to a limit. Low-resolution inputs are *not* stored: trainers make them at random
// real scales from these crops. The same options give the same bytes, whatever the thread count.
// Nothing half-made is left (staged_folder.h).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/photo_data/photo_image.h"

namespace fieldscope {

struct PhotoDatasetOptions {
  std::vector<std::filesystem::path> from;  // folders or files; empty: systemPhotoRoots()
  int cropSize = 128;   // 32..1024
  int trainCrops = 48;  // per training photo, 1..10000
  int testCrops = 16;   // per held-out photo, 1..10000
  int shortSide = 768;  // 0: keep the photo's size
  double minDetail = 12;  // mean |Laplacian| of luma (0..255) a crop should have (flat crops teach nothing)
  std::uint64_t seed = 0;
  int threads = 0;      // photos cut at once; 0: one per hardware thread
  bool force = false;   // write into a non-empty folder that is not a photo data set
  std::function<void(int done, int total)> progress;  // photos
  std::function<void(const std::string&)> message;    // skipped photos
  std::function<bool()> cancelled;
};

struct PhotoDatasetSummary {
  int photos = 0, skipped = 0;
  int train = 0, test = 0;  // crops
  bool cancelled = false;
  double seconds = 0;
};

// Throws std::runtime_error naming the folder or file: bad options, no photos found (with the
// package to install when the system folders are empty), a foreign non-empty folder, a failed write.
PhotoDatasetSummary makePhotoDataset(const std::filesystem::path& dir, const PhotoDatasetOptions& options);
bool isPhotoDataset(const std::filesystem::path& dir);

struct PhotoDataset {
  int cropSize = 0;
  std::vector<Rgb8Image> train, test;
  nlohmann::ordered_json manifest;
};
// Throws naming the file: a missing or corrupt manifest, a missing or broken PNG, a wrong size.
PhotoDataset loadPhotoDataset(const std::filesystem::path& dir);

// Reads a JPEG, PNG or WebP photo as RGB8 (WebP through libavcodec).
Rgb8Image readPhoto(const std::filesystem::path& path);

inline constexpr const char* kPhotoDatasetFormat = "fieldscope-photo-dataset";
inline constexpr int kPhotoDatasetVersion = 1;

}  // namespace fieldscope
