// fieldscope sample --model CLIPS.fsm --seed N [--blend SEED_B,T] [--size WxH]
//                  -o clip.mp4 [--fps F --seconds S] | -o frames/ | -o frame.png [--t T]
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <atomic>
#include <cstdio>

#include "app/cli/blend_flag.h"
#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/cli/size_flag.h"
#include "app/domains/video/cli/clip_export.h"
#include "app/domains/video/cli/video_commands.h"
#include "model/train/interrupt_guard.h"
#include "model/train/progress_line.h"
#include "model/video/video_model.h"

namespace fieldscope {

namespace {
double parseNumber(const std::string& text, const char* flag, double fallback) {
  if (text.empty()) return fallback;
  double v = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%lf%c", &v, &extra) != 1) throw std::runtime_error(std::string(flag) + " '" + text + "': not a number");
  return v;
}
}  // namespace

void registerVideoSampleCommand(CommandRegistry& registry) {
  auto fps = registry.sampleOption("--fps", "video: frames per second of an MP4 or PNG sequence (default 30)");
  auto seconds = registry.sampleOption("--seconds", "video: duration; the clip's time 0..1 is spread over it (default 2)");
  auto time = registry.sampleOption("--t", "video, -o NAME.png: the clip time in [0, 1] (between frames too)");
  auto blend = registry.sampleOption("--blend", "shape, video: SEED_B,T: the sample at t of the way from --seed to SEED_B");
  const SampleCommon& common = registry.sampleCommon();
  registry.onSample("video", [&common, fps, seconds, time, blend] {
    ClipExportRequest r;
    r.out = common.out;
    const ClipExportKind kind = clipExportKind(r.out);
    r.fps = parseNumber(*fps, "--fps", 30);
    r.seconds = parseNumber(*seconds, "--seconds", 2);
    r.time = parseNumber(*time, "--t", 0);
    if (kind != ClipExportKind::Png && !time->empty()) throw std::runtime_error("--t is for one frame (-o NAME.png)");
    if (kind == ClipExportKind::Png && (!fps->empty() || !seconds->empty()))
      throw std::runtime_error("--fps and --seconds are for a clip (-o NAME.mp4 or a folder), not for one frame");
    if (kind != ClipExportKind::Png) clipExportFrames(r.fps, r.seconds);  // checks them before sampling
    const std::optional<BlendFlag> blended = parseBlendFlag(*blend);
    const ComputeOptions compute = parseComputeOptions(common.compute.device, common.compute.precision);
    setTorchThreads(common.threads);
    auto model = VideoModel::load(common.model, compute);
    std::tie(r.width, r.height) = parseSizeFlag(common.size, 4 * model->size(), 4 * model->size());
    ProgressLine sampling(common.steps, 0);
    model->setSamplerProgress([&](int done, int) { sampling.update(done, "sampling"); });
    auto latent = blended ? model->sampleLatentBlend(common.seed, blended->seedB, float(blended->t), common.steps, common.eta)
                          : model->sampleLatent(common.seed, common.steps, common.eta);
    sampling.finish();
    const VideoFields fields = model->makeFields(latent);
    InterruptGuard interrupts(false);  // Ctrl-C: stop between frames, leave nothing
    std::atomic<bool> cancel{false};
    std::unique_ptr<ProgressLine> line;
    ExportControl control;
    control.cancel = &cancel;
    control.progress = [&](int done, int total) {
      if (interrupts.requested()) cancel = true;
      if (!line) line = std::make_unique<ProgressLine>(total, 0);
      line->update(done, "frames");
    };
    const ExportReport rep =
        exportClip([&](double t, int w, int h) { return model->decodeFrame(fields, t, w, h); }, r, control);
    if (line) line->finish();
    if (rep.cancelled) {
      std::fprintf(stderr, "cancelled: nothing was written to %s\n", r.out.c_str());
      throw CLI::RuntimeError(130);
    }
    for (const std::string& note : rep.notes) std::printf("note: %s\n", note.c_str());
    std::printf("wrote %s: %d frame%s of %dx%d (%s)\n", r.out.c_str(), rep.framesWritten, rep.framesWritten == 1 ? "" : "s",
                rep.width, rep.height, rep.codec.c_str());
  });
}

}  // namespace fieldscope
