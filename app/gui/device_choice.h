#pragma once
// `--device cpu|cuda|cuda:N` for the viewer: which CUDA device (if any) the Vulkan device must be
// paired with, so that the tile atlas is CUDA memory shared with Vulkan (docs/architecture.md "Shared memory"). The option
// itself is parsed once, by parseComputeOptions (model/util/compute_options.h).
#include <string>

namespace fieldscope {
struct ComputeOptions;
// The CUDA device index the models run on (-1 on the CPU): what ContextOptions::cudaDevice wants.
int cudaDeviceIndex(const ComputeOptions& compute);
// What --version adds about the SharedTensor backends this build and machine offer.
std::string interopVersionText();
}  // namespace fieldscope
