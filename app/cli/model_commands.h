#pragma once
// Headless model subcommands of `fieldscope`: every domain's verbs (data, train, eval, sample),
// plus `info`, registered through one CommandRegistry.
namespace CLI { class App; }

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "app/domain/domain_list.h"

namespace fieldscope {

class CommandRegistry;

// `sample --renderer viewer`: renders seed `seed`'s region {x0,y0,x1,y1} at W x H through the
// viewer's own pipeline (tile pyramid, worker, Vulkan compositor) into rgba (W*H*4). Provided
// by the viewer build; empty in a FIELDSCOPE_GUI=OFF build.
struct ComputeOptions;
// compute: where torch decodes (on CUDA the viewer's atlas is CUDA memory shared with Vulkan).
using ViewerRegionRenderer = std::function<void(const ComputeOptions& compute, const std::string& model, uint64_t seed, int steps, float eta,
                                                const double region[4], int W, int H, uint8_t* rgba)>;

struct ModelCommandHooks {
  ViewerRegionRenderer viewerRenderer;
  std::function<std::pair<int, int>()> viewerMaxSize;  // the largest W x H viewerRenderer takes
};

// Registers `info` and each domain's commands on `app`; the registry returned must outlive the
// parse and the run. Callbacks throw std::runtime_error with a message naming the file and the
// problem; main() prints it and exits non-zero.
std::unique_ptr<CommandRegistry> registerModelCommands(CLI::App& app, const DomainList& domains,
                                                       const ModelCommandHooks& hooks = {});
}  // namespace fieldscope
