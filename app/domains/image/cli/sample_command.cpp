// fieldscope sample --model M --seed N [--steps S --eta E] --size WxH [--region x0,y0,x1,y1] [--grid CxR]
//                  [--device cpu|cuda[:N] --precision auto|fp32|fp16] -o out.png
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/cli/compute_flags.h"
#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/image/image_model.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"
#include "model/train/train_support.h"
#include "model/util/compute_options.h"

namespace fieldscope {

namespace {

std::pair<int, int> parseSize(const std::string& s, const char* what) {
  int a = 0, b = 0;
  char x = 0, extra = 0;
  if (std::sscanf(s.c_str(), "%d%c%d%c", &a, &x, &b, &extra) != 3 || (x != 'x' && x != 'X') || a <= 0 || b <= 0 ||
      a > 32768 || b > 32768)
    throw std::runtime_error(std::string("bad ") + what + " '" + s + "' (expected WxH, e.g. 512x512)");
  return {a, b};
}

}  // namespace

void registerImageSampleCommand(CommandRegistry& registry) {
  // Options of the shared `sample` command that only the image domain reads.
  auto region = registry.sampleOption("--region", "x0,y0,x1,y1 in image coordinates ([0,1]², x right, y down; image: default 0,0,1,1)");
  auto grid = registry.sampleOption("--grid", "image: contact sheet CxR of seeds seed .. seed+C*R-1");
  auto renderer = registry.sampleOption(
      "--renderer", "image: direct (decode the region with torch) or viewer (through the viewer's tiles + Vulkan compositor)");
  const SampleCommon& common = registry.sampleCommon();
  const ViewerRegionRenderer viewer = registry.hooks().viewerRenderer;
  registry.onSample("image", [&common, region, grid, renderer, viewer] {
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
    const ComputeOptions compute = parseComputeOptions(o->compute.device, o->compute.precision);
    setTorchThreads(o->threads);
    const auto [W, H] = parseSize(o->size, "--size");
    double r[4];
    char extra = 0;
    if (std::sscanf(o->region.c_str(), "%lf,%lf,%lf,%lf%c", &r[0], &r[1], &r[2], &r[3], &extra) != 4 ||
        !std::isfinite(r[0]) || !std::isfinite(r[1]) || !std::isfinite(r[2]) || !std::isfinite(r[3]) || r[0] == r[2] ||
        r[1] == r[3])
      throw std::runtime_error("bad --region '" + o->region + "' (expected x0,y0,x1,y1 with x0 != x1, y0 != y1)");
    int cols = 1, rows = 1;
    if (!o->grid.empty()) std::tie(cols, rows) = parseSize(o->grid, "--grid");
    const std::filesystem::path out = o->out, side = o->out + ".json";
    checkWritable(out);
    checkWritable(side);
    if (o->renderer == "viewer") {
      if (!viewer) throw std::runtime_error("--renderer viewer needs the viewer build (FIELDSCOPE_GUI=ON)");
      if (!o->grid.empty()) throw std::runtime_error("--renderer viewer renders one sample, not a --grid");
      Rgba8Image img{W, H, std::vector<uint8_t>(size_t(W) * H * 4)};
      viewer(compute, o->model, o->seed, o->steps, o->eta, r, W, H, img.pixels.data());
      nlohmann::json j = {{"model", std::filesystem::absolute(o->model).string()}, {"seed", o->seed},
                          {"steps", o->steps}, {"eta", o->eta}, {"region", {r[0], r[1], r[2], r[3]}},
                          {"size", {W, H}}, {"renderer", "viewer"}, {"device", describe(compute)},
                          {"command", currentCommandLine()}};
      writePngWithSidecar(out, img, j.dump(2) + "\n");
      std::printf("wrote %s (%dx%d, viewer renderer) and %s\n", out.c_str(), W, H, side.c_str());
      return;
    }
    auto model = ImageModel::load(o->model, compute);
    const int gap = o->grid.empty() ? 0 : 2;
    Rgba8Image img;
    img.width = cols * W + (cols + 1) * gap;
    img.height = rows * H + (rows + 1) * gap;
    if (static_cast<double>(img.width) * img.height > 4.0e8) throw std::runtime_error("output image is too large");
    img.pixels.assign(static_cast<size_t>(img.width) * img.height * 4, 255);
    auto canvas = torch::from_blob(img.pixels.data(), {img.height, img.width, 4}, torch::kUInt8);
    const int total = cols * rows;
    for (int first = 0; first < total; first += 16) {
      std::vector<uint64_t> seeds;
      for (int k = first; k < std::min(total, first + 16); ++k) seeds.push_back(o->seed + k);
      auto latents = model->sampleLatents(seeds, o->steps, o->eta);
      for (size_t k = 0; k < seeds.size(); ++k) {
        const int idx = first + static_cast<int>(k);
        auto fields = model->makeFields(latents.narrow(0, k, 1));
        auto tile = canvas.narrow(0, gap + (idx / cols) * (H + gap), H).narrow(1, gap + (idx % cols) * (W + gap), W);
        model->decodeRegion(fields, r[0], r[1], r[2], r[3], W, H, tile);
      }
      if (total > 1) std::fprintf(stderr, "\rsampled %d/%d", std::min(total, first + 16), total);
    }
    if (total > 1) std::fprintf(stderr, "\n");
    nlohmann::json j = {{"model", std::filesystem::absolute(o->model).string()},
                        {"seed", o->seed},
                        {"steps", o->steps},
                        {"eta", o->eta},
                        {"region", {r[0], r[1], r[2], r[3]}},
                        {"size", {W, H}},
                        {"device", describe(compute)},
                        {"precision", compute.half ? "fp16" : "fp32"},
                        {"command", currentCommandLine()}};
    if (!o->grid.empty()) j["grid"] = {{"cols", cols}, {"rows", rows}, {"seeds", {o->seed, o->seed + total - 1}}, {"gap", gap}};
    writePngWithSidecar(out, img, j.dump(2) + "\n");
    std::printf("wrote %s (%dx%d) and %s\n", out.c_str(), img.width, img.height, side.c_str());
  });
}

}  // namespace fieldscope
