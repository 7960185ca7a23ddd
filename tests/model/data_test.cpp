// Data folders: empty / missing / unreadable folders fail naming the folder; mixed sizes, grey and
// alpha images are converted; the held-out split is fixed by name.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model/data/emoji_font.h"
#include "model/data/image_folder.h"
#include "model/io/png_file.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

void expectErrorNaming(const std::function<void()>& f, const std::string& name, const std::string& what) {
  try {
    f();
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(ImageFolder, MissingAndEmptyFolders) {
  test::TempDir dir("data");
  expectErrorNaming([&] { loadImageFolder(dir.path / "nope", 16); }, (dir.path / "nope").string(), "does not exist");
  expectErrorNaming([&] { loadImageFolder(dir.path, 16); }, dir.path.string(), "no PNG or JPEG");
  std::ofstream(dir.path / "notes.txt") << "text";
  expectErrorNaming([&] { loadImageFolder(dir.path, 16); }, dir.path.string(), "no PNG or JPEG");
  std::ofstream(dir.path / "broken.png") << "not a png";
  expectErrorNaming([&] { loadImageFolder(dir.path, 16); }, dir.path.string(), "could be read");
}

TEST(ImageFolder, UnreadableFolder) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any folder";
  test::TempDir dir("data");
  test::writeImages(dir.path / "d", test::syntheticFaces(1, 8));
  std::filesystem::permissions(dir.path / "d", std::filesystem::perms::none);
  EXPECT_THROW(loadImageFolder(dir.path / "d", 16), std::runtime_error);
  std::filesystem::permissions(dir.path / "d", std::filesystem::perms::owner_all);
}

TEST(ImageFolder, ConvertsMixedSizesGreyAndAlpha) {
  test::TempDir dir("data");
  std::filesystem::create_directories(dir.path / "d");
  Rgba8Image a;  // 40x24 RGB, red
  a.width = 40;
  a.height = 24;
  a.pixels.assign(40 * 24 * 4, 255);
  for (int i = 0; i < 40 * 24; ++i) a.pixels[i * 4 + 1] = a.pixels[i * 4 + 2] = 0;
  writePng(dir.path / "d/a_rgb.png", a);
  Rgba8Image t = a;  // fully transparent: becomes the neutral background
  for (int i = 0; i < 40 * 24; ++i) t.pixels[i * 4 + 3] = 0;
  writePng(dir.path / "d/b_alpha.png", t, true);
  // an 8-bit grey PNG written by hand through stb (1 channel)
  Rgba8Image g;
  g.width = g.height = 5;
  g.pixels.assign(5 * 5 * 4, 77);
  writePng(dir.path / "d/c_grey.png", g);
  std::ofstream(dir.path / "d/zz_broken.jpg") << "garbage";  // skipped with a warning
  ImageDataset ds = loadImageFolder(dir.path / "d", 16);
  auto all = torch::cat({ds.train.images, ds.heldOut.images});
  ASSERT_EQ(all.size(0), 3);
  EXPECT_EQ(all.sizes(), (std::vector<int64_t>{3, 3, 16, 16}));
  std::map<std::string, torch::Tensor> byName;
  for (size_t i = 0; i < ds.train.names.size(); ++i) byName[ds.train.names[i]] = ds.train.images[i];
  for (size_t i = 0; i < ds.heldOut.names.size(); ++i) byName[ds.heldOut.names[i]] = ds.heldOut.images[i];
  EXPECT_NEAR(byName["a_rgb.png"][0].mean().item<double>(), 1.0, 1e-3);
  EXPECT_NEAR(byName["a_rgb.png"][1].mean().item<double>(), -1.0, 1e-3);
  EXPECT_NEAR(byName["b_alpha.png"].mean().item<double>(), kNeutralBackground / 127.5 - 1, 1e-2);
  EXPECT_NEAR(byName["c_grey.png"].mean().item<double>(), 77 / 127.5 - 1, 2e-2);
}

TEST(ImageFolder, HeldOutSplitIsAFixedTenPercent) {
  int held = 0;
  for (int i = 0; i < 10000; ++i) held += isHeldOut(std::string("g").append(std::to_string(i)).append(".png"));  // not "g" + string&&: a GCC 12 false -Wstringop-overflow
  EXPECT_NEAR(held, 1000, 100);
  EXPECT_EQ(isHeldOut("g00042.png"), isHeldOut("g00042.png"));
}

TEST(EmojiData, BadFontAndUnwritableOutput) {
  test::TempDir dir("emoji");
  expectErrorNaming([&] { makeEmojiDataset(dir.path / "none.ttf", dir.path / "out", {}); }, "none.ttf", "cannot open font");
  std::ofstream(dir.path / "file") << "x";
  if (std::filesystem::exists(kDefaultEmojiFont))
    expectErrorNaming([&] { makeEmojiDataset(kDefaultEmojiFont, dir.path / "file" / "sub", {}); }, "file/sub", "cannot create");
}

TEST(EmojiData, RendersGlyphs) {
  if (!std::filesystem::exists(kDefaultEmojiFont)) GTEST_SKIP() << "fonts-noto-color-emoji not installed";
  // the full set takes seconds; check a real render through the loader at a small size
  test::TempDir dir("emoji");
  EmojiDataOptions options;
  options.size = 16;
  int64_t calls = 0, last = -1, total = 0;
  bool monotonic = true;
  options.progress = [&](int64_t done, int64_t all) {
    monotonic = monotonic && done >= last;
    last = done;
    total = all;
    ++calls;
  };
  const EmojiDataStats s = makeEmojiDataset(kDefaultEmojiFont, dir.path, options);
  EXPECT_GT(calls, 100) << "progress while the font is rendered, not only at the end";
  EXPECT_TRUE(monotonic);
  EXPECT_EQ(last, total) << "the last report is the whole font";
  EXPECT_EQ(total, s.glyphs);
  EXPECT_GT(s.written, 1000);
  EXPECT_GT(s.heldOut, s.written / 20);
  EXPECT_LT(s.heldOut, s.written / 5);
  ImageDataset ds = loadImageFolder(dir.path, 16);
  EXPECT_EQ(ds.train.images.size(0) + ds.heldOut.images.size(0), s.written);
  EXPECT_GT(ds.train.images.std().item<double>(), 0.1);  // not blank
}

// --force: the set is written beside the user's other files, which stay; --count limits the set.
TEST(EmojiData, ForceWritesBesideOtherFilesAndKeepsThem) {
  if (!std::filesystem::exists(kDefaultEmojiFont)) GTEST_SKIP() << "fonts-noto-color-emoji not installed";
  test::TempDir dir("emoji-force");
  std::ofstream(dir.path / "notes.txt") << "the user's notes";
  EmojiDataOptions options;
  options.size = 8;
  options.maxImages = 12;
  expectErrorNaming([&] { makeEmojiDataset(kDefaultEmojiFont, dir.path, options); }, dir.path.string(), "--force");
  options.force = true;
  const EmojiDataStats s = makeEmojiDataset(kDefaultEmojiFont, dir.path, options);
  EXPECT_EQ(s.written, 12);
  int pngs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) pngs += isEmojiSetFileName(e.path().filename().string());
  EXPECT_EQ(pngs, 12);
  std::ifstream notes(dir.path / "notes.txt");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(notes), {}), "the user's notes");
  EXPECT_FALSE(std::filesystem::exists(dir.path / ".fieldscope-partial"));
}

// Ctrl-C while the set is made: nothing of it is left, the earlier set is as it was.
TEST(EmojiData, ACancelledRunLeavesTheFolderAsItWas) {
  if (!std::filesystem::exists(kDefaultEmojiFont)) GTEST_SKIP() << "fonts-noto-color-emoji not installed";
  test::TempDir dir("emoji-cancel");
  std::ofstream(dir.path / "g00001.png") << "an image of the earlier set";
  EmojiDataOptions options;
  options.size = 8;
  int polls = 0;
  options.cancelled = [&] { return ++polls > 30; };
  const EmojiDataStats s = makeEmojiDataset(kDefaultEmojiFont, dir.path, options);
  EXPECT_TRUE(s.cancelled);
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"g00001.png"});
}

TEST(Psnr, KnownValue) {
  auto a = torch::zeros({1, 3, 4, 4}), b = torch::full({1, 3, 4, 4}, 0.02);
  EXPECT_NEAR(psnr(a, b), 10 * std::log10(4 / 0.0004), 1e-3);
}

}  // namespace
}  // namespace fieldscope
