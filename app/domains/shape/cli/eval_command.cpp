// fieldscope eval shape --model SHAPE.fsm [--data DIR] [--shapes N] [--points N]: how well the model
// reconstructs held-out shapes from their point clouds, as volumetric IoU on uniform points (the
// Occupancy Networks protocol; model/shape/volumetric_iou.h). Without --data the held-out shapes
// of the procedural set (seed 1, index % 10 == 9) are made on the fly.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/cli/compute_flags.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "model/shape/shape_model.h"
#include "model/shape/volumetric_iou.h"
#include "model/util/compute_options.h"

namespace fieldscope {

void registerShapeEvalCommand(CommandRegistry& registry) {
  struct Opts {
    std::string model, data;
    int shapes = 50, points = 100000, threads = 0;
    uint64_t seed = 1;
    ComputeFlags compute;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* ev = registry.verb("eval", "evaluate a model");
  CLI::App* sh = ev->add_subcommand("shape", "held-out reconstruction IoU of a shape model (uniform points)");
  sh->add_option("--model", o->model, "shape model (.fsm)")->required();
  sh->add_option("--data", o->data, "shape dataset folder: its test/*.obj (default: procedural held-out shapes)");
  sh->add_option("--shapes", o->shapes, "held-out shapes to use")->default_val(o->shapes)->check(CLI::Range(1, 100000));
  sh->add_option("--points", o->points, "uniform points per shape")->default_val(o->points)->check(CLI::Range(1000, 10000000));
  sh->add_option("--seed", o->seed, "procedural set seed (without --data)")->default_val(o->seed);
  sh->add_option("--threads", o->threads, "threads (default: all cores)");
  addComputeFlags(*sh, o->compute);
  sh->callback([o] {
    setTorchThreads(o->threads);
    const ComputeOptions compute = parseComputeOptions(o->compute.device, o->compute.precision == "auto" ? "fp32" : o->compute.precision);
    auto model = ShapeModel::load(o->model, compute);
    const int threads = std::max(1, o->threads);
    LongRun run("shapes made", /*stoppable=*/false);  // first the held-out shapes and their labelled points, then the scores
    const auto shapes = o->data.empty()
                            ? proceduralHeldOutShapes(o->shapes, o->seed, model->pointCount(), o->points, 64, run.progress())
                            : folderHeldOutShapes(o->data, o->shapes, model->pointCount(), o->points, threads, run.progress());
    const ShapeReconstruction r = reconstructionIoU(model->vae(), shapes, run.progress("shapes scored"));
    run.finish(false, "");
    std::map<std::string, std::pair<double, int>> byKind;  // the family (procedural) or "all"
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      const std::string kind = o->data.empty() ? shapes[i].name.substr(0, shapes[i].name.find(' ')) : "all";
      byKind[kind].first += r.perShape[i];
      byKind[kind].second += 1;
    }
    if (byKind.size() > 1)
      for (const auto& [kind, v] : byKind) std::printf("  %-10s %.3f (%d)\n", kind.c_str(), v.first / v.second, v.second);
    const auto worst = std::min_element(r.perShape.begin(), r.perShape.end()) - r.perShape.begin();
    std::printf("held-out volumetric IoU %.3f over %zu shapes, %d uniform points each (worst %.3f: %s)\n", r.meanIoU,
                shapes.size(), o->points, r.perShape[worst], shapes[worst].name.c_str());
  });
}

}  // namespace fieldscope
