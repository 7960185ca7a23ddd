#include "app/domains/shape/cli/view_render.h"

#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "model/io/png_file.h"
#include "model/shape/occupancy_grid.h"
#include "model/train/interrupt_guard.h"
#include "model/train/progress_line.h"
#include "model/train/train_support.h"
#include "model/util/memory_budget.h"
#include "render/raymarch_cpu.h"
#include "render/raymarch_settings.h"

namespace fieldscope {

uint64_t shapeViewBytes(int n, int width, int height) { return denseGridBytes(n) + uint64_t(width) * height * 4; }

void renderShapeView(ShapeModel& model, const TriplaneFields& fields, int n, double iso, const OrbitCameraState& camera,
                     int width, int height, const std::filesystem::path& out, int threads) {
  checkWritable(out);  // before the work, not after it
  refuseBeyondMemory(shapeViewBytes(n, width, height), "a " + std::to_string(n) + "^3 view grid");
  InterruptGuard interrupts(false);
  std::atomic<bool> cancel{false};
  ProgressLine line(1000, 0);
  BakeOptions bake;
  bake.cancel = &cancel;
  bake.progress = [&](double f) {
    if (interrupts.requested()) cancel = true;
    line.update(static_cast<int64_t>(f * 1000), "baking " + std::to_string(n) + "^3");
  };
  auto grid = torch::empty({n, n, n}, torch::kFloat32);
  const bool done = model.bake(fields, n, grid, bake);
  line.finish();
  if (!done || interrupts.requested()) throw std::runtime_error("cancelled; '" + out.string() + "' was not written");
  RaymarchSettings settings;
  settings.isoLevel = float(probabilityToLogit(iso));
  const RaymarchGridGeometry geometry{n, float(model.bound())};
  const auto u = raymarchUniforms(OrbitCamera(camera).frame(), settings, geometry, width, height);
  Rgba8Image image{width, height, raymarchOnCpu(u, grid.data_ptr<float>(), std::max(1, threads))};
  writePng(out, image);
  std::printf("wrote %s: %dx%d, grid %d^3, iso p=%.3g, camera %.1f,%.1f,%.2f\n", out.c_str(), width, height, n, iso,
              camera.azimuthDeg, camera.elevationDeg, camera.distance);
}

}  // namespace fieldscope
