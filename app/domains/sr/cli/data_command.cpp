// fieldscope data photos -o DIR: crops of photos for super-resolution training (docs/architecture.md
// "Data", "Photo crops"; the folder's layout and guarantees: model/photo_data/photo_dataset.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "model/photo_data/photo_dataset.h"

namespace fieldscope {

void registerSrDataCommand(CommandRegistry& registry) {
  CLI::App* data = registry.verb("data", "make a training data set");
  struct Opts {
    std::string out;
    std::vector<std::string> from;
    PhotoDatasetOptions dataset;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* photos = data->add_subcommand(
      "photos", "square crops of photos for super-resolution: the wallpapers of the Debian packages gnome-backgrounds and "
                "plasma-workspace-wallpapers, or --from your own JPEG/PNG/WebP photos; held out by scene (1 in 8)");
  photos->add_option("-o,--out", o->out, "output folder (new, empty, or a previous photo data set)")->required();
  photos->add_option("--from", o->from, "folders or files of your own photos instead of the system wallpapers")
      ->check(CLI::ExistingPath);
  photos->add_option("--crop", o->dataset.cropSize, "crop side in pixels")->default_val(128)->check(CLI::Range(32, 1024));
  photos->add_option("--crops", o->dataset.trainCrops, "crops per training photo")->default_val(48)->check(CLI::Range(1, 10000));
  photos->add_option("--test-crops", o->dataset.testCrops, "crops per held-out photo")->default_val(16)->check(CLI::Range(1, 10000));
  photos->add_option("--short-side", o->dataset.shortSide,
                     "shrink each photo first so that its shorter side is this many pixels (0: keep its size)")
      ->default_val(768)->check(CLI::Range(0, 100000));
  photos->add_option("--min-detail", o->dataset.minDetail,
                     "fine detail a crop should have (mean |Laplacian| of luma, 0..255); flatter places are redrawn")
      ->default_val(12.0)->check(CLI::Range(0.0, 255.0));
  photos->add_option("--seed", o->dataset.seed, "random seed: the same seed gives the same files")->default_val(0);
  photos->add_option("--threads", o->dataset.threads, "photos cut at once (0: one per core)")->default_val(0)->check(CLI::Range(0, 256));
  photos->add_flag("--force", o->dataset.force,
                   "write into a non-empty folder that is not a photo data set (its train/, test/ and manifest.json are replaced)");
  photos->callback([o] {
    PhotoDatasetOptions options = o->dataset;
    for (const std::string& f : o->from) options.from.emplace_back(f);
    LongRun run("photos");  // Ctrl-C: stop, remove the partial set
    options.progress = run.progress();
    options.message = &LongRun::message;
    options.cancelled = run.cancelled();
    const PhotoDatasetSummary s = makePhotoDataset(o->out, options);
    run.finish(s.cancelled, o->out);
    std::printf("wrote %d crops of %dx%d (%d train, %d test) from %d photos (%d skipped) to %s in %.1f s\n",
                s.train + s.test, options.cropSize, options.cropSize, s.train, s.test, s.photos - s.skipped, s.skipped,
                o->out.c_str(), s.seconds);
  });
}

}  // namespace fieldscope
