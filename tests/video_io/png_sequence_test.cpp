// PNG sequence export: files, pixels, cleanup on failure and cancel.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <atomic>
#include <fstream>

#include "model/video_io/png_sequence_writer.h"
#include "tests/video_io/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using test::SyntheticClip;

class PngSequence : public test::ScratchDir {};

struct Loaded {
  int w = 0, h = 0, channels = 0;
  std::vector<uint8_t> px;
};
Loaded load(const fs::path& file) {
  Loaded l;
  stbi_uc* p = stbi_load(file.c_str(), &l.w, &l.h, &l.channels, 0);
  if (!p) return l;
  l.px.assign(p, p + static_cast<size_t>(l.w) * l.h * l.channels);
  stbi_image_free(p);
  return l;
}

TEST_F(PngSequence, WritesNumberedFilesWithTheExactPixels) {
  SyntheticClip clip(33, 17);  // any size: no rounding for PNG
  PngSequenceSettings s;
  s.width = 33;
  s.height = 17;
  const fs::path folder = dir / "frames";  // created by the writer
  int lastProgress = 0;
  ExportControl control;
  control.progress = [&](int done, int) { lastProgress = done; };
  const ExportReport r = writePngSequence(folder, s, 12, clip.provider(), control);
  EXPECT_EQ(r.framesWritten, 12);
  EXPECT_EQ(lastProgress, 12);
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 12);
  for (int k = 0; k < 12; ++k) {
    const fs::path file = folder / ("frame_" + std::string(k < 10 ? "0000" : "000") + std::to_string(k) + ".png");
    ASSERT_EQ(pngSequenceFramePath(folder, s, k), file);
    const Loaded l = load(file);
    ASSERT_EQ(l.w, 33) << file;
    ASSERT_EQ(l.h, 17);
    ASSERT_EQ(l.channels, 3);
    EXPECT_EQ(l.px, clip.rgb(k)) << file;
  }
}

TEST_F(PngSequence, KeepsAlphaWhenAsked) {
  SyntheticClip clip(20, 10);
  PngSequenceSettings s;
  s.width = 20;
  s.height = 10;
  s.keepAlpha = true;
  writePngSequence(dir, s, 2, clip.provider());
  const Loaded l = load(dir / "frame_00001.png");
  ASSERT_EQ(l.channels, 4);
  EXPECT_EQ(l.px, clip.rgba(1));
}

TEST_F(PngSequence, AFailingFrameRemovesWhatThisRunWrote) {
  SyntheticClip clip(16, 16);
  auto inner = clip.provider();
  PngSequenceSettings s;
  s.width = 16;
  s.height = 16;
  std::ofstream(dir / "notes.txt") << "the user's own file";
  try {
    writePngSequence(dir, s, 10, [&](int k) {
      if (k == 4) throw std::runtime_error("renderer lost the device");
      return inner(k);
    });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("renderer lost the device"), std::string::npos) << msg;
  }
  EXPECT_EQ(entries(), std::vector<std::string>{"notes.txt"});
}

TEST_F(PngSequence, CancelRemovesTheFilesAndTheFolderItCreated) {
  SyntheticClip clip(16, 16);
  auto inner = clip.provider();
  std::atomic<bool> cancel{false};
  ExportControl control;
  control.cancel = &cancel;
  PngSequenceSettings s;
  s.width = 16;
  s.height = 16;
  const ExportReport r = writePngSequence(dir / "seq", s, 10,
                                          [&](int k) {
                                            if (k == 6) cancel = true;
                                            return inner(k);
                                          },
                                          control);
  EXPECT_TRUE(r.cancelled);
  EXPECT_TRUE(entries().empty());
}

TEST_F(PngSequence, UnwritableFolderFailsBeforeTheFirstFrame) {
  SyntheticClip clip(16, 16);
  PngSequenceSettings s;
  s.width = 16;
  s.height = 16;
  EXPECT_THROW(writePngSequence("/proc/fieldscope-frames", s, 3, clip.provider()), std::runtime_error);
  EXPECT_THROW(writePngSequence(dir / "a" / "b", s, 3, clip.provider()), std::runtime_error);
  EXPECT_EQ(clip.calls, 0);
}

}  // namespace
}  // namespace fieldscope
