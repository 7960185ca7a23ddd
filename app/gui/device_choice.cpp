#include "app/gui/device_choice.h"

#include "cuda_interop/cuda_support.h"
#include "cuda_interop/shared_tensor.h"
#include "model/util/compute_options.h"

namespace fieldscope {

int cudaDeviceIndex(const ComputeOptions& compute) {
  if (!compute.device.is_cuda()) return -1;
  return compute.device.has_index() ? int(compute.device.index()) : 0;
}

std::string interopVersionText() {
  std::string s = std::string("shared memory: ") + sharedBackendName(SharedBackend::Host) + " (--device cpu)";
  CudaDeviceInfo info;
  std::string why;
  if (queryCudaDevice(0, info, why))
    s += ", " + std::string(sharedBackendName(SharedBackend::Cuda)) + " (--device cuda: " + info.name + ")";
  else
    s += "; CUDA: not available (" + why + ")";
  return s;
}

}  // namespace fieldscope
