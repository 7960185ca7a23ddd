// fieldscope sample --model SHAPE.fsm --seed N [--steps S --eta E] [--grid 128] [--iso 0.5]
//                  [--blend SEED_B,T] -o shape.obj|shape.ply
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <thread>

#include "app/cli/command_registry.h"
#include "app/domains/shape/cli/mesh_export.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "model/shape/shape_model.h"
#include "model/train/progress_line.h"
#include "model/util/compute_options.h"

namespace fieldscope {

void registerShapeSampleCommand(CommandRegistry& registry) {
  auto grid = registry.sampleOption("--grid", "image: contact sheet CxR of seeds; shape: mesh grid resolution N (default 128)");
  auto iso = registry.sampleOption("--iso", "shape: iso-level as an occupancy probability (default 0.5, as the viewer)");
  auto blend = registry.sampleOption("--blend", "shape: SEED_B,T: the sample at t of the way from --seed to SEED_B");
  const SampleCommon& common = registry.sampleCommon();
  registry.onSample("shape", [&common, grid, iso, blend] {
    const std::filesystem::path out = common.out;
    checkMeshExtension(out);
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
    const ComputeOptions compute = parseComputeOptions(common.compute.device, common.compute.precision);
    torch::set_num_threads(common.threads > 0 ? common.threads : std::max(1u, std::thread::hardware_concurrency()));
    auto model = ShapeModel::load(common.model, compute);
    ProgressLine line(common.steps, 0);
    model->setSamplerProgress([&](int done, int) { line.update(done, "sampling"); });
    auto latent = t >= 0 ? model->sampleLatentBlend(common.seed, seedB, float(t), common.steps, common.eta)
                         : model->sampleLatent(common.seed, common.steps, common.eta);
    line.finish();
    exportShapeMesh(*model, model->makeFields(latent), n, p, out);
  });
}

}  // namespace fieldscope
