// fieldscope sample --model SHAPE.fsm --seed N [--steps S --eta E] [--grid 128] [--iso 0.5]
//                  [--blend SEED_B,T] -o shape.obj|shape.ply
//                  or -o view.png [--camera AZ,EL,DIST] [--size WxH]: the sample as the viewer shows it
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>

#include "app/cli/blend_flag.h"
#include "app/cli/camera_flag.h"
#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/cli/size_flag.h"
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
  auto blend = registry.sampleOption("--blend", "shape, video: SEED_B,T: the sample at t of the way from --seed to SEED_B");
  auto camera = registry.sampleOption("--camera", "shape, -o view.png: AZ,EL,DIST of the orbit camera (default 30,20,1.8)");
  const SampleCommon& common = registry.sampleCommon();
  registry.onSample("shape", [&common, grid, iso, blend, camera] {
    const std::filesystem::path out = common.out;
    const bool view = lowerExtension(out) == ".png";
    if (!view) checkMeshExtension(out);
    if (!view && !camera->empty()) throw std::runtime_error("--camera is for a view (-o NAME.png), not for a mesh");
    const OrbitCameraState cam = parseCameraFlag(*camera);
    if (!view && !common.size.empty()) throw std::runtime_error("--size is for a view (-o NAME.png), not for a mesh");
    const auto [width, height] = parseSizeFlag(view ? common.size : std::string(), 1280, 720);
    const int n = parseMeshResolution(*grid, 128);
    const double p = parseIsoProbability(*iso);
    const std::optional<BlendFlag> blended = parseBlendFlag(*blend);
    // Refused before any sampling when the grid will not fit (the exports check again).
    if (view) refuseBeyondMemory(shapeViewBytes(n, width, height), "a " + std::to_string(n) + "^3 view grid");
    else refuseBeyondMemory(planeMeshBytes(n), "a " + std::to_string(n) + "^3 mesh");
    const ComputeOptions compute = parseComputeOptions(common.compute.device, common.compute.precision);
    setTorchThreads(common.threads);
    auto model = ShapeModel::load(common.model, compute);
    ProgressLine line(common.steps, 0);
    model->setSamplerProgress([&](int done, int) { line.update(done, "sampling"); });
    auto latent = blended ? model->sampleLatentBlend(common.seed, blended->seedB, float(blended->t), common.steps, common.eta)
                         : model->sampleLatent(common.seed, common.steps, common.eta);
    line.finish();
    if (view) renderShapeView(*model, model->makeFields(latent), n, p, cam, width, height, out, torch::get_num_threads());
    else exportShapeMesh(*model, model->makeFields(latent), n, p, out);
  });
}

}  // namespace fieldscope
