#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "model/io/atomic_file.h"
#include "model/io/png_file.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

fs::path tempDir() {
  fs::path d = fs::temp_directory_path() / ("fieldscope-test-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

TEST(AtomicFile, FailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  const fs::path dir = tempDir() / "keep";
  fs::create_directories(dir);
  const fs::path target = dir / "out.png";
  writeBytesAtomically(target, "old contents");
  EXPECT_THROW(writeFileAtomically(target, [](const fs::path& tmp) {
                 std::ofstream(tmp) << "half";
                 throw std::runtime_error("cancelled");
               }),
               std::runtime_error);
  std::ifstream in(target);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(s, "old contents");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1) << "no temporary file left";
}

TEST(AtomicFile, UnwritablePathGivesAMessageNamingTheFile) {
  try {
    writeBytesAtomically("/nonexistent-dir/x.png", "x");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.png"), std::string::npos) << e.what();
  }
  if (::geteuid() != 0) {  // root ignores permissions
    const fs::path ro = tempDir() / "ro";
    fs::create_directories(ro);
    ::chmod(ro.c_str(), 0500);
    EXPECT_THROW(writeBytesAtomically(ro / "x.png", "x"), std::runtime_error);
    EXPECT_FALSE(fs::exists(ro / "x.png"));
    ::chmod(ro.c_str(), 0700);
  }
}

TEST(PngFile, RoundTripAndBrokenFiles) {
  Rgba8Image img{3, 2, {}};
  for (int i = 0; i < 6; ++i) img.pixels.insert(img.pixels.end(), {uint8_t(i * 40), uint8_t(255 - i), 7, 255});
  const fs::path p = tempDir() / "rt.png";
  writePng(p, img);
  const Rgba8Image back = readImageRgba8(p);
  EXPECT_EQ(back.width, 3);
  EXPECT_EQ(back.height, 2);
  EXPECT_EQ(back.pixels, img.pixels);

  const fs::path broken = tempDir() / "broken.png";
  std::ofstream(broken) << "\x89PNG\r\n\x1a\n garbage";
  try {
    readImageRgba8(broken);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.png"), std::string::npos);
  }
}

}  // namespace
}  // namespace fieldscope
