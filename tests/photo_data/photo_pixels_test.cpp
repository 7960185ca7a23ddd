// The user's pictures for `upscale`: 16-bit PNGs keep their depth, alpha is kept, EXIF-rotated
// JPEGs come upright, ICC profiles pass through, and broken files are refused naming the file.
#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/photo_data/photo_pixels.h"
#include "../temp_root.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

fs::path tempDir(const std::string& name) {
  return test::freshTempSubdir("fieldscope-photo", name);
}

std::string readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A w x h gradient with distinct samples (16-bit values use the low byte too).
std::vector<std::uint16_t> gradient(int w, int h, int c, int maxValue) {
  std::vector<std::uint16_t> s(size_t(w) * h * c);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < c; ++k) s[(size_t(y) * w + x) * c + k] = std::uint16_t((x * 7919 + y * 104729 + k * 31337) % (maxValue + 1));
  return s;
}

// A small valid ICC profile libpng accepts: the header and one tag (the white point).
std::string minimalIcc() {
  std::string p(164, '\0');
  auto put32 = [&](size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[at + size_t(i)] = char((v >> (24 - 8 * i)) & 0xFF);
  };
  put32(0, 164);
  put32(128, 1);  // one tag: 'wtpt' at 144, 20 bytes
  p.replace(132, 4, "wtpt");
  put32(136, 144);
  put32(140, 20);
  p.replace(144, 4, "XYZ ");
  put32(152, 0x0000F6D6);
  put32(156, 0x00010000);
  put32(160, 0x0000D32D);
  p.replace(12, 4, "mntr");
  p.replace(16, 4, "RGB ");
  p.replace(20, 4, "XYZ ");
  p.replace(36, 4, "acsp");
  put32(68, 0x0000F6D6);  // D50
  put32(72, 0x00010000);
  put32(76, 0x0000D32D);
  return p;
}

TEST(PhotoPixels, SixteenBitPngWithAlphaAndIccRoundTrips) {
  const fs::path dir = tempDir("png16");
  const auto samples = gradient(37, 23, 4, 65535);
  const std::string icc = minimalIcc();
  {
    PngRowWriter w(dir / "a.png", 37, 23, 4, 16, icc);
    w.writeRows(samples.data(), 10);
    w.writeRows(samples.data() + 10 * 37 * 4, 13);
    w.finish();
    EXPECT_EQ(w.note(), "");
  }
  const PhotoPixels p = readPhotoPixels(dir / "a.png");
  EXPECT_EQ(p.width, 37);
  EXPECT_EQ(p.height, 23);
  EXPECT_EQ(p.channels, 4);
  EXPECT_EQ(p.bitDepth, 16);
  EXPECT_EQ(p.samples, samples);
  EXPECT_EQ(p.icc, icc);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1) << "only a.png, no temporary";
}

TEST(PhotoPixels, AnInvalidIccProfileIsLeftOutWithANote) {
  const fs::path dir = tempDir("badicc");
  const auto samples = gradient(8, 8, 3, 255);
  PngRowWriter w(dir / "a.png", 8, 8, 3, 8, std::string(200, '\x42'));
  w.writeRows(samples.data(), 8);
  w.finish();
  EXPECT_NE(w.note().find("ICC"), std::string::npos) << w.note();
  const PhotoPixels p = readPhotoPixels(dir / "a.png");
  EXPECT_EQ(p.samples, samples);
  EXPECT_EQ(p.icc, "");
}

TEST(PhotoPixels, UnfinishedWriterLeavesNothingAndKeepsTheOldFile) {
  const fs::path dir = tempDir("unfinished");
  std::ofstream(dir / "out.png") << "the user's old file";
  {
    PngRowWriter w(dir / "out.png", 8, 8, 3, 8);
    const auto s = gradient(8, 4, 3, 255);
    w.writeRows(s.data(), 4);
  }  // destroyed before finish(): a cancel or an error
  EXPECT_EQ(readBytes(dir / "out.png"), "the user's old file");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  EXPECT_THROW(PngRowWriter(dir / "no-such-folder" / "x.png", 8, 8, 3, 8), std::runtime_error);
}

TEST(PhotoPixels, GreyAndEightBitPngsBecomeRgb) {
  const fs::path dir = tempDir("grey");
  std::vector<unsigned char> grey(16 * 8);
  for (size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<unsigned char>(i * 2);
  ASSERT_TRUE(stbi_write_png((dir / "g.png").c_str(), 16, 8, 1, grey.data(), 16));
  const PhotoPixels p = readPhotoPixels(dir / "g.png");
  EXPECT_EQ(p.channels, 3);
  EXPECT_EQ(p.bitDepth, 8);
  EXPECT_EQ(p.samples[(5 * 16 + 3) * 3 + 0], grey[5 * 16 + 3]);
  EXPECT_EQ(p.samples[(5 * 16 + 3) * 3 + 2], grey[5 * 16 + 3]);
}

// A JPEG with an APP1 Exif segment carrying `orientation`, spliced after SOI.
std::string withExif(const std::string& jpeg, int orientation) {
  std::string tiff = std::string("II*\0", 4) + std::string("\x08\0\0\0", 4);  // IFD0 at 8
  tiff += std::string("\x01\0", 2);                                             // one entry
  tiff += std::string("\x12\x01\x03\0\x01\0\0\0", 8) + char(orientation) + std::string("\0\0\0", 3);
  tiff += std::string("\0\0\0\0", 4);
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const size_t len = payload.size() + 2;
  std::string seg = "\xFF\xE1";
  seg += char(len >> 8);
  seg += char(len & 0xFF);
  return jpeg.substr(0, 2) + seg + payload + jpeg.substr(2);
}

TEST(PhotoPixels, ExifOrientationTurnsTheJpegUpright) {
  const fs::path dir = tempDir("exif");
  // 32 x 16: left half black, right half white (JPEG-safe blocks).
  std::vector<unsigned char> rgb(32 * 16 * 3);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 32; ++x)
      for (int c = 0; c < 3; ++c) rgb[(size_t(y) * 32 + x) * 3 + c] = x < 16 ? 0 : 255;
  ASSERT_TRUE(stbi_write_jpg((dir / "plain.jpg").c_str(), 32, 16, 3, rgb.data(), 95));
  const std::string plain = readBytes(dir / "plain.jpg");
  std::ofstream(dir / "turned.jpg", std::ios::binary) << withExif(plain, 6);  // stored turned: show 90 deg clockwise
  EXPECT_EQ(jpegExifOrientation(withExif(plain, 6)), 6);
  EXPECT_EQ(jpegExifOrientation(plain), 1);
  const PhotoPixels p = readPhotoPixels(dir / "turned.jpg");
  EXPECT_EQ(p.width, 16);
  EXPECT_EQ(p.height, 32);
  EXPECT_EQ(p.exifOrientation, 6);
  // Turned clockwise: the stored left (black) half is now the top.
  EXPECT_LT(p.samples[(2 * 16 + 8) * 3], 40);
  EXPECT_GT(p.samples[(29 * 16 + 8) * 3], 215);
}

TEST(PhotoPixels, BrokenFilesAreRefusedNamingTheFile) {
  const fs::path dir = tempDir("broken");
  auto expectError = [](const fs::path& p, const std::string& what) {
    try {
      readPhotoPixels(p);
      ADD_FAILURE() << p << " was read";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  expectError(dir / "missing.png", "no such file");
  std::ofstream(dir / "empty.png").close();
  expectError(dir / "empty.png", "empty");
  std::ofstream(dir / "text.png") << "not a picture at all";
  expectError(dir / "text.png", "not a PNG or JPEG");
  const auto s = gradient(64, 64, 3, 65535);
  {
    PngRowWriter w(dir / "whole.png", 64, 64, 3, 16);
    w.writeRows(s.data(), 64);
    w.finish();
  }
  const std::string whole = readBytes(dir / "whole.png");
  std::ofstream(dir / "cut.png", std::ios::binary) << whole.substr(0, whole.size() / 2);
  expectError(dir / "cut.png", "cannot read the PNG");
  std::vector<unsigned char> rgb(32 * 32 * 3, 128);
  ASSERT_TRUE(stbi_write_jpg((dir / "ok.jpg").c_str(), 32, 32, 3, rgb.data(), 90));
  const std::string jpg = readBytes(dir / "ok.jpg");
  std::ofstream(dir / "cut.jpg", std::ios::binary) << jpg.substr(0, 40);
  expectError(dir / "cut.jpg", "cannot read the JPEG");
}

// A 104-byte progressive JPEG (found by the fuzzer) whose frame header declares 64314 x 1517
// pixels: refused from the header by the pixel limit, quickly -- libav used to decode the whole
// picture while probing the file (6.5 s) before the limit was checked.
TEST(PhotoPixels, AJpegDeclaringTooManyPixelsIsRefusedFromItsHeader) {
  const fs::path p = FIELDSCOPE_SOURCE_DIR "/tests/fuzz/corpus/photo_pixels/slow-jpeg-declares-97-megapixels";
  ASSERT_TRUE(fs::exists(p)) << p;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    readPhotoPixels(p, int64_t(1) << 22);
    ADD_FAILURE() << p << " was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
  }
  // A bound far above the refusal (milliseconds) and far below the old decode (6.5 s here).
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 1.0) << "the declared picture was decoded before it was refused";
}

}  // namespace
}  // namespace fieldscope
