// fieldscope sample --model M --seed N [--steps S --eta E] --size WxH [--region x0,y0,x1,y1] [--grid CxR]
//                  [--device cpu|cuda[:N] --precision auto|fp32|fp16] -o out.png
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/cli/compute_flags.h"
#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/output_name.h"
#include "app/domains/image/cli/image_commands.h"
#include "app/domains/image/cli/sample_checks.h"
#include "model/image/image_model.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"
#include "model/train/progress_line.h"
#include "model/train/train_support.h"
#include "model/util/compute_options.h"

namespace fieldscope {

void registerImageSampleCommand(CommandRegistry& registry) {
  // Options of the shared `sample` command that only the image domain reads.
  auto region = registry.sampleOption("--region", "x0,y0,x1,y1 in image coordinates ([0,1]², x right, y down; image: default 0,0,1,1)");
  auto grid = registry.sampleOption("--grid", "image: contact sheet CxR of seeds seed .. seed+C*R-1");
  auto group = registry.sampleOption(
      "--group", "image: a class-conditional model's class (an emoji group: faces, animals, flags...; 'any': each seed "
                 "its own; 'none': unguided; default any)");
  auto guidance = registry.sampleOption("--guidance", "image: classifier-free guidance scale (0 unguided; default: the model's)");
  auto renderer = registry.sampleOption(
      "--renderer", "image: direct (decode the region with torch) or viewer (through the viewer's tiles + Vulkan compositor)");
  const SampleCommon& common = registry.sampleCommon();
  const ModelCommandHooks hooks = registry.hooks();
  const ViewerRegionRenderer viewer = hooks.viewerRenderer;
  registry.onSample("image", [&common, region, grid, group, guidance, renderer, viewer, hooks] {
    struct {
      std::string model, out, size, region, grid, renderer;
      uint64_t seed;
      int steps;
      float eta;
      int threads;
      ComputeFlags compute;
    } o_{common.model, common.out, common.size.empty() ? "256x256" : common.size,
         region->empty() ? "0,0,1,1" : *region, *grid, renderer->empty() ? "direct" : *renderer,
         common.seed, common.steps, common.eta, common.threads, common.compute};
    auto* o = &o_;
    if (o->renderer != "direct" && o->renderer != "viewer")
      throw std::runtime_error("--renderer '" + o->renderer + "': expected direct or viewer");
    // Every value is checked before anything is loaded or allocated (sample_checks.h).
    checkOutputName(o->out, {".png"}, "an image");
    const ComputeOptions compute = parseComputeOptions(o->compute.device, o->compute.precision);
    setTorchThreads(o->threads);
    const auto [W, H] = parseSampleSize(o->size);
    const std::array<double, 4> r = parseRegion(o->region);
    int cols = 1, rows = 1;
    if (!o->grid.empty()) std::tie(cols, rows) = parseGrid(o->grid);
    const int gap = o->grid.empty() ? 0 : 2;
    const int64_t sheetW = int64_t(cols) * W + (cols + 1) * gap, sheetH = int64_t(rows) * H + (rows + 1) * gap;
    if (double(sheetW) * double(sheetH) > 4.0e8)
      throw std::runtime_error("the output would be " + std::to_string(sheetW) + "x" + std::to_string(sheetH) +
                               " pixels; the most one PNG may hold here is 400 megapixels (make --size or --grid smaller)");
    const std::filesystem::path out = o->out, side = o->out + ".json";
    checkWritable(out);
    checkWritable(side);
    if (o->renderer == "viewer") {
      if (!viewer) throw std::runtime_error("--renderer viewer needs the viewer build (FIELDSCOPE_GUI=ON)");
      if (!o->grid.empty()) throw std::runtime_error("--renderer viewer renders one sample, not a --grid");
      if (!group->empty() || !guidance->empty())
        throw std::runtime_error("--renderer viewer samples as the viewer opens a model (its default group and guidance); "
                                 "leave out --group and --guidance, or use the direct renderer");
      if (hooks.viewerMaxSize) {
        const auto [maxW, maxH] = hooks.viewerMaxSize();
        if (W > maxW || H > maxH)
          throw std::runtime_error("--renderer viewer: --size " + std::to_string(W) + "x" + std::to_string(H) +
                                   " is larger than the viewer's largest viewport (" + std::to_string(maxW) + "x" +
                                   std::to_string(maxH) + "); use the direct renderer for larger pictures");
      }
      Rgba8Image img{W, H, std::vector<uint8_t>(size_t(W) * H * 4)};
      viewer(compute, o->model, o->seed, o->steps, o->eta, r.data(), W, H, img.pixels.data());
      nlohmann::json j = {{"model", std::filesystem::absolute(o->model).string()}, {"seed", o->seed},
                          {"steps", o->steps}, {"eta", o->eta}, {"region", {r[0], r[1], r[2], r[3]}},
                          {"size", {W, H}}, {"renderer", "viewer"}, {"device", describe(compute)},
                          {"command", currentCommandLine()}};
      writePngWithSidecar(out, img, j.dump(2) + "\n");
      std::printf("wrote %s (%dx%d, viewer renderer) and %s\n", out.c_str(), W, H, side.c_str());
      return;
    }
    auto model = ImageModel::load(o->model, compute);
    ClassGuidance guide;
    try {
      guide = resolveClassGuidance(model->classes(), *group, *guidance);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error("model '" + o->model + "': " + e.what());
    }
    const int total = cols * rows;
    if (total > kGridCountWithoutYes && !common.yes) {
      // State the size of the job with a measured time, and let the user confirm it.
      std::vector<uint64_t> batch;  // one step of one batch of 16 seeds, timed
      for (uint64_t k = 0; k < 16; ++k) batch.push_back(o->seed + k);
      const auto t0 = std::chrono::steady_clock::now();
      model->sampleLatents(batch, 1, o->eta, guide);
      const double perBatchStep = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double estimate = perBatchStep * o->steps * ((total + 15) / 16);  // decoding not counted
      char text[64];
      std::snprintf(text, sizeof text, "%.0f", std::max(1.0, estimate / 60));
      throw std::runtime_error("--grid " + o->grid + " samples " + std::to_string(total) + " seeds (" +
                               std::to_string(o->steps) + " steps each) into a " + std::to_string(sheetW) + "x" +
                               std::to_string(sheetH) + " picture: about " + text +
                               " min of sampling on this machine (measured; decoding comes on top). Add --yes to start it (more than " +
                               std::to_string(kGridCountWithoutYes) + " seeds always asks)");
    }
    Rgba8Image img;
    img.width = int(sheetW);
    img.height = int(sheetH);
    img.pixels.assign(static_cast<size_t>(img.width) * img.height * 4, 255);
    auto canvas = torch::from_blob(img.pixels.data(), {img.height, img.width, 4}, torch::kUInt8);
    // Decoded in row bands of about a megapixel, with a progress line (ETA) when the job is large.
    const int band = std::max(1, (1 << 20) / W);
    const bool showProgress = total > 1 || int64_t(W) * H > (int64_t(1) << 21);
    ProgressLine progress(int64_t(total) * H, 0, "rows");
    int64_t rowsDone = 0;
    const double dy = (r[3] - r[1]) / H;
    for (int first = 0; first < total; first += 16) {
      std::vector<uint64_t> seeds;
      for (int k = first; k < std::min(total, first + 16); ++k) seeds.push_back(o->seed + k);
      auto latents = model->sampleLatents(seeds, o->steps, o->eta, guide);
      for (size_t k = 0; k < seeds.size(); ++k) {
        const int idx = first + static_cast<int>(k);
        auto fields = model->makeFields(latents.narrow(0, k, 1));
        auto tile = canvas.narrow(0, gap + (idx / cols) * (H + gap), H).narrow(1, gap + (idx % cols) * (W + gap), W);
        for (int r0 = 0; r0 < H; r0 += band) {
          const int r1 = std::min(H, r0 + band);
          auto rowsOut = tile.narrow(0, r0, r1 - r0);
          model->decodeRegion(fields, r[0], r[1] + r0 * dy, r[2], r[1] + r1 * dy, W, r1 - r0, rowsOut);
          rowsDone += r1 - r0;
          if (showProgress)
            progress.update(rowsDone, total > 1 ? "seed " + std::to_string(idx + 1) + "/" + std::to_string(total) : "");
        }
      }
    }
    if (showProgress) progress.finish();
    nlohmann::json j = {{"model", std::filesystem::absolute(o->model).string()},
                        {"seed", o->seed},
                        {"steps", o->steps},
                        {"eta", o->eta},
                        {"region", {r[0], r[1], r[2], r[3]}},
                        {"size", {W, H}},
                        {"device", describe(compute)},
                        {"precision", compute.half ? "fp16" : "fp32"},
                        {"command", currentCommandLine()}};
    if (!model->classes().empty()) {
      j["group"] = className(model->classes(), guide.classIndex);
      j["guidance"] = guide.scale;
    }
    if (!o->grid.empty()) j["grid"] = {{"cols", cols}, {"rows", rows}, {"seeds", {o->seed, o->seed + total - 1}}, {"gap", gap}};
    writePngWithSidecar(out, img, j.dump(2) + "\n");
    std::printf("wrote %s (%dx%d) and %s\n", out.c_str(), img.width, img.height, side.c_str());
  });
}

}  // namespace fieldscope
