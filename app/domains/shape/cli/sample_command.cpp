// fieldscope sample --model SHAPE.fsm --seed N [--steps S --eta E] [--grid 128] [--iso 0.5]
//                  [--blend SEED_B,T] -o shape.obj|shape.ply
//                  or -o view.png [--camera AZ,EL,DIST] [--size WxH]: the sample as the viewer shows it
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>

#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/domains/shape/cli/mesh_export.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "app/domains/shape/cli/view_render.h"
#include "model/shape/shape_model.h"
#include "model/train/progress_line.h"
#include "model/util/compute_options.h"
#include "model/util/memory_budget.h"

namespace fieldscope {

void registerShapeSampleCommand(CommandRegistry& registry) {
  auto grid = registry.sampleOption("--grid", "image: contact sheet CxR of seeds; shape: mesh grid resolution N (default 128)");
  auto iso = registry.sampleOption("--iso", "shape: iso-level as an occupancy probability (default 0.5, as the viewer)");
  auto blend = registry.sampleOption("--blend", "shape: SEED_B,T: the sample at t of the way from --seed to SEED_B");
  auto camera = registry.sampleOption("--camera", "shape, -o view.png: AZ,EL,DIST of the orbit camera (default 30,20,1.8)");
  const SampleCommon& common = registry.sampleCommon();
  registry.onSample("shape", [&common, grid, iso, blend, camera] {
    const std::filesystem::path out = common.out;
    const bool view = lowerExtension(out) == ".png";
    if (!view) checkMeshExtension(out);
    if (!view && !camera->empty()) throw std::runtime_error("--camera is for a view (-o NAME.png), not for a mesh");
    const OrbitCameraState cam = parseShapeCamera(*camera);
    if (!view && !common.size.empty()) throw std::runtime_error("--size is for a view (-o NAME.png), not for a mesh");
    const auto [width, height] = parseViewSize(view ? common.size : std::string());
    const int n = parseMeshResolution(*grid, 128);
    const double p = parseIsoProbability(*iso);
    uint64_t seedB = 0;
    double t = -1;
    if (!blend->empty()) {
      unsigned long long b = 0;
      char extra = 0;
      if (std::sscanf(blend->c_str(), "%llu,%lf%c", &b, &t, &extra) != 2 || !(t >= 0 && t <= 1))
        throw std::runtime_error("--blend '" + *blend + "': expected SEED_B,T with T in [0, 1]");
      seedB = b;
    }
    // Refused before any sampling when the grid will not fit (the exports check again).
    if (view) refuseBeyondMemory(shapeViewBytes(n, width, height), "a " + std::to_string(n) + "^3 view grid");
    else refuseBeyondMemory(planeMeshBytes(n), "a " + std::to_string(n) + "^3 mesh");
    const ComputeOptions compute = parseComputeOptions(common.compute.device, common.compute.precision);
    setTorchThreads(common.threads);
    auto model = ShapeModel::load(common.model, compute);
    ProgressLine line(common.steps, 0);
    model->setSamplerProgress([&](int done, int) { line.update(done, "sampling"); });
    auto latent = t >= 0 ? model->sampleLatentBlend(common.seed, seedB, float(t), common.steps, common.eta)
                         : model->sampleLatent(common.seed, common.steps, common.eta);
    line.finish();
    if (view) renderShapeView(*model, model->makeFields(latent), n, p, cam, width, height, out, torch::get_num_threads());
    else exportShapeMesh(*model, model->makeFields(latent), n, p, out);
  });
}

}  // namespace fieldscope
