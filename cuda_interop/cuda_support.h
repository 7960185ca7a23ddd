#pragma once
// What this build and this machine offer for SharedTensor's CUDA backend (torch-free and
// CUDA-header-free, so render/ and app/ can ask).
#include <array>
#include <cstdint>
#include <string>

namespace fieldscope {

struct CudaDeviceInfo {
  int index = 0;
  std::string name;
  std::array<uint8_t, 16> uuid{};  // equals VkPhysicalDeviceIDProperties::deviceUUID of the same GPU
};

// True when the CUDA backend is compiled in: CUDA toolkit found and LibTorch built with CUDA.
bool cudaBackendCompiled();
// Why the backend is not compiled in (empty when it is).
std::string cudaBackendMissingReason();
// Fills `info` for CUDA device `index`. False, with `why`, when the build has no CUDA backend,
// there is no driver or no such device.
bool queryCudaDevice(int index, CudaDeviceInfo& info, std::string& why);

}  // namespace fieldscope
