// The NeRF transforms files and their pictures (docs/architecture.md "Data", "NeRF scenes").
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "model/scene_data/nerf_split.h"
#include "model/scene_data/nerf_transforms.h"
#include "model/scene_data/scene_camera.h"
#include "test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using test::writeRgbaPng;
using test::writeText;

const char* kIdentity = "[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]";

// The message of the error loading `dir`'s train split gives.
std::string loadError(const fs::path& dir) {
  try {
    loadNerfSplit(dir, "train");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(NerfTransforms, WrittenFilesReadBackWithTheirMatricesAngleAndPixels) {
  const fs::path dir = test::freshTempDir();
  std::vector<NerfFrame> views;
  views.push_back({orbitCamera(30, 20), "./train/r_0"});
  views.push_back({orbitCamera(200, -5), "./train/r_1.png"});  // with the extension: accepted too
  writeNerfTransforms(dir / "transforms_train.json", kSceneCameraAngleX, views);
  writeRgbaPng(dir / "train/r_0.png", 6, 4, 255, 0, 0, 255);  // opaque red
  writeRgbaPng(dir / "train/r_1.png", 6, 4, 0, 0, 255, 0);    // fully transparent

  const NerfSplit white = loadNerfSplit(dir, "train");
  EXPECT_EQ(white.cameraAngleX, kSceneCameraAngleX);
  ASSERT_EQ(white.views.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(white.views[i].file, views[i].file);
    for (std::size_t k = 0; k < 16; ++k) EXPECT_EQ(white.views[i].cameraToWorld[k], views[i].cameraToWorld[k]) << i << " " << k;
  }
  EXPECT_EQ(white.width, 6);
  EXPECT_EQ(white.height, 4);
  ASSERT_EQ(white.rgb.size(), 2u * 6 * 4 * 3);
  EXPECT_FLOAT_EQ(white.view(0)[0], 1.0f);
  EXPECT_FLOAT_EQ(white.view(0)[1], 0.0f);
  EXPECT_FLOAT_EQ(white.view(1)[0], 1.0f);  // transparent over white
  EXPECT_FLOAT_EQ(white.view(1)[2], 1.0f);

  const NerfSplit black = loadNerfSplit(dir, "train", {{0, 0, 0}, 1});
  EXPECT_FLOAT_EQ(black.view(0)[0], 1.0f);
  EXPECT_FLOAT_EQ(black.view(1)[0], 0.0f);  // transparent over black
  EXPECT_FLOAT_EQ(black.view(1)[2], 0.0f);
  EXPECT_NEAR(white.focal(), 0.5 * 6 / std::tan(0.5 * kSceneCameraAngleX), 1e-9);

  const NerfSplit checked = checkNerfSplit(dir, "train");
  EXPECT_TRUE(checked.rgb.empty());
  EXPECT_EQ(checked.width, 6);
  EXPECT_EQ(checked.views.size(), 2u);
}

TEST(NerfTransforms, HalfTransparentPixelsBlendWithTheBackgroundAndDownscaleAverages) {
  const fs::path dir = test::freshTempDir();
  writeNerfTransforms(dir / "transforms_test.json", 0.5f, {{orbitCamera(0, 0), "./test/r_0"}});
  // 4x2: left 2x2 block opaque black, right 2x2 block transparent.
  std::vector<std::uint8_t> px(4 * 2 * 4, 0);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) px[static_cast<std::size_t>((y * 4 + x) * 4 + 3)] = 255;
  writeText(dir / "test/r_0.png", encodePngBytes(4, 2, 4, px.data(), 16));
  const NerfSplit s = loadNerfSplit(dir, "test", {{1, 1, 1}, 2});
  ASSERT_EQ(s.width, 2);
  ASSERT_EQ(s.height, 1);
  EXPECT_FLOAT_EQ(s.view(0)[0], 0.0f);  // black
  EXPECT_FLOAT_EQ(s.view(0)[3], 1.0f);  // white background
  writeRgbaPng(dir / "test/r_0.png", 2, 2, 0, 0, 0, 128);
  EXPECT_NEAR(loadNerfSplit(dir, "test").view(0)[0], 127.0 / 255.0, 1e-6);
}

struct BadCase {
  const char* name;
  std::string frame;
  std::string angle;
  const char* expected;  // a part of the message
  bool namesFrame;
};

TEST(NerfTransforms, BadInputIsAnErrorNamingTheFileAndTheFrame) {
  const std::string ok = std::string("{\"file_path\": \"./train/r_0\", \"transform_matrix\": ") + kIdentity + "}";
  const std::vector<BadCase> cases = {
      {"missing matrix", "{\"file_path\": \"./train/r_0\"}", "0.69", "\"transform_matrix\" is missing", true},
      {"missing file_path", std::string("{\"transform_matrix\": ") + kIdentity + "}", "0.69", "\"file_path\"", true},
      {"file_path a number", std::string("{\"file_path\": 3, \"transform_matrix\": ") + kIdentity + "}", "0.69", "\"file_path\"", true},
      {"3x4 matrix", "{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1,0,0,0],[0,1,0,0],[0,0,1,0]]}", "0.69", "4x4", true},
      {"row of 3", "{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}", "0.69", "4x4", true},
      {"string entry", "{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1,0,0,\"x\"],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}", "0.69", "not a number", true},
      {"huge entry", "{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1,0,0,1e300],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}", "0.69", "finite", true},
      {"singular", "{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1,0,0,0],[0,1,0,0],[0,0,0,0],[0,0,0,1]]}", "0.69", "not invertible", true},
      {"bottom row", "{\"file_path\": \"./train/r_0\", \"transform_matrix\": [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,1,1]]}", "0.69", "bottom row", true},
      {"missing image", std::string("{\"file_path\": \"./train/r_9\", \"transform_matrix\": ") + kIdentity + "}", "0.69", "missing", true},
      {"angle zero", ok, "0", "camera_angle_x", false},
      {"angle pi", ok, "3.2", "camera_angle_x", false},
      {"angle string", ok, "\"wide\"", "camera_angle_x", false},
      {"angle missing", ok, "0.69, \"x\": 1", "", false},
      {"frame not an object", "7", "0.69", "not an object", true},
  };
  for (const BadCase& c : cases) {
    const fs::path dir = test::freshTempDir() / c.name;
    std::string text = "{\"camera_angle_x\": " + c.angle + ", \"frames\": [" + ok + ", " + c.frame + "]}";
    if (std::string(c.name) == "angle missing") text = "{\"frames\": [" + ok + "]}";
    writeText(dir / "transforms_train.json", text);
    writeRgbaPng(dir / "train" / "r_0.png", 4, 4, 10, 20, 30, 255);
    const std::string message = loadError(dir);
    EXPECT_NE(message.find("transforms_train.json"), std::string::npos) << c.name << ": " << message;
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.name << ": " << message;
    if (c.namesFrame) {
      EXPECT_NE(message.find("frame 1"), std::string::npos) << c.name << ": " << message;
    }
    // The header-only check finds the same problems.
    EXPECT_THROW(checkNerfSplit(dir, "train"), std::runtime_error) << c.name;
  }
}

TEST(NerfTransforms, BrokenMixedOrMissingFilesAreErrorsNamingThem) {
  const fs::path base = test::freshTempDir();
  const std::string frame0 = std::string("{\"file_path\": \"./train/r_0\", \"transform_matrix\": ") + kIdentity + "}";
  const std::string frame1 = std::string("{\"file_path\": \"./train/r_1\", \"transform_matrix\": ") + kIdentity + "}";
  const auto scene = [&](const std::string& name) {
    const fs::path dir = base / name;
    writeText(dir / "transforms_train.json", "{\"camera_angle_x\": 0.69, \"frames\": [" + frame0 + ", " + frame1 + "]}");
    writeRgbaPng(dir / "train/r_0.png", 4, 4, 1, 2, 3, 255);
    return dir;
  };
  {
    const fs::path dir = scene("broken");
    writeText(dir / "train/r_1.png", "\x89PNG\r\n\x1a\n this is not the rest of a PNG");
    const std::string m = loadError(dir);
    EXPECT_NE(m.find("frame 1 ('./train/r_1')"), std::string::npos) << m;
    EXPECT_NE(m.find("cannot be read"), std::string::npos) << m;
    EXPECT_THROW(checkNerfSplit(dir, "train"), std::runtime_error);
  }
  {
    const fs::path dir = scene("truncated");
    std::string png = encodePngBytes(4, 4, 4, std::vector<std::uint8_t>(64, 9).data(), 16);
    writeText(dir / "train/r_1.png", png.substr(0, png.size() / 2));
    const std::string m = loadError(dir);
    EXPECT_NE(m.find("frame 1"), std::string::npos) << m;
  }
  {
    const fs::path dir = scene("mixed");
    writeRgbaPng(dir / "train/r_1.png", 5, 4, 1, 2, 3, 255);
    const std::string m = loadError(dir);
    EXPECT_NE(m.find("frame 1"), std::string::npos) << m;
    EXPECT_NE(m.find("5x4"), std::string::npos) << m;
    EXPECT_THROW(checkNerfSplit(dir, "train"), std::runtime_error);
  }
  {
    const fs::path dir = base / "empty";
    writeText(dir / "transforms_train.json", "{\"camera_angle_x\": 0.69, \"frames\": []}");
    const std::string m = loadError(dir);
    EXPECT_NE(m.find("transforms_train.json"), std::string::npos) << m;
    EXPECT_NE(m.find("empty"), std::string::npos) << m;
  }
  {
    const fs::path dir = base / "not json";
    writeText(dir / "transforms_train.json", "{\"camera_angle_x\": 0.69, \"frames\": [");
    EXPECT_NE(loadError(dir).find("not valid JSON"), std::string::npos);
    EXPECT_NE(loadError(base / "nowhere").find("transforms_train.json"), std::string::npos);
  }
  {
    const fs::path dir = scene("downscale too large");
    writeRgbaPng(dir / "train/r_1.png", 4, 4, 1, 2, 3, 255);
    EXPECT_THROW(loadNerfSplit(dir, "train", {{1, 1, 1}, 5}), std::runtime_error);
    EXPECT_THROW(loadNerfSplit(dir, "train", {{1, 1, 1}, 0}), std::runtime_error);
    EXPECT_EQ(loadNerfSplit(dir, "train", {{1, 1, 1}, 4}).width, 1);
  }
}

TEST(NerfTransforms, GarbageNeverCrashesTheReader) {
  const fs::path file = "fuzz/transforms_train.json";
  const std::vector<std::string> inputs = {"", "null", "[]", "{}", "{\"camera_angle_x\": null}", "{\"camera_angle_x\": 1, \"frames\": {}}",
                                           "{\"camera_angle_x\": 1e999}", "{\"camera_angle_x\": 1, \"frames\": [null]}",
                                           "{\"camera_angle_x\": 1, \"frames\": [{\"file_path\": \"a\", \"transform_matrix\": 5}]}",
                                           "{\"camera_angle_x\": 1, \"frames\": [{\"file_path\": \"a\", \"transform_matrix\": [1,2,3,4]}]}"};
  for (const std::string& in : inputs) {
    try {
      parseNerfTransforms(in, file);
      ADD_FAILURE() << "accepted: " << in;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("transforms_train.json"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace fieldscope
