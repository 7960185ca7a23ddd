// fieldscope encode --model SHAPE.fsm IN.obj -o OUT.obj|OUT.ply [--grid N] [--iso P]: the user's mesh
// through the shape VAE (surface points -> latent -> occupancy -> mesh), i.e. how the model sees it.
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/domains/shape/cli/mesh_export.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "model/shape/mesh_surface_points.h"
#include "model/shape/shape_model.h"
#include "model/util/compute_options.h"

namespace fieldscope {

namespace {
struct EncodeOptions {
  std::string model, in, out, grid, iso;
  uint64_t seed = 0;
  int threads = 0;
  ComputeFlags compute;
};
}  // namespace

void registerShapeEncodeCommand(CommandRegistry& registry) {
  auto o = std::make_shared<EncodeOptions>();
  CLI::App* cmd = registry.app().add_subcommand(
      "encode", "encode a mesh (OBJ) with a shape model and write its reconstruction (OBJ/PLY)");
  cmd->add_option("--model", o->model, "shape model (.fsm)")->required();
  cmd->add_option("input", o->in, "the mesh to encode (.obj; normalised to the unit cube)")->required();
  cmd->add_option("-o,--out", o->out, "reconstruction (.obj or .ply)")->required();
  cmd->add_option("--grid", o->grid, "mesh grid resolution (8..1024, default 128)");
  cmd->add_option("--iso", o->iso, "iso-level as an occupancy probability (default 0.5)");
  cmd->add_option("--seed", o->seed, "seed of the surface point sampling")->default_val(0);
  cmd->add_option("--threads", o->threads, "torch threads (default: all cores)");
  addComputeFlags(*cmd, o->compute);
  cmd->callback([o] {
    const std::filesystem::path out = o->out;
    checkMeshExtension(out);
    const int n = parseMeshResolution(o->grid, 128);
    const double p = parseIsoProbability(o->iso);
    const ComputeOptions compute = parseComputeOptions(o->compute.device, o->compute.precision);
    setTorchThreads(o->threads);
    auto model = ShapeModel::load(o->model, compute);
    std::vector<std::string> warnings;
    const torch::Tensor points = meshSurfacePoints(o->in, model->pointCount(), o->seed, &warnings);
    for (const auto& w : warnings) std::fprintf(stderr, "%s: %s\n", o->in.c_str(), w.c_str());
    exportShapeMesh(*model, model->makeFields(model->encode(points)), n, p, out);
  });
}

}  // namespace fieldscope
