#pragma once
// `--device cpu|cuda|cuda:N` for the viewer: which CUDA device (if any) the Vulkan device must be
// paired with, so that the tile atlas is CUDA memory shared with Vulkan (DESIGN.md §4).
#include <string>

namespace fieldscope {
// -1 for "cpu"; N for "cuda" (0) or "cuda:N". Throws std::runtime_error on anything else.
int cudaDeviceFromOption(const std::string& device);
// What --version adds about the SharedTensor backends this build and machine offer.
std::string interopVersionText();
}  // namespace fieldscope
