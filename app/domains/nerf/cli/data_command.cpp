// fieldscope data scenes -o DIR: multi-view pictures of coloured procedural objects with their
// poses, in the NeRF-synthetic layout (docs/architecture.md "Data"; the folder's layout and
// guarantees: model/scene_data/scene_dataset.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/nerf/cli/nerf_commands.h"
#include "model/scene_data/scene_dataset.h"

namespace fieldscope {

void registerNerfDataCommand(CommandRegistry& registry) {
  CLI::App* data = registry.verb("data", "make a training data set");
  struct Opts {
    std::string out;
    SceneDataOptions dataset;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* scenes = data->add_subcommand(
      "scenes", "coloured procedural objects seen from many sides: per scene train/ and test/ pictures (RGBA, transparent "
                "background) and transforms_train.json / transforms_test.json (the NeRF-synthetic format); every 8th scene held out");
  scenes->add_option("-o,--out", o->out, "output folder (new, empty, or a previous scene set)")->required();
  scenes->add_option("--count", o->dataset.count, "number of scenes")->default_val(100)->check(CLI::Range(1, 9999));
  scenes->add_option("--views", o->dataset.trainViews, "training views per scene")->default_val(50)->check(CLI::Range(1, 1000));
  scenes->add_option("--test-views", o->dataset.testViews, "test views per scene")->default_val(10)->check(CLI::Range(1, 1000));
  scenes->add_option("--size", o->dataset.size, "pictures are SIZE x SIZE pixels")->default_val(64)->check(CLI::Range(16, 800));
  scenes->add_option("--seed", o->dataset.seed, "random seed: the same seed gives the same files")->default_val(0);
  scenes->add_option("--threads", o->dataset.threads, "views rendered at once (0: one per core)")->default_val(0)->check(CLI::Range(0, 256));
  scenes->add_flag("--force", o->dataset.force, "write into a non-empty folder that is not a scene set (other files stay)");
  scenes->callback([o] {
    SceneDataOptions options = o->dataset;
    LongRun run("views");  // Ctrl-C: stop, remove the partial set
    const WorkProgress progress = run.progress();
    options.progress = [progress](int done, int total) { progress(done, total); };
    options.cancelled = run.cancelled();
    const SceneDataSummary s = makeSceneDataset(o->out, options);
    run.finish(s.cancelled, o->out);
    std::printf("wrote %d scenes (%d for training, %d held out), %d pictures, to %s in %.1f s\n", s.scenes, s.train,
                s.heldOut, s.views, o->out.c_str(), s.seconds);
  });
}

}  // namespace fieldscope
