// The photo crop data set: crops from the user's photos, held out by scene, the same bytes for
// the same seed, nothing left behind on a cancel, and a clear error without photos.
#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "model/photo_data/photo_dataset.h"
#include "model/photo_data/photo_sources.h"
#include "../temp_root.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

fs::path tempDir(const std::string& name) {
  return test::freshTempSubdir("fieldscope-photoset", name);
}

// `count` textured photos (stripes and a checker; no flat areas) of w x h.
void writePhotos(const fs::path& dir, int count, int w, int h) {
  fs::create_directories(dir);
  for (int i = 0; i < count; ++i) {
    std::vector<unsigned char> rgb(size_t(w) * h * 3);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        rgb[(size_t(y) * w + x) * 3 + 0] = static_cast<unsigned char>((x * (i + 3)) % 256);
        rgb[(size_t(y) * w + x) * 3 + 1] = static_cast<unsigned char>(((x / 8 + y / 8) % 2) * 200);
        rgb[(size_t(y) * w + x) * 3 + 2] = static_cast<unsigned char>((y * 5 + i * 40) % 256);
      }
    const fs::path file = dir / ("photo" + std::to_string(i) + (i % 2 ? ".png" : ".jpg"));
    if (i % 2)
      ASSERT_TRUE(stbi_write_png(file.c_str(), w, h, 3, rgb.data(), w * 3));
    else
      ASSERT_TRUE(stbi_write_jpg(file.c_str(), w, h, 3, rgb.data(), 95));
  }
}

std::string readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(PhotoSources, ScenesGroupVariantsAndTheSplitIsFixed) {
  const fs::path dir = tempDir("sources");
  fs::create_directories(dir / "Kite" / "contents" / "images");
  fs::create_directories(dir / "Kite" / "contents" / "images_dark");
  for (const char* f : {"Kite/contents/images/1920x1080.jpg", "Kite/contents/images/5120x2880.jpg",
                        "Kite/contents/images_dark/5120x2880.jpg", "Kite/contents/screenshot.jpg", "adwaita-l.webp",
                        "adwaita-d.webp", "notes.txt"})
    std::ofstream(dir / f) << std::string(std::string(f).find("5120") != std::string::npos ? 100 : 10, 'x');
  const std::vector<PhotoSource> s = findPhotos({dir});
  ASSERT_EQ(s.size(), 4u);  // both adwaita variants, the largest of each Kite folder
  EXPECT_EQ(s[0].scene, "kite");
  EXPECT_EQ(s[0].file.filename(), "5120x2880.jpg");
  EXPECT_EQ(s[1].scene, "kite");
  EXPECT_EQ(s[2].scene, "adwaita");
  EXPECT_EQ(s[3].scene, "adwaita");
  EXPECT_EQ(s[0].heldOut, s[1].heldOut);
  EXPECT_EQ(sceneHeldOut("adwaita"), s[2].heldOut);
  int held = 0;
  for (int i = 0; i < 800; ++i) held += sceneHeldOut("scene" + std::to_string(i));
  EXPECT_GT(held, 60);  // about 1 in 8
  EXPECT_LT(held, 140);
}

TEST(PhotoDataset, CropsFromUserPhotosAreReproducibleAndSplitByScene) {
  const fs::path dir = tempDir("set");
  writePhotos(dir / "photos", 12, 160, 120);
  PhotoDatasetOptions o;
  o.from = {dir / "photos"};
  o.cropSize = 32;
  o.trainCrops = 3;
  o.testCrops = 2;
  o.shortSide = 96;
  o.threads = 2;
  const PhotoDatasetSummary s = makePhotoDataset(dir / "a", o);
  EXPECT_EQ(s.photos, 12);
  EXPECT_EQ(s.skipped, 0);
  int heldPhotos = 0;
  for (int i = 0; i < 12; ++i) heldPhotos += sceneHeldOut("photo" + std::to_string(i));
  EXPECT_EQ(s.test, 2 * heldPhotos);
  EXPECT_EQ(s.train, 3 * (12 - heldPhotos));
  const PhotoDataset set = loadPhotoDataset(dir / "a");
  EXPECT_EQ(set.cropSize, 32);
  EXPECT_EQ(int(set.train.size()), s.train);
  EXPECT_EQ(int(set.test.size()), s.test);
  o.threads = 1;
  makePhotoDataset(dir / "b", o);
  EXPECT_EQ(readBytes(dir / "a" / "manifest.json"), readBytes(dir / "b" / "manifest.json"));
  const auto m = nlohmann::json::parse(readBytes(dir / "a" / "manifest.json"));
  const std::string first = m["crops"][0]["file"];
  EXPECT_EQ(readBytes(dir / "a" / first), readBytes(dir / "b" / first));
}

TEST(PhotoDataset, CancelLeavesNothingAndBadInputsAreClear) {
  const fs::path dir = tempDir("cancel");
  writePhotos(dir / "photos", 4, 96, 96);
  PhotoDatasetOptions o;
  o.from = {dir / "photos"};
  o.cropSize = 32;
  o.shortSide = 0;
  o.cancelled = [] { return true; };
  const PhotoDatasetSummary s = makePhotoDataset(dir / "out", o);
  EXPECT_TRUE(s.cancelled);
  EXPECT_FALSE(fs::exists(dir / "out" / "manifest.json"));
  EXPECT_FALSE(fs::exists(dir / "out" / ".fieldscope-partial"));
  o.cancelled = nullptr;
  fs::create_directories(dir / "none");
  o.from = {dir / "none"};
  EXPECT_THROW(makePhotoDataset(dir / "out2", o), std::runtime_error);
  // A broken photo is skipped with its reason; the others are used.
  o.from = {dir / "photos"};
  std::ofstream(dir / "photos" / "broken.jpg") << "not a jpeg";
  const PhotoDatasetSummary t = makePhotoDataset(dir / "out3", o);
  EXPECT_EQ(t.skipped, 1);
  const auto m = nlohmann::json::parse(readBytes(dir / "out3" / "manifest.json"));
  bool named = false;
  for (const auto& p : m["photos"])
    if (p.contains("skipped")) named = p["skipped"].get<std::string>().find("broken.jpg") != std::string::npos;
  EXPECT_TRUE(named);
  // A foreign non-empty folder is refused.
  fs::create_directories(dir / "mine");
  std::ofstream(dir / "mine" / "thesis.txt") << "do not touch";
  EXPECT_THROW(makePhotoDataset(dir / "mine", o), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir / "mine" / "thesis.txt"));
}

}  // namespace
}  // namespace fieldscope
