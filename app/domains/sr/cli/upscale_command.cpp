// fieldscope upscale IN... (--scale S | --size WxH) -o OUT: super-resolution of the user's pictures
// (docs/architecture.md "The super-resolution domain", "Commands"). One file to one PNG, or
// several files / a folder into an output folder with one progress bar and a summary of the files
// that failed. The work itself: model/sr/upscale_job.h.
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/cli/size_flag.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "app/domains/sr/cli/sr_model_file.h"
#include "model/checkpoint/checkpoint.h"
#include "model/photo_data/photo_pixels.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/sr/upscale_job.h"
#include "model/train/interrupt_guard.h"
#include "model/train/progress_line.h"
#include "model/util/compute_options.h"
#include "model/util/memory_budget.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

bool isPicture(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

struct Job {
  fs::path in, out;
  uint64_t seed = 0;
};

// N samples of each picture: OUT-s<seed>.png next to where the one output would go.
std::vector<Job> withSamples(const std::vector<Job>& jobs, uint64_t seed, int samples) {
  std::vector<Job> all;
  for (const Job& j : jobs)
    for (int k = 0; k < samples; ++k) {
      Job one = j;
      one.seed = seed + uint64_t(k);
      if (samples > 1)
        one.out = j.out.parent_path() / (j.out.stem().string() + "-s" + std::to_string(one.seed) + j.out.extension().string());
      all.push_back(one);
    }
  return all;
}

// The inputs and where each one goes. A folder in, or several files: OUT is a folder.
std::vector<Job> planJobs(const std::vector<std::string>& inputs, const fs::path& out, bool samples) {
  std::vector<fs::path> files;
  bool batch = inputs.size() > 1;
  for (const std::string& s : inputs) {
    const fs::path p(s);
    if (fs::is_directory(p)) {
      batch = true;
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p))
        if (e.is_regular_file() && isPicture(e.path())) found.push_back(e.path());
      std::sort(found.begin(), found.end());
      if (found.empty()) throw std::runtime_error("no PNG or JPEG pictures in the folder '" + p.string() + "'");
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  std::vector<Job> jobs;
  if (!batch) {
    if (fs::is_directory(out)) return {{files[0], out / (files[0].stem().string() + ".png")}};
    if (samples && out.extension() != ".png")
      throw std::runtime_error("-o '" + out.string() + "': the samples are PNG files named after it (OUT.png -> OUT-s<seed>.png)");
    return {{files[0], out}};
  }
  if (fs::exists(out) && !fs::is_directory(out))
    throw std::runtime_error("-o '" + out.string() + "' is a file; several inputs need an output folder");
  fs::create_directories(out);
  for (const fs::path& f : files) jobs.push_back({f, out / (f.stem().string() + ".png")});
  return jobs;
}

}  // namespace

void registerSrUpscaleCommand(CommandRegistry& registry) {
  struct Opts {
    std::vector<std::string> inputs;
    std::string out, model, size;
    double scale = 0;
    bool decoderOnly = false;
    int steps = 50, samples = 1;
    uint64_t seed = 0;
    double eta = 0;
    int64_t tile = TileSpec{}.tile;
    int threads = 0;
    ComputeFlags compute;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = registry.app().add_subcommand(
      "upscale", "super-resolve pictures (PNG 8/16-bit, JPEG) at any real scale with a super-resolution model; the "
                 "output is exactly round(w*s) x round(h*s), keeps alpha, 16-bit depth, the ICC profile and the EXIF "
                 "orientation (applied)");
  cmd->add_option("inputs", o->inputs, "pictures or folders of pictures")->required()->check(CLI::ExistingPath);
  cmd->add_option("-o,--out", o->out, "output PNG (one input) or folder (several inputs or a folder)")->required();
  CLI::Option* scale = cmd->add_option("--scale", o->scale, "scale factor, any real value in (0, 64], e.g. 3.7");
  CLI::Option* size = cmd->add_option("--size", o->size, "output size WxH instead of --scale");
  scale->excludes(size);
  cmd->add_option("--model", o->model, std::string("super-resolution model (default: the shipped ") + kDefaultSrModel + ")");
  cmd->add_flag("--decoder-only", o->decoderOnly,
                "the deterministic regression path: encode the bicubic upsampling, read the implicit decoder (no diffusion)");
  cmd->add_option("--steps", o->steps, "diffusion steps (DDIM)")->default_val(o->steps)->check(CLI::Range(1, 1000));
  cmd->add_option("--seed", o->seed, "seed of the (first) diffusion sample")->default_val(o->seed);
  cmd->add_option("--samples", o->samples, "N different samples of each picture, seeds seed..seed+N-1 (OUT-s<seed>.png)")
      ->default_val(o->samples)->check(CLI::Range(1, 1000));
  cmd->add_option("--eta", o->eta, "DDIM eta: 0 deterministic, 1 DDPM-like")->default_val(o->eta)->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--tile", o->tile, "output tile side in pixels (a multiple of 4; memory use grows with it)")
      ->default_val(o->tile)->check(CLI::Range(32, 4096));
  cmd->add_option("--threads", o->threads, "torch threads (default: all cores)");
  addComputeFlags(*cmd, o->compute);
  cmd->callback([o, scale, size] {
    if (!scale->count() && !size->count()) throw std::runtime_error("give --scale S or --size WxH");
    setTorchThreads(o->threads);
    // The SR models run in fp32 on any device (docs/gpu.md "Super-resolution on CUDA").
    if (o->compute.precision == "fp16")
      throw std::runtime_error("--precision fp16: the super-resolution models run in fp32 (use auto or fp32)");
    const ComputeOptions compute = parseComputeOptions(o->compute.device, "fp32");
    const fs::path modelPath = o->model.empty() ? defaultSrModel() : fs::path(o->model);
    const Checkpoint ckpt = loadCheckpoint(modelPath, "sr");
    SrAutoencoder ae = restoreSrAutoencoder(ckpt);
    ae->to(compute.device);
    const bool useDiffusion = !o->decoderOnly && hasSrDiffusion(ckpt);
    if (!o->decoderOnly && !useDiffusion) {
      if (o->samples > 1)
        throw std::runtime_error(modelPath.filename().string() + " has no diffusion stage: --samples needs one (train it with `fieldscope train sr-ldm`)");
      std::fprintf(stderr, "fieldscope: %s has no diffusion stage; using the decoder alone (--decoder-only)\n",
                   modelPath.filename().c_str());
    }
    if (o->decoderOnly && o->samples > 1) throw std::runtime_error("--samples needs the diffusion stage, not --decoder-only");
    SrDiffusion diffusionModel;
    UpscaleDiffusion diffusion;
    if (useDiffusion) {
      diffusionModel = restoreSrDiffusion(ckpt);
      diffusionModel.ldm.unet->to(compute.device);
      diffusion.model = &diffusionModel;
      diffusion.sampling.steps = o->steps;
      diffusion.sampling.eta = o->eta;
    }
    UpscaleRequest request;
    request.scale = o->scale;
    if (size->count()) {
      const auto [w, h] = parseSizeFlag(o->size, 0, 0);
      request.width = w;
      request.height = h;
    }
    request.tiles = upscaleTiles(ae->config(), o->tile);
    request.diffusion = useDiffusion;
    const std::vector<Job> jobs = withSamples(planJobs(o->inputs, o->out, o->samples > 1), o->seed, o->samples);
    InterruptGuard guard(/*announce=*/false);
    std::atomic<bool> cancel{false};
    ProgressLine line(int64_t(jobs.size()) * 1000, 0);
    std::vector<std::string> failures;
    int written = 0;
    for (size_t i = 0; i < jobs.size(); ++i) {
      const Job& job = jobs[i];
      try {
        const PhotoPixels in = readPhotoPixels(job.in);
        const UpscalePlan plan = planUpscale(ae->config(), in.width, in.height, in.channels, in.bitDepth, request);
        refuseBeyondMemory(plan.peakBytes, "upscaling '" + job.in.string() + "' to " + std::to_string(plan.outW) + "x" +
                                               std::to_string(plan.outH));
        UpscaleCallbacks cb;
        cb.cancel = &cancel;
        cb.progress = [&](int64_t done, int64_t total) {
          if (guard.requested()) cancel = true;
          line.update(int64_t(i) * 1000 + done * 1000 / std::max<int64_t>(1, total), job.in.filename().string());
        };
        diffusion.seed = job.seed;
        if (!upscaleToPng(ae, in, plan, request.tiles, job.out, cb, diffusion)) break;
        ++written;
        if (jobs.size() == 1) {
          line.finish();
          std::printf("wrote %s (%lldx%lld from %lldx%lld, %d-bit%s) in %.1f s\n", job.out.c_str(), (long long)plan.outW,
                      (long long)plan.outH, (long long)plan.inW, (long long)plan.inH, plan.bitDepth,
                      plan.channels == 4 ? ", alpha" : "", line.elapsedSeconds());
        }
      } catch (const std::exception& e) {
        if (jobs.size() == 1) throw;
        failures.push_back(job.in.string() + ": " + e.what());
      }
      if (guard.requested()) cancel = true;
      if (cancel) break;
    }
    if (cancel) {
      std::fprintf(stderr, "\ncancelled: %d of %zu pictures written; the unfinished one was not\n", written, jobs.size());
      throw CLI::RuntimeError(130);
    }
    if (jobs.size() > 1) {
      line.finish();
      std::printf("wrote %d of %zu pictures to %s in %.1f s\n", written, jobs.size(), o->out.c_str(), line.elapsedSeconds());
      for (const std::string& f : failures) std::printf("failed: %s\n", f.c_str());
      if (!failures.empty()) throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace fieldscope
