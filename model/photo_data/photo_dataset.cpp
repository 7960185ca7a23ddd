#include "model/photo_data/photo_dataset.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "model/io/atomic_file.h"
#include "model/io/json_integer.h"
#include "model/photo_data/photo_sources.h"
#include "model/video_data/indexed_work.h"
#include "model/video_data/staged_folder.h"
#include "model/video_io/video_reader.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr const char* kPartial = ".fieldscope-partial";
constexpr int kDrawTries = 40;  // places tried for a crop with detail

// (Appended, not "'" + s + "'": GCC 12 warns falsely on that at -O3, its bug 105651.)
std::string quoted(const fs::path& p) {
  std::string q(1, '\'');
  q += p.string();
  q += '\'';
  return q;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void checkOptions(const PhotoDatasetOptions& o) {
  if (o.cropSize < 32 || o.cropSize > 1024) throw std::invalid_argument("--crop must be in [32, 1024]");
  if (o.trainCrops < 1 || o.trainCrops > 10000 || o.testCrops < 1 || o.testCrops > 10000)
    throw std::invalid_argument("--crops and --test-crops must be in [1, 10000]");
  if (o.shortSide != 0 && o.shortSide < o.cropSize)
    throw std::invalid_argument("--short-side must be 0 or at least --crop");
}

// Fine detail of a crop: the mean absolute Laplacian of its luma (0..255 levels). Flat areas and
// smooth gradients -- most of a wallpaper's sky or an abstract design -- score near 0; they teach
// a super-resolver nothing (bicubic is already right there).
double detail(const Rgb8Image& c) {
  auto luma = [&](int x, int y) {
    const std::size_t i = (std::size_t(y) * std::size_t(c.width) + std::size_t(x)) * 3;
    return 0.299 * c.pixels[i] + 0.587 * c.pixels[i + 1] + 0.114 * c.pixels[i + 2];
  };
  double sum = 0;
  for (int y = 1; y + 1 < c.height; ++y)
    for (int x = 1; x + 1 < c.width; ++x)
      sum += std::abs(4 * luma(x, y) - luma(x - 1, y) - luma(x + 1, y) - luma(x, y - 1) - luma(x, y + 1));
  return sum / double(std::max(1, (c.width - 2) * (c.height - 2)));
}

std::string safeName(const std::string& scene) {
  std::string s;
  for (char c : scene) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return s.empty() ? "photo" : s;
}

// One photo's crops, or why it was skipped.
struct PhotoCut {
  std::vector<json> crops;
  std::string skipped;
  int width = 0, height = 0;
};

PhotoCut cutPhoto(const PhotoSource& src, int index, const PhotoDatasetOptions& o, const fs::path& staging) {
  PhotoCut cut;
  Rgb8Image photo;
  try {
    photo = readPhoto(src.file);
  } catch (const std::exception& e) {
    cut.skipped = e.what();
    return cut;
  }
  cut.width = photo.width;
  cut.height = photo.height;
  const int shortest = std::min(photo.width, photo.height);
  if (o.shortSide > 0 && shortest > o.shortSide) {
    const double f = double(o.shortSide) / shortest;
    photo = resizeBicubic(photo, std::max(1, int(std::lround(photo.width * f))), std::max(1, int(std::lround(photo.height * f))));
  }
  if (photo.width < o.cropSize || photo.height < o.cropSize) {
    cut.skipped = quoted(src.file) + " is smaller than one crop (" + std::to_string(photo.width) + "x" +
                  std::to_string(photo.height) + ")";
    return cut;
  }
  std::seed_seq seq{std::uint32_t(o.seed), std::uint32_t(o.seed >> 32), std::uint32_t(index), 0x5eedu};
  std::mt19937_64 rng(seq);
  std::uniform_int_distribution<int> xs(0, photo.width - o.cropSize), ys(0, photo.height - o.cropSize);
  const std::string split = src.heldOut ? "test" : "train";
  const int count = src.heldOut ? o.testCrops : o.trainCrops;
  char suffix[32];
  for (int k = 0; k < count; ++k) {
    // The first place with enough detail, else the most detailed of those tried.
    int x = 0, y = 0;
    double best = -1;
    Rgb8Image crop;
    for (int attempt = 0; attempt < kDrawTries && best < o.minDetail; ++attempt) {
      const int cx = xs(rng), cy = ys(rng);
      Rgb8Image c = cropRgb8(photo, cx, cy, o.cropSize, o.cropSize);
      const double d = detail(c);
      if (d > best) {
        best = d;
        x = cx;
        y = cy;
        crop = std::move(c);
      }
    }
    std::snprintf(suffix, sizeof suffix, "_%03d_%04d.png", index, k);
    const std::string file = split + "/" + safeName(src.scene) + suffix;
    writeRgb8Png(staging / file, crop);
    cut.crops.push_back({{"file", file}, {"split", split}, {"x", x}, {"y", y}, {"detail", std::round(best * 100) / 100}});
  }
  return cut;
}

}  // namespace

Rgb8Image readPhoto(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".webp") return readRgb8(path);
  std::vector<VideoFrame> frames = readVideoFrames(path, {.maxFrames = 1});
  if (frames.empty()) throw std::runtime_error("cannot read the photo " + quoted(path) + ": no picture in it");
  return {frames[0].width, frames[0].height, std::move(frames[0].rgb)};
}

bool isPhotoDataset(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  if (!in) return false;
  try {
    const json m = json::parse(in);
    return m.is_object() && m.value("format", std::string()) == kPhotoDatasetFormat;
  } catch (const std::exception&) {
    return false;
  }
}

PhotoDatasetSummary makePhotoDataset(const fs::path& dir, const PhotoDatasetOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  checkOptions(o);
  const bool system = o.from.empty();
  const std::vector<PhotoSource> sources = findPhotos(system ? systemPhotoRoots() : o.from);
  if (sources.empty())
    throw std::runtime_error(system ? std::string("no photos in /usr/share/wallpapers or /usr/share/backgrounds: install "
                                                  "the Debian packages plasma-workspace-wallpapers and gnome-backgrounds "
                                                  "(apt-get install plasma-workspace-wallpapers gnome-backgrounds), or "
                                                  "give your own photos with --from")
                                    : "no JPEG, PNG or WebP photos under the given --from paths");
  StagedFolder folder(dir, {"photo", kPartial, {"train", "test"}, isPhotoDataset}, o.force);
  std::vector<PhotoCut> cuts(sources.size());
  const bool finished = runIndexed(
      int(sources.size()), [&](int i) { cuts[std::size_t(i)] = cutPhoto(sources[std::size_t(i)], i, o, folder.staging()); },
      {o.threads, o.progress, o.cancelled});
  PhotoDatasetSummary summary;
  summary.photos = int(sources.size());
  if (!finished) {
    summary.cancelled = true;
    summary.seconds = secondsSince(start);
    return summary;
  }
  json photos = json::array(), crops = json::array();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const PhotoCut& c = cuts[i];
    json p = {{"file", sources[i].file.string()}, {"scene", sources[i].scene}, {"split", sources[i].heldOut ? "test" : "train"}};
    if (!c.skipped.empty()) {
      ++summary.skipped;
      p["skipped"] = c.skipped;
      if (o.message) o.message("skipped: " + c.skipped);
    } else {
      p["size"] = {c.width, c.height};
      p["crops"] = c.crops.size();
      for (const json& e : c.crops) {
        json entry = e;
        entry["photo"] = int(i);
        crops.push_back(std::move(entry));
      }
      (sources[i].heldOut ? summary.test : summary.train) += int(c.crops.size());
    }
    photos.push_back(std::move(p));
  }
  if (summary.train == 0) throw std::runtime_error("no training crops could be cut (every training photo was skipped)");
  json manifest = {{"format", kPhotoDatasetFormat},
                   {"version", kPhotoDatasetVersion},
                   {"crop", o.cropSize},
                   {"seed", o.seed},
                   {"short_side", o.shortSide},
                   {"min_detail", o.minDetail},
                   {"detail", "mean |Laplacian| of luma (0..255); each crop is the first of up to 40 random places "
                              "with at least min_detail, else the most detailed of them"},
                   {"source", system ? "Debian wallpapers (/usr/share/wallpapers, /usr/share/backgrounds)" : "--from"},
                   {"split", "by scene: FNV-1a(scene) % 8 == 0 is held out (variants of one picture share a scene)"},
                   {"shrink", "each photo first resized (antialiased Catmull-Rom bicubic) to short side " +
                                  std::to_string(o.shortSide) + " (never enlarged)"},
                   {"counts", {{"photos", summary.photos}, {"skipped", summary.skipped}, {"train", summary.train}, {"test", summary.test}}},
                   {"photos", std::move(photos)},
                   {"crops", std::move(crops)}};
  writeBytesAtomically(folder.staging() / "manifest.json", manifest.dump(1) + "\n");
  folder.publish();
  summary.seconds = secondsSince(start);
  return summary;
}

PhotoDataset loadPhotoDataset(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  std::ifstream in(file);
  if (!in) throw std::runtime_error("no photo data set in " + quoted(dir) + ": cannot read " + quoted(file));
  PhotoDataset set;
  try {
    set.manifest = json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(quoted(file) + " is not valid JSON: " + e.what());
  }
  const json& m = set.manifest;
  if (!m.is_object() || m.value("format", std::string()) != kPhotoDatasetFormat)
    throw std::runtime_error(quoted(file) + " is not a photo data set's manifest (its \"format\" is not \"" +
                             std::string(kPhotoDatasetFormat) + "\")");
  if (manifestPositiveInteger(m, "version", file) > kPhotoDatasetVersion)
    throw std::runtime_error(quoted(file) + " is version " + m["version"].dump() + "; this build reads up to " +
                             std::to_string(kPhotoDatasetVersion));
  set.cropSize = manifestPositiveInteger(m, "crop", file);
  if (!m.contains("crops") || !m["crops"].is_array()) throw std::runtime_error(quoted(file) + ": \"crops\" is missing");
  const json& entries = m["crops"];
  std::vector<Rgb8Image> images(entries.size());
  runIndexed(
      int(entries.size()),
      [&](int i) {
        const json& e = entries[std::size_t(i)];
        if (!e.is_object() || !e.contains("file") || !e["file"].is_string())
          throw std::runtime_error(quoted(file) + ": crop entry " + std::to_string(i) + " has no \"file\"");
        Rgb8Image img = readRgb8(dir / e["file"].get<std::string>());
        if (img.width != set.cropSize || img.height != set.cropSize)
          throw std::runtime_error(quoted(dir / e["file"].get<std::string>()) + " is " + std::to_string(img.width) + "x" +
                                   std::to_string(img.height) + ", not " + std::to_string(set.cropSize) + "^2");
        images[std::size_t(i)] = std::move(img);
      },
      {});
  for (std::size_t i = 0; i < images.size(); ++i)
    (entries[i].value("split", std::string()) == "test" ? set.test : set.train).push_back(std::move(images[i]));
  if (set.train.empty()) throw std::runtime_error(quoted(file) + " lists no training crops");
  return set;
}

}  // namespace fieldscope
