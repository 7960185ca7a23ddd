// The shape domain's commands end to end on tiny models: train shape-vae and shape-ldm on a tiny
// data set, sample a mesh, encode a mesh; and their bad inputs (a clear message naming the file or
// option, no file written).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <random>

#include "app/cli/command_registry.h"
#include "app/cli/model_commands.h"
#include "app/domains/image/cli/image_commands.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_reader.h"
#include "model/geometry/obj_writer.h"
#include "model/geometry/marching_cubes.h"
#include "model/shape/shape_model.h"
#include "model/shape/shape_vae_io.h"
#include "model/io/png_file.h"
#include "model/shape_data/shape_record.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

const test::CliRunner shapeCli(DomainList{{"image", registerImageCommands, nullptr}, {"shape", registerShapeCommands, nullptr}});

// A sphere of radius r as a .shape record: surface points, normals, uniform labelled queries.
ShapeRecord sphereRecord(double r, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  std::uniform_real_distribution<float> u(-0.55f, 0.55f);
  ShapeRecord rec;
  for (int i = 0; i < 300; ++i) {
    float v[3] = {g(rng), g(rng), g(rng)};
    const float n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    for (float c : v) rec.surface.push_back(float(c / n * r)), rec.normals.push_back(c / n);
  }
  for (int i = 0; i < 600; ++i) {
    float q[3] = {u(rng), u(rng), u(rng)};
    for (float c : q) rec.queries.push_back(c);
    rec.labels.push_back(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] < r * r ? 1 : 0);
  }
  return rec;
}

std::filesystem::path sphereData(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "train");
  std::filesystem::create_directories(dir / "test");
  for (int i = 0; i < 6; ++i) writeShapeRecord(dir / "train" / ("s" + std::to_string(i) + ".shape"), sphereRecord(0.2 + 0.04 * i, i));
  writeShapeRecord(dir / "test" / "t.shape", sphereRecord(0.3, 99));
  return dir;
}

TEST(ShapeCli, TrainVaeAndLdmThenSampleAMeshAndEncodeOne) {
  test::TempDir dir("shape_cli");
  const auto data = sphereData(dir.path / "data");
  const auto vae = dir.path / "vae.fsm", model = dir.path / "model.fsm";
  shapeCli.run({"train", "shape-vae", "--data", data.string(), "--preset", "tiny", "--steps", "30", "--batch", "4", "--lr", "3e-3",
       "-o", vae.string()});
  const Checkpoint v = loadCheckpoint(vae, "shape");
  EXPECT_EQ(v.config.at("kind"), "vae");
  // The card records the held-out IoU (how well a tiny 30-step VAE does is ShapeVae's test, not this one's).
  const double iou = v.config.at("metrics").at("held_out_iou").get<double>();
  EXPECT_GE(iou, 0.0);
  EXPECT_LE(iou, 1.0);
  shapeCli.run({"train", "shape-ldm", "--vae", vae.string(), "--data", data.string(), "--preset", "tiny", "--steps", "5", "-o",
       model.string()});
  EXPECT_TRUE(ShapeModel::load(model)->canSample());

  // encode: a sphere mesh in, its reconstruction out, closed.
  const int n = 24;
  std::vector<float> field(size_t(n) * n * n);
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        auto c = [&](int i) { return (i + 0.5) / n - 0.5; };
        field[(size_t(z) * n + y) * n + x] = float(0.3 - std::sqrt(c(x) * c(x) + c(y) * c(y) + c(z) * c(z)));
      }
  auto sphere = marchingCubes(ScalarGridView{{n, n, n, voxelCentreBox(n, 0.5)}, field.data()}, 0.f);
  ASSERT_TRUE(sphere);
  writeObj(dir.path / "in.obj", *sphere);
  try {
    shapeCli.run({"encode", "--model", vae.string(), (dir.path / "in.obj").string(), "-o", (dir.path / "rec.obj").string(),
         "--grid", "32"});
    EXPECT_TRUE(computeMeshStats(readObj(dir.path / "rec.obj").mesh).closedManifold());
  } catch (const std::runtime_error& e) {  // a tiny model may see nothing inside: said, nothing written
    EXPECT_NE(std::string(e.what()).find("no surface"), std::string::npos) << e.what();
    EXPECT_FALSE(std::filesystem::exists(dir.path / "rec.obj"));
  }

  // sample: whatever the 10-step LDM makes, the command writes a closed mesh or says it is empty.
  try {
    shapeCli.run({"sample", "--model", model.string(), "--seed", "3", "--steps", "4", "--grid", "24", "-o",
         (dir.path / "s.ply").string()});
    EXPECT_TRUE(std::filesystem::exists(dir.path / "s.ply"));
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no surface"), std::string::npos) << e.what();
    EXPECT_FALSE(std::filesystem::exists(dir.path / "s.ply"));
  }
}

TEST(ShapeCli, BadInputsAreNamedAndWriteNothing) {
  test::TempDir dir("shape_cli_bad");
  auto m = ShapeModel::untrained("tiny");
  Checkpoint c;
  c.config = {{"domain", "shape"}, {"kind", "vae"}};
  torch::manual_seed(1);
  ShapeVae vae(ShapeVaeConfig::preset_("tiny"));
  storeShapeVae(c, vae);
  const auto model = dir.path / "m.fsm";
  saveCheckpoint(model, c);
  const auto out = (dir.path / "x.obj").string();
  shapeCli.expectFails({"sample", "--model", model.string(), "--grid", "5000", "-o", out}, "--grid");
  shapeCli.expectFails({"sample", "--model", model.string(), "--iso", "1.5", "-o", out}, "--iso");
  shapeCli.expectFails({"sample", "--model", model.string(), "--iso", "nan", "-o", out}, "--iso");
  shapeCli.expectFails({"sample", "--model", model.string(), "-o", (dir.path / "x.stl").string()}, "x.stl");
  shapeCli.expectFails({"sample", "--model", model.string(), "-o", out}, "m.fsm");  // a VAE alone cannot sample
  shapeCli.expectFails({"encode", "--model", model.string(), (dir.path / "missing.obj").string(), "-o", out}, "missing.obj");
  shapeCli.expectFails({"encode", "--model", model.string(), model.string(), "-o", out}, "m.fsm");  // not an OBJ
  shapeCli.expectFails({"train", "shape-vae", "--data", (dir.path / "nodata").string(), "-o", out}, "nodata");
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto png = (dir.path / "v.png").string();
  shapeCli.expectFails({"sample", "--model", model.string(), "--camera", "30,95,2", "-o", png}, "--camera");
  shapeCli.expectFails({"sample", "--model", model.string(), "--camera", "30,20", "-o", png}, "--camera");
  shapeCli.expectFails({"sample", "--model", model.string(), "--size", "10x10000", "-o", png}, "--size");
  shapeCli.expectFails({"sample", "--model", model.string(), "--camera", "30,20,2", "-o", out}, "--camera");
  EXPECT_FALSE(std::filesystem::exists(png));
}

// A grid beyond memory is estimated and refused with the numbers before any work.
TEST(ShapeCli, GridsBeyondMemoryAreRefusedWithTheNumbers) {
  test::TempDir dir("shape_cli_memory");
  const std::filesystem::path model = FIELDSCOPE_SOURCE_DIR "/assets/models/shapes-occupancy.fsm";
  setenv("FIELDSCOPE_MEMORY_LIMIT", "200000000", 1);  // 200 MB
  const auto png = (dir.path / "v.png").string(), obj = (dir.path / "m.obj").string();
  shapeCli.expectFails({"sample", "--model", model.string(), "--steps", "2", "--grid", "512", "-o", png}, "512^3 view grid needs about 51");
  shapeCli.expectFails({"sample", "--model", model.string(), "--steps", "2", "--grid", "1024", "-o", obj}, "1024^3 mesh needs about");
  unsetenv("FIELDSCOPE_MEMORY_LIMIT");
  EXPECT_FALSE(std::filesystem::exists(png));
  EXPECT_FALSE(std::filesystem::exists(obj));
}

// `sample -o view.png --camera`: the shipped model's sample ray-marched as the viewer shows it.
TEST(ShapeCli, SampleRendersAViewFromTheCameraAsked) {
  test::TempDir dir("shape_cli_view");
  const std::filesystem::path model = FIELDSCOPE_SOURCE_DIR "/assets/models/shapes-occupancy.fsm";
  const auto front = dir.path / "front.png", back = dir.path / "back.png";
  for (auto [camera, path] : {std::pair<std::string, std::filesystem::path>{"30,20,1.8", front}, {"210,20,1.8", back}})
    shapeCli.run({"sample", "--model", model.string(), "--seed", "0", "--steps", "10", "--grid", "48", "--size", "160x120",
         "--camera", camera, "-o", path.string()});
  const Rgba8Image a = readImageRgba8(front), b = readImageRgba8(back);
  ASSERT_EQ(a.width, 160);
  ASSERT_EQ(a.height, 120);
  ASSERT_EQ(a.pixels.size(), b.pixels.size());
  // The background is the viewer's (0.08, 0.08, 0.09): count what is not.
  auto shapePixels = [](const Rgba8Image& im) {
    int count = 0;
    for (size_t i = 0; i < im.pixels.size(); i += 4)
      if (std::abs(int(im.pixels[i]) - 20) > 6 || std::abs(int(im.pixels[i + 2]) - 23) > 6) ++count;
    return count;
  };
  EXPECT_GT(shapePixels(a), 160 * 120 / 50) << "the shape covers some of the picture";
  EXPECT_LT(shapePixels(a), 160 * 120 * 9 / 10) << "and not all of it";
  int differ = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) differ += std::abs(int(a.pixels[i]) - int(b.pixels[i])) > 8;
  EXPECT_GT(differ, 200) << "the other side of the shape looks different";
}

}  // namespace
}  // namespace fieldscope
