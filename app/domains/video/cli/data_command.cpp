// fieldscope data clips -o DIR: the video domain's training clips, procedural or cut from the
// user's videos and PNG frame folders (docs/architecture.md "Data", "Video clips"; the folder's
// layout and guarantees: model/video_data/clip_dataset.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/video/cli/video_commands.h"
#include "model/video_data/clip_dataset.h"

namespace fieldscope {

void registerVideoDataCommand(CommandRegistry& registry) {
  CLI::App* data = registry.verb("data", "make a training data set");
  struct Opts {
    std::string out, from;
    ClipDatasetOptions dataset;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* clips = data->add_subcommand(
      "clips", "procedural video clips (emoji sprites moving, turning, scaling and changing colour over drifting gradients), "
               "or --from the user's videos / PNG frame folders: one PNG per clip, its frames side by side; every 10th "
               "index held out as test");
  clips->add_option("-o,--out", o->out, "output folder (new, empty, or a previous clip data set)")->required();
  CLI::Option* count = clips->add_option("--count", o->dataset.count, "number of clips (with --from: at most this many; default all)")
                           ->default_val(1000)->check(CLI::Range(1, 1000000));
  clips->add_option("--frames", o->dataset.frames, "frames per clip")->default_val(16)->check(CLI::Range(2, 64));
  clips->add_option("--size", o->dataset.size, "frame side in pixels")->default_val(64)->check(CLI::Range(16, 512));
  clips->add_option("--seed", o->dataset.seed, "random seed: the same seed gives the same files")->default_val(0);
  clips->add_option("--from", o->from,
                    "a video file (.mp4 .webm .mkv .mov .avi), a folder of PNG frames, or a folder searched recursively "
                    "for both, instead of procedural clips (centre square, area-resized, cut into consecutive clips)")
      ->check(CLI::ExistingPath);
  clips->add_option("--stride", o->dataset.stride, "with --from: take every K-th frame")->default_val(1)->check(CLI::Range(1, 1000));
  clips->add_option("--threads", o->dataset.threads, "procedural clips made at once (0: one per core)")->default_val(0)->check(CLI::Range(0, 256));
  clips->add_flag("--force", o->dataset.force,
                  "write into a non-empty folder that is not a clip data set (its train/, test/ and manifest.json are replaced)");
  clips->callback([o, count] {
    ClipDatasetOptions options = o->dataset;
    const bool footage = !o->from.empty();
    if (footage) {
      options.from = o->from;
      if (count->count() == 0) options.count = -1;  // every clip
    }
    LongRun run(footage ? "files" : "clips");  // Ctrl-C: stop, remove the partial set
    options.progress = run.progress();
    options.message = &LongRun::message;
    options.cancelled = run.cancelled();
    const ClipDatasetSummary s = makeClipDataset(o->out, options);
    run.finish(s.cancelled, o->out);
    const int written = s.train + s.test;
    std::printf("wrote %d clips of %d frames at %dx%d (%d train, %d test) to %s in %.1f s (%.1f ms a clip)\n", written,
                options.frames, options.size, options.size, s.train, s.test, o->out.c_str(), s.seconds,
                written > 0 ? 1000 * s.seconds / written : 0.0);
    if (footage)
      std::printf("from %d of %d sources; skipped %d that could not be used (reasons above and in manifest.json)\n",
                  s.sources - s.skipped, s.sources, s.skipped);
  });
}

}  // namespace fieldscope
