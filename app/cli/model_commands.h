#pragma once
// Headless model subcommands of `fieldscope` (data, train, info, sample).
namespace CLI { class App; }

#include <cstdint>
#include <functional>
#include <string>

namespace fieldscope {

// `sample --renderer viewer`: renders seed `seed`'s region {x0,y0,x1,y1} at W x H through the
// viewer's own pipeline (tile pyramid, worker, Vulkan compositor) into rgba (W*H*4). Provided
// by the viewer build; empty in a FIELDSCOPE_GUI=OFF build.
struct ComputeOptions;
// compute: where torch decodes (on CUDA the viewer's atlas is CUDA memory shared with Vulkan).
using ViewerRegionRenderer = std::function<void(const ComputeOptions& compute, const std::string& model, uint64_t seed, int steps, float eta,
                                                const double region[4], int W, int H, uint8_t* rgba)>;

struct ModelCommandHooks {
  ViewerRegionRenderer viewerRenderer;
};

// Registers the subcommands on `app`. Their callbacks throw std::runtime_error with a
// message naming the file and the problem; main() prints it and exits non-zero.
void registerModelCommands(CLI::App& app, const ModelCommandHooks& hooks = {});
}  // namespace fieldscope
