// A user's mesh as the grid the viewer shows beside its encoding (model/shape/mesh_occupancy_grid.h):
// inside where the mesh is, smooth, and thin walls are not blurred away.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

#include "model/shape/mesh_occupancy_grid.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

// An axis-aligned box as an OBJ (outward faces).
void writeBox(const std::filesystem::path& path, float sx, float sy, float sz) {
  std::ofstream o(path);
  for (int i = 0; i < 8; ++i) o << "v " << ((i & 1) ? sx : -sx) << ' ' << ((i & 2) ? sy : -sy) << ' ' << ((i & 4) ? sz : -sz) << '\n';
  o << "f 1 3 4 2\nf 5 6 8 7\nf 1 2 6 5\nf 3 7 8 4\nf 1 5 7 3\nf 2 4 8 6\n";
}

TEST(MeshOccupancyGrid, ABoxIsInsideWhereItIsAndAThinPlateSurvivesTheSmoothing) {
  test::TempDir dir("mesh_grid");
  writeBox(dir.path / "cube.obj", 1, 1, 1);
  const int64_t n = 24;
  auto cube = meshOccupancyGrid(dir.path / "cube.obj", n, 0.55, 1);
  ASSERT_EQ(cube.sizes(), (std::vector<int64_t>{n, n, n}));
  EXPECT_GT(cube[n / 2][n / 2][n / 2].item<float>(), 0) << "the centre is inside";
  EXPECT_LT(cube[0][0][0].item<float>(), 0) << "the corner of the box is outside (the cube spans [-0.5, 0.5])";
  // A plate 0.03 thick (normalised: longest side 1): at 25^3 one layer of voxel centres (y = 0) is
  // inside it, which a one-voxel blur alone would take to 0.4, below the surface level.
  writeBox(dir.path / "plate.obj", 30, 0.9, 30);
  const int64_t m = 25;
  auto plate = meshOccupancyGrid(dir.path / "plate.obj", m, 0.55, 1);
  EXPECT_GE((plate > 0).sum().item<int64_t>(), (m - 4) * (m - 4)) << "the plate is still there";
}

TEST(MeshOccupancyGrid, ABrokenFileIsNamed) {
  test::TempDir dir("mesh_grid_bad");
  std::ofstream(dir.path / "bad.obj") << "v 0 0 0\nf 1 2 3\n";
  try {
    meshOccupancyGrid(dir.path / "bad.obj", 8, 0.55, 1);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.obj"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fieldscope
