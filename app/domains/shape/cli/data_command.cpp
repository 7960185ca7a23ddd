// fieldscope data shapes -o DIR: the shape training set, procedural or from the user's OBJ meshes
// (docs/architecture.md "Data"; the folder's layout and guarantees: model/shape_data/shape_dataset.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "model/shape_data/shape_dataset.h"

namespace fieldscope {

void registerShapeDataCommand(CommandRegistry& registry) {
  CLI::App* data = registry.verb("data", "make a training data set");
  struct Opts {
    std::string out, from;
    ShapeDatasetOptions dataset;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* shapes = data->add_subcommand(
      "shapes", "procedural solids (or --from a folder of OBJ meshes): per shape a watertight OBJ and a .shape file of "
                "surface points with normals and labelled occupancy points; every 10th index held out as test");
  shapes->add_option("-o,--out", o->out, "output folder (new, empty, or a previous shape data set)")->required();
  CLI::Option* count = shapes->add_option("--count", o->dataset.count, "number of shapes (with --from: at most this many meshes; default all)")
                           ->default_val(1000)->check(CLI::Range(1, 1000000));
  shapes->add_option("--seed", o->dataset.seed, "random seed: the same seed gives the same files")->default_val(0);
  shapes->add_option("--from", o->from, "a folder of OBJ meshes (searched recursively) instead of procedural shapes")
      ->check(CLI::ExistingDirectory);
  shapes->add_option("--surface-points", o->dataset.surfacePoints, "surface points per shape")->default_val(10000)->check(CLI::Range(1, 10000000));
  shapes->add_option("--query-points", o->dataset.queryPoints, "labelled query points per shape")->default_val(50000)->check(CLI::Range(1, 10000000));
  shapes->add_option("--mesh-grid", o->dataset.meshGrid,
                     "marching-cubes samples along a procedural shape's longest side (its OBJ; samples are exact at any grid)")
      ->default_val(96)->check(CLI::Range(16, 512));
  shapes->add_option("--threads", o->dataset.threads, "shapes made at once (0: one per core)")->default_val(0)->check(CLI::Range(0, 256));
  shapes->add_flag("--force", o->dataset.force,
                   "write into a non-empty folder that is not a shape data set (its train/, test/ and manifest.json are replaced)");
  shapes->callback([o, count] {
    ShapeDatasetOptions options = o->dataset;
    if (!o->from.empty()) {
      options.fromMeshes = o->from;
      if (count->count() == 0) options.count = -1;  // every mesh
    }
    LongRun run("shapes");  // Ctrl-C: stop, remove the partial set
    options.progress = run.progress();
    options.message = &LongRun::message;
    options.cancelled = run.cancelled();
    const ShapeDatasetSummary s = makeShapeDataset(o->out, options);
    run.finish(s.cancelled, o->out);
    const int written = s.train + s.test;
    std::printf("wrote %d shapes (%d train, %d test) to %s in %.1f s (%.2f s a shape)\n", written, s.train, s.test,
                o->out.c_str(), s.seconds, written > 0 ? s.seconds / written : 0.0);
    if (s.redrawn > 0) std::printf("%d shapes were drawn again because their first mesh was not one closed manifold\n", s.redrawn);
    if (s.skipped > 0) std::printf("skipped %d meshes that could not be used (reasons above and in manifest.json)\n", s.skipped);
  });
}

}  // namespace fieldscope
